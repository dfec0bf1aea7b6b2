import type { AliasVersion as StoredVersion } from '../projections/temporal/temporal-aliases.reader';
import { changesOf, versionOf } from './alias.mapping';

const scope = { accountId: '111122223333', region: 'us-west-2' };
const cause = (eventType: string, eventName: string) => ({
  eventType,
  eventId: `${eventName}-id`,
  position: '7',
  eventName,
  requestId: 'r',
  userIdentity: { type: 'IAMUser', accountId: scope.accountId, userName: 'alice' },
  invokedBy: null,
  sourceIPAddress: '127.0.0.1',
  userAgent: 'test',
});
const t = (minute: number) => new Date(Date.UTC(2026, 2, 1, 0, minute));

function stored(version: number, keyId: string, from: number, to?: [number, string, string, string]): StoredVersion {
  return {
    aliasName: 'alias/finance',
    version,
    keyId,
    validFrom: t(from),
    validTo: to ? t(to[0]) : undefined,
    startedBy:
      version === 1 || keyId === 'k3' ? cause('AliasCreated', 'CreateAlias') : cause('AliasRetargeted', 'UpdateAlias'),
    endedBy: to ? cause(to[2], to[3]) : undefined,
    endedReason: to?.[1],
  };
}

describe('versionOf', () => {
  it('adds the ARNs and reads the stored cause', () => {
    const version = versionOf(scope, stored(1, 'k1', 0));
    expect(version).toMatchObject({
      aliasArn: 'arn:aws:kms:us-west-2:111122223333:alias/finance',
      targetKeyArn: 'arn:aws:kms:us-west-2:111122223333:key/k1',
      validTo: null,
      endedBy: null,
      endedReason: null,
      startedBy: { eventType: 'AliasCreated', eventPosition: '7', userIdentity: { userName: 'alice', arn: null } },
    });
  });

  it('tolerates causes that lack members', () => {
    const version = versionOf(scope, { ...stored(1, 'k1', 0), startedBy: {} });
    expect(version.startedBy).toEqual({
      eventType: 'unknown',
      eventId: '',
      eventPosition: '',
      eventName: null,
      requestId: null,
      userIdentity: null,
      invokedBy: null,
      sourceIPAddress: null,
      userAgent: null,
    });
  });
});

describe('changesOf', () => {
  it('turns versions into creations, retargets and deletions, across a re-creation', () => {
    const versions = [
      stored(1, 'k1', 0, [1, 'retargeted', 'AliasRetargeted', 'UpdateAlias']),
      stored(2, 'k2', 1, [2, 'deleted', 'AliasDeleted', 'DeleteAlias']),
      stored(3, 'k3', 3, [4, 'key-deleted', 'AliasDeleted', 'DeleteKey']),
    ].map((v) => versionOf(scope, v));
    expect(
      changesOf(versions).map((c) => [c.version, c.at.getUTCMinutes(), c.eventName, c.fromKeyId, c.toKeyId]),
    ).toEqual([
      [1, 0, 'CreateAlias', null, 'k1'],
      [2, 1, 'UpdateAlias', 'k1', 'k2'],
      [2, 2, 'DeleteAlias', 'k2', null],
      [3, 3, 'CreateAlias', null, 'k3'],
      [3, 4, 'DeleteKey', 'k3', null],
    ]);
  });

  it('has nothing to say about an alias that never existed', () => {
    expect(changesOf([])).toEqual([]);
  });
});
