import { LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import {
  CreateGrantCommand,
  CreateKeyCommand,
  DecryptCommand,
  DescribeKeyCommand,
  DisableKeyCommand,
  EncryptCommand,
  GenerateDataKeyCommand,
  type GrantOperation,
  type KMSClient,
  ListGrantsCommand,
  ListRetirableGrantsCommand,
  RetireGrantCommand,
  RevokeGrantCommand,
} from '@aws-sdk/client-kms';
import { sql } from 'kysely';
import { waitForRecords } from '../support/cloudtrail-records';
import { eventually } from '../support/events';
import { failureOf as failure } from '../support/failure';
import { type KmsTestApp, startKmsApp } from '../support/kms-test-app';
import { rawKms } from '../support/raw-kms';
import { TEST_CREDENTIALS } from '../support/test-app';

const REGION = 'us-west-2';
const arnOf = (keyId: string) => `arn:aws:kms:${REGION}:${TEST_CREDENTIALS.accountId}:key/${keyId}`;
const GRANTEE = 'arn:aws:iam::111122223333:role/payroll-app';
const RETIREE = 'arn:aws:iam::111122223333:role/Operator';
const OPS: GrantOperation[] = ['Encrypt', 'Decrypt', 'GenerateDataKey'];

/** CreateGrant, ListGrants, ListRetirableGrants, RetireGrant, RevokeGrant and grant tokens (kms-crypto §7.4–§7.5). */
describe('grants', () => {
  let kms: KmsTestApp;
  let client: KMSClient;
  let key: string;
  const tokens: string[] = [];

  beforeAll(async () => {
    kms = await startKmsApp();
    client = kms.client();
    key = (await client.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
  });
  afterAll(() => kms.close());

  const create = async (input: Partial<ConstructorParameters<typeof CreateGrantCommand>[0]> = {}) => {
    const out = await client.send(
      new CreateGrantCommand({ KeyId: key, GranteePrincipal: GRANTEE, Operations: OPS, ...input }),
    );
    tokens.push(out.GrantToken!);
    return out;
  };
  const list = async (input: Partial<ConstructorParameters<typeof ListGrantsCommand>[0]> = {}) =>
    client.send(new ListGrantsCommand({ KeyId: key, ...input }));

  it('creates a grant that ListGrants shows as given, and retiring or revoking it removes it', async () => {
    const created = await create({
      Name: 'payroll',
      RetiringPrincipal: RETIREE,
      Constraints: { EncryptionContextSubset: { Department: 'Payroll' } },
    });
    expect(created.GrantId).toMatch(/^[0-9a-f]{64}$/);
    expect(Buffer.from(created.GrantToken!, 'base64url').length).toBeGreaterThanOrEqual(96);
    const { Grants, Truncated } = await list({ GrantId: created.GrantId });
    expect(Truncated).toBe(false);
    expect(Grants).toEqual([
      {
        KeyId: arnOf(key),
        GrantId: created.GrantId,
        Name: 'payroll',
        CreationDate: expect.any(Date),
        GranteePrincipal: GRANTEE,
        RetiringPrincipal: RETIREE,
        IssuingAccount: `arn:aws:iam::${TEST_CREDENTIALS.accountId}:root`,
        Operations: OPS,
        Constraints: { EncryptionContextSubset: { Department: 'Payroll' } },
      },
    ]);
    const plain = await create({ Operations: ['DescribeKey'] });
    const entry = (await list({ GrantId: plain.GrantId })).Grants![0]!;
    expect(Object.keys(entry).sort()).toEqual(
      ['CreationDate', 'GrantId', 'GranteePrincipal', 'IssuingAccount', 'KeyId', 'Operations'].sort(),
    );
    const retirable = await client.send(new ListRetirableGrantsCommand({ RetiringPrincipal: RETIREE }));
    expect(retirable.Grants!.map((g) => g.GrantId)).toEqual([created.GrantId]);

    await client.send(new RetireGrantCommand({ GrantToken: created.GrantToken }));
    await client.send(new RevokeGrantCommand({ KeyId: arnOf(key), GrantId: plain.GrantId }));
    expect((await list()).Grants!.map((g) => g.GrantId)).not.toEqual(
      expect.arrayContaining([created.GrantId, plain.GrantId]),
    );
    expect((await list({ GrantId: created.GrantId })).Grants).toEqual([]);
    const byIds = await create();
    await client.send(new RetireGrantCommand({ KeyId: key, GrantId: byIds.GrantId }));
    expect((await list({ GrantId: byIds.GrantId })).Grants).toEqual([]);
  });

  it('answers a named retry with the same grant and a new token; other keys and parameters get new grants', async () => {
    const first = await create({ Name: 'retry-me' });
    const again = await create({ Name: 'retry-me', Operations: [...OPS].reverse() });
    expect(again.GrantId).toBe(first.GrantId);
    expect(again.GrantToken).not.toBe(first.GrantToken);
    expect((await create({ Name: 'retry-me', Operations: ['Decrypt'] })).GrantId).not.toBe(first.GrantId);
    expect((await create()).GrantId).not.toBe((await create()).GrantId);
    const other = (await client.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
    expect((await create({ KeyId: other, Name: 'retry-me' })).GrantId).not.toBe(first.GrantId);
  });

  it('pages with Limit and Marker, in creation order, and filters by grantee', async () => {
    const pager = (await client.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
    const ids: string[] = [];
    for (let i = 0; i < 5; i++)
      ids.push((await create({ KeyId: pager, GranteePrincipal: i % 2 ? 'other-app' : GRANTEE })).GrantId!);
    const seen: string[] = [];
    let marker: string | undefined;
    for (;;) {
      const page = await list({ KeyId: pager, Limit: 2, Marker: marker });
      seen.push(...page.Grants!.map((g) => g.GrantId!));
      if (!page.Truncated) break;
      marker = page.NextMarker;
    }
    expect(seen).toEqual(ids);
    expect((await list({ KeyId: pager, GranteePrincipal: 'other-app' })).Grants!.map((g) => g.GrantId)).toEqual([
      ids[1],
      ids[3],
    ]);
    const first = await list({ KeyId: pager, Limit: 2 });
    expect(await failure(list({ KeyId: key, Marker: first.NextMarker }))).toMatchObject({
      name: 'InvalidMarkerException',
    });
  });

  it('refuses what kms-crypto §7.4, §10 #17 and #18 refuse', async () => {
    const hmac = (await client.send(new CreateKeyCommand({ KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' })))
      .KeyMetadata!.KeyId!;
    const disabled = (await client.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
    await client.send(new DisableKeyCommand({ KeyId: disabled }));
    const unknown = '00000000-0000-0000-0000-000000000000';
    const pairs = Object.fromEntries(Array.from({ length: 9 }, (_, i) => [`k${i}`, 'v']));
    const cases: [() => Promise<unknown>, { name: string; message?: string }][] = [
      [
        () => create({ KeyId: 'alias/any' }),
        { name: 'InvalidArnException', message: 'Key Aliases are not supported for this operation.' },
      ],
      [() => create({ KeyId: 'invalid' }), { name: 'NotFoundException', message: "Invalid keyId 'invalid'" }],
      [
        () => create({ KeyId: unknown }),
        { name: 'NotFoundException', message: `Key '${arnOf(unknown)}' does not exist` },
      ],
      [() => create({ KeyId: disabled }), { name: 'DisabledException', message: `${arnOf(disabled)} is disabled.` }],
      [() => create({ Operations: ['Sign'] }), { name: 'ValidationException' }],
      [() => create({ KeyId: hmac, Operations: ['GenerateDataKey'] }), { name: 'ValidationException' }],
      [
        () =>
          create({ KeyId: hmac, Operations: ['GenerateMac'], Constraints: { EncryptionContextEquals: { a: 'b' } } }),
        { name: 'ValidationException' },
      ],
      [() => create({ Constraints: { EncryptionContextSubset: pairs } }), { name: 'ValidationException' }],
      [
        () => create({ DryRun: true }),
        {
          name: 'DryRunOperationException',
          message: 'The request would have succeeded, but the DryRun option is set.',
        },
      ],
      [
        () => client.send(new RetireGrantCommand({})),
        { name: 'ValidationException', message: 'Grant token OR (grant ID, key ID) must be specified' },
      ],
      [
        () => client.send(new RetireGrantCommand({ GrantToken: 'not-a-token' })),
        { name: 'InvalidGrantTokenException' },
      ],
      [
        () => client.send(new RevokeGrantCommand({ KeyId: key, GrantId: 'f'.repeat(64) })),
        { name: 'NotFoundException', message: `Grant ID ${'f'.repeat(64)} not found` },
      ],
      [() => client.send(new RevokeGrantCommand({ KeyId: key, GrantId: 'nope' })), { name: 'InvalidGrantIdException' }],
      [() => list({ KeyId: 'alias/any' }), { name: 'InvalidArnException' }],
      [() => list({ KeyId: unknown }), { name: 'NotFoundException' }],
    ];
    for (const [call, expected] of cases)
      expect([expected.name, await failure(call())]).toMatchObject([expected.name, expected]);
    // The constraint texts of §10 #17.
    expect(await failure(create({ Operations: ['Sign'] }))).toEqual({
      name: 'ValidationException',
      message: 'Grant operation Sign is not supported for this key.',
    });
    const dry = await create({ KeyId: disabled, Operations: ['DescribeKey'] }).catch((e: Error) => e.name);
    expect(dry).toBe('DisabledException');
    // A DryRun retire or revoke changes nothing; the grant stays listed.
    const kept = await create();
    expect(
      await failure(client.send(new RevokeGrantCommand({ KeyId: key, GrantId: kept.GrantId, DryRun: true }))),
    ).toMatchObject({ name: 'DryRunOperationException' });
    expect((await list({ GrantId: kept.GrantId })).Grants).toHaveLength(1);
  });

  it('accepts the tokens it issued on every operation that takes them, revoked ones too, and refuses others', async () => {
    const grant = await create();
    await client.send(new RevokeGrantCommand({ KeyId: key, GrantId: grant.GrantId }));
    const GrantTokens = [grant.GrantToken!, tokens[0]!];
    const sealed = await client.send(new EncryptCommand({ KeyId: key, Plaintext: Buffer.from('x'), GrantTokens }));
    await client.send(new DecryptCommand({ CiphertextBlob: sealed.CiphertextBlob, GrantTokens }));
    await client.send(new GenerateDataKeyCommand({ KeyId: key, KeySpec: 'AES_256', GrantTokens }));
    await client.send(new DescribeKeyCommand({ KeyId: key, GrantTokens }));
    await create({ GrantTokens });
    const forged = Buffer.from(grant.GrantToken!, 'base64url');
    forged[40]! ^= 1;
    for (const bad of [forged.toString('base64url'), 'x'])
      expect(
        await failure(client.send(new EncryptCommand({ KeyId: key, Plaintext: Buffer.from('x'), GrantTokens: [bad] }))),
      ).toMatchObject({ name: 'InvalidGrantTokenException' });
    const refused = await rawKms(kms.url, JSON.stringify({ KeyId: key, GrantTokens: ['x'] }), {
      target: 'TrentService.DescribeKey',
    });
    expect([refused.status, refused.json]).toEqual([400, { __type: 'InvalidGrantTokenException' }]);
    const raw = (body: Record<string, unknown>) =>
      rawKms(kms.url, JSON.stringify(body), { target: 'TrentService.DescribeKey' });
    const tooMany = await raw({ KeyId: key, GrantTokens: Array(11).fill(grant.GrantToken) });
    expect(tooMany.json).toEqual({
      __type: 'ValidationException',
      message:
        "1 validation error detected: Value at 'grantTokens' failed to satisfy constraint: Member must have length less than or equal to 10",
    });
    const tooLong = await raw({ KeyId: key, GrantTokens: ['t'.repeat(8193)] });
    expect(tooLong.json).toEqual({
      __type: 'ValidationException',
      message:
        "1 validation error detected: Value at 'grantTokens.1.member' failed to satisfy constraint: Member must have length less than or equal to 8192",
    });
  });

  it('keeps every token out of the events and the records, which show grant ids as §8.2 says', async () => {
    const retired = await create({ Name: 'audited' });
    await create({ Name: 'audited' }); // answered without an event: recorded by the audit recorder
    await client.send(new RetireGrantCommand({ GrantToken: retired.GrantToken }));
    const { rows } = await sql<{ text: string }>`SELECT data::text || metadata::text AS text FROM events`.execute(
      kms.database.db,
    );
    const everything = rows.map((r) => r.text).join('\n');
    for (const token of tokens) expect(everything.includes(token)).toBe(false);
    const trail = kms.trail({ region: REGION });
    await waitForRecords(trail, 'RetireGrant');
    /** Every record of `name`, all pages. */
    const records = async (name: string) => {
      const found: Record<string, unknown>[] = [];
      let NextToken: string | undefined;
      do {
        const LookupAttributes = [{ AttributeKey: 'EventName' as const, AttributeValue: name }];
        const page = await trail.send(new LookupEventsCommand({ LookupAttributes, NextToken }));
        found.push(...(page.Events ?? []).map((e) => JSON.parse(e.CloudTrailEvent!) as Record<string, unknown>));
        NextToken = page.NextToken;
      } while (NextToken);
      return found;
    };
    const audited = async () =>
      (await records('CreateGrant')).filter(
        (r) => (r.requestParameters as { name?: string } | null)?.name === 'audited',
      );
    // The answered retry is recorded a few milliseconds later than the call that appended an event.
    expect(await eventually(async () => (await audited()).length === 2, 10_000, 50)).toBe(true);
    const created = (await records('CreateGrant')).filter(
      (r) => (r.requestParameters as { name?: string } | null)?.name === 'audited',
    );
    expect(created.length).toBe(2);
    for (const record of created) {
      expect(record.responseElements).toEqual({ grantId: retired.GrantId });
      expect(record.requestParameters).toEqual({
        keyId: key,
        granteePrincipal: GRANTEE,
        operations: OPS,
        name: 'audited',
      });
      expect(record).toMatchObject({ readOnly: false, resources: [{ ARN: arnOf(key), type: 'AWS::KMS::Key' }] });
    }
    const retire = (await records('RetireGrant')).find(
      (r) => (r.additionalEventData as { grantId?: string } | undefined)?.grantId === retired.GrantId,
    );
    expect(retire).toMatchObject({ requestParameters: null, responseElements: null, readOnly: false });
    await waitForRecords(trail, 'ListGrants');
    expect((await records('ListGrants'))[0]).toMatchObject({ readOnly: true, responseElements: null });
    const all = JSON.stringify(await trail.send(new LookupEventsCommand({ MaxResults: 50 })));
    for (const token of tokens) expect(all.includes(token)).toBe(false);
  });
});
