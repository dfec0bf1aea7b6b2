import fc from 'fast-check';
import { type ObservedStep, foldObservedAlias } from './observed-alias-fold';
import { observedChangeOf } from './observed-change';

const K1 = '11111111-1111-4111-8111-111111111111';
const K2 = '22222222-2222-4222-8222-222222222222';
const at = (minute: number) => new Date(Date.UTC(2026, 2, 1, 14, minute));
let position = 0n;
const step = (minute: number, change: ObservedStep['change']): ObservedStep => ({
  at: at(minute),
  position: ++position,
  change,
});
const alias = (op: 'CreateAlias' | 'UpdateAlias' | 'DeleteAlias', keyId?: string) =>
  ({ kind: 'alias', op, aliasName: 'alias/x', keyId }) as const;

describe('foldObservedAlias', () => {
  it('folds a complete history into versions, in event time whatever the order given', () => {
    const steps = [
      step(20, alias('DeleteAlias', K2)),
      step(0, alias('CreateAlias', K1)),
      step(10, alias('UpdateAlias', K2)),
    ];
    expect(foldObservedAlias(steps)).toEqual([
      expect.objectContaining({ version: 1, keyId: K1, validFrom: at(0), validTo: at(10), endedReason: 'retargeted' }),
      expect.objectContaining({ version: 2, keyId: K2, validFrom: at(10), validTo: at(20), endedReason: 'deleted' }),
    ]);
  });

  it('says the target before an UpdateAlias no record created is unknown, and that it held from before the records', () => {
    const versions = foldObservedAlias([step(10, alias('UpdateAlias', K2))]);
    expect(versions[0]).toEqual({
      version: 1,
      keyId: null,
      validFrom: null,
      fromPosition: null,
      validTo: at(10),
      toPosition: expect.any(BigInt),
      endedReason: 'retargeted',
    });
    expect(versions[1]).toEqual(expect.objectContaining({ keyId: K2, validFrom: at(10), validTo: null }));
  });

  it('learns an unknown target from the DeleteAlias that ends it', () => {
    expect(foldObservedAlias([step(5, alias('DeleteAlias', K1))])).toEqual([
      expect.objectContaining({ keyId: K1, validFrom: null, validTo: at(5), endedReason: 'deleted' }),
    ]);
  });

  it('ends the version of a deleted key, and no other', () => {
    const versions = foldObservedAlias([
      step(0, alias('CreateAlias', K1)),
      step(3, { kind: 'key', op: 'DeleteKey', keyId: K2 }),
      step(5, { kind: 'key', op: 'DeleteKey', keyId: K1 }),
    ]);
    expect(versions).toEqual([expect.objectContaining({ keyId: K1, validTo: at(5), endedReason: 'key-deleted' })]);
  });

  it('takes a snapshot as evidence: fills an unknown target, holds an alias no record names, ends a differing one', () => {
    const snapshot = (minute: number, keyId: string) => step(minute, { kind: 'snapshot', keyId });
    expect(foldObservedAlias([step(10, alias('UpdateAlias', K2)), snapshot(5, K1)])[0]).toMatchObject({
      keyId: K1,
      validFrom: null,
      validTo: at(10),
    });
    expect(foldObservedAlias([snapshot(20, K1)])).toEqual([
      expect.objectContaining({ keyId: K1, validFrom: null, validTo: null }),
    ]);
    expect(foldObservedAlias([step(0, alias('CreateAlias', K1)), snapshot(20, K2)])).toEqual([
      expect.objectContaining({ keyId: K1, validTo: at(20), endedReason: 'snapshot-differs' }),
      expect.objectContaining({ keyId: K2, validFrom: at(20), validTo: null }),
    ]);
  });

  it('never throws and keeps versions disjoint and in order, whatever the records say', () => {
    const change = fc.oneof(
      fc.record({
        kind: fc.constant('alias' as const),
        op: fc.constantFrom('CreateAlias' as const, 'UpdateAlias' as const, 'DeleteAlias' as const),
        aliasName: fc.constant('alias/x'),
        keyId: fc.option(fc.constantFrom(K1, K2), { nil: undefined }),
      }),
      fc.record({
        kind: fc.constant('key' as const),
        op: fc.constant('DeleteKey' as const),
        keyId: fc.constantFrom(K1, K2),
      }),
      fc.record({ kind: fc.constant('snapshot' as const), keyId: fc.constantFrom(K1, K2) }),
    );
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 30 }), change), { maxLength: 12 }), (input) => {
        const versions = foldObservedAlias(input.map(([minute, c]) => step(minute, c)));
        versions.forEach((v, i) => {
          expect(v.version).toBe(i + 1);
          if (i < versions.length - 1) expect(v.validTo).not.toBeNull();
          const next = versions[i + 1];
          if (next?.validFrom && v.validTo)
            expect(next.validFrom.getTime()).toBeGreaterThanOrEqual(v.validTo.getTime());
          if (v.validFrom && v.validTo) expect(v.validTo.getTime()).toBeGreaterThanOrEqual(v.validFrom.getTime());
        });
      }),
    );
  });
});

describe('observedChangeOf', () => {
  const arn = (id: string) => `arn:aws:kms:us-west-2:111122223333:key/${id}`;

  it('reads the alias records of CloudTrail, taking the resolved key from responseElements', () => {
    expect(
      observedChangeOf({
        eventName: 'CreateAlias',
        requestParameters: { aliasName: 'alias/x', targetKeyId: 'alias-typo' },
        responseElements: { keyId: arn(K1) },
      }),
    ).toEqual({ kind: 'alias', op: 'CreateAlias', aliasName: 'alias/x', keyId: K1 });
    expect(
      observedChangeOf({
        eventName: 'DeleteAlias',
        requestParameters: { aliasName: 'alias/x' },
        responseElements: null,
      }),
    ).toEqual({ kind: 'alias', op: 'DeleteAlias', aliasName: 'alias/x', keyId: undefined });
  });

  it('reads the DeleteKey service event from its resources, and CreateKey from keyMetadata', () => {
    expect(
      observedChangeOf({ eventName: 'DeleteKey', requestParameters: null, resources: [{ ARN: arn(K2) }] }),
    ).toEqual({ kind: 'key', op: 'DeleteKey', keyId: K2 });
    expect(observedChangeOf({ eventName: 'CreateKey', responseElements: { keyMetadata: { keyId: K1 } } })).toEqual({
      kind: 'key',
      op: 'CreateKey',
      keyId: K1,
    });
  });

  it('ignores failed calls, reads, and records that name no alias or key', () => {
    expect(
      observedChangeOf({
        eventName: 'CreateAlias',
        errorCode: 'AlreadyExistsException',
        requestParameters: { aliasName: 'alias/x', targetKeyId: K1 },
      }),
    ).toBeUndefined();
    expect(observedChangeOf({ eventName: 'Encrypt', requestParameters: { keyId: K1 } })).toBeUndefined();
    expect(observedChangeOf({ eventName: 'UpdateAlias', requestParameters: { aliasName: 42 } })).toBeUndefined();
    expect(observedChangeOf({ eventName: 'EnableKey', requestParameters: { keyId: 'alias/x' } })).toBeUndefined();
  });
});
