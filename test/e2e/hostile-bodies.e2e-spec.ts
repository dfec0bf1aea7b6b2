import { DescribeKeyCommand, type KMSClient } from '@aws-sdk/client-kms';
import fc from 'fast-check';
import { sql } from 'kysely';
import { AuditRecorder } from '../../src/audit/audit-recorder';
import { eventually } from '../support/events';
import { graphql } from '../support/graphql-client';
import { type KmsTestApp, startKmsApp } from '../support/kms-test-app';
import { signedGet } from '../support/query-client';
import { type RawResponse, rawKms } from '../support/raw-kms';
import { OPERATIONS as KMS_OPERATIONS } from '../../src/kms-api/operations';

/** Every operation the KMS API serves. */
const OPERATIONS = Object.keys(KMS_OPERATIONS);
const LOOKUP_EVENTS = 'CloudTrail_20131101.LookupEvents';
const BODY_LIMIT = 1024 * 1024;
const nested = (levels: number) => '['.repeat(levels) + ']'.repeat(levels);
const deepObject = (levels: number) => `${'{"k":'.repeat(levels)}1${'}'.repeat(levels)}`;

/** Strings no client should be able to break the service with, as JSON string contents (escapes kept). */
const HOSTILE_STRINGS = [
  'alias/lone\\ud800', // lone high surrogate
  'alias/lone\\udfff', // lone low surrogate
  '\\udc00\\ud800', // a low then a high: no pair
  'alias/nul\\u0000x',
  'alias/\\uffff\\udbff\\udfff', // U+FFFF, U+10FFFF
  'alias/zwj\u200d\u202eltr\u2028', // ZWJ, RTL override, line separator
  '\\\\ud800', // the text \ud800, not a surrogate
];

/** Every hostile body of issue 12, as bytes. */
function hostileBodies(): { name: string; body: string | Uint8Array }[] {
  const bodies: { name: string; body: string | Uint8Array }[] = [];
  for (const s of HOSTILE_STRINGS) {
    bodies.push({
      name: `value ${s}`,
      body: `{"AliasName":"${s}","TargetKeyId":"${s}","KeyId":"${s}","Marker":"${s}"}`,
    });
    bodies.push({
      name: `key ${s}`,
      body: `{"${s}":1,"Description":"${s}","Tags":[{"TagKey":"${s}","TagValue":"${s}"}]}`,
    });
  }
  bodies.push(
    { name: '50,000-level arrays', body: nested(50_000) },
    { name: '50,000-level objects', body: deepObject(50_000) },
    { name: 'nesting in a member', body: `{"AliasName":${nested(50_000)}}` },
    { name: 'nesting in keys', body: `{"${'['.repeat(50_000)}":1,"${'{'.repeat(10_000)}":"x"}` },
    { name: 'nesting at the limit', body: `{"Tags":${nested(63)}}` },
    { name: 'huge string', body: `{"AliasName":"alias/${'a'.repeat(BODY_LIMIT - 200)}"}` },
    { name: 'huge escaped string', body: `{"Description":"${'\\ud800'.repeat(Math.floor((BODY_LIMIT - 200) / 6))}"}` },
    {
      name: 'invalid UTF-8',
      body: Buffer.concat([
        Buffer.from('{"AliasName":"alias/'),
        Buffer.from([0xff, 0xfe, 0xc0, 0x80, 0xed, 0xa0, 0x80, 0xf4, 0x90, 0x80, 0x80]),
        Buffer.from('"}'),
      ]),
    },
    {
      name: 'numbers',
      body: '{"Limit":1e400,"PendingWindowInDays":-1e400,"x":1e-400,"y":123456789012345678901234567890}',
    },
    { name: 'duplicate keys', body: '{"AliasName":"alias/a","AliasName":"alias/b","AliasName":{"x":1}}' },
    { name: '__proto__', body: '{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}' },
  );
  return bodies;
}

/**
 * Percent-encoding that also sends lone surrogates, as the bytes a WTF-8 client would (ED A0 80):
 * encodeURIComponent refuses them.
 */
function pct(text: string): string {
  let out = '';
  for (const char of text) {
    const code = char.codePointAt(0)!;
    if (code >= 0xd800 && code <= 0xdfff) {
      const bytes = [0xe0 | (code >> 12), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f)];
      out += bytes.map((b) => `%${b.toString(16).toUpperCase()}`).join('');
    } else out += encodeURIComponent(char);
  }
  return out;
}

/** Hostile strings: lone surrogates, NUL, JSON's own characters and odd code points, mixed. */
const hostileString = fc.string({
  unit: fc.constantFrom(
    '\ud800',
    '\udbff',
    '\udc00',
    '\udfff',
    '\u0000',
    '\uffff',
    '\u{10FFFF}',
    '\u200d',
    '\u202e',
    '"',
    '\\',
    '[',
    '{',
    'a',
    'alias/',
  ),
  maxLength: 40,
});
/** JSON shapes made of them, a few levels deep. */
const hostileShape = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    hostileString,
    fc.double(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(hostileString, tie('value'), { maxKeys: 4 }),
  ),
})).value;
const hostileKmsBody = fc
  .oneof(
    fc.dictionary(
      fc.oneof(
        fc.constantFrom('AliasName', 'TargetKeyId', 'KeyId', 'Description', 'Marker', 'Limit', 'Tags', '__proto__'),
        hostileString,
      ),
      hostileShape,
      { maxKeys: 5 },
    ),
    hostileShape,
  )
  .map((value) => JSON.stringify(value));

describe('hostile bodies through every API', () => {
  let kms: KmsTestApp;
  let client: KMSClient;
  const answers: { api: string; status: number; text: string }[] = [];
  const noted =
    (api: string) =>
    <T extends { status: number; text: string }>(response: T): T => {
      answers.push({ api, status: response.status, text: response.text.slice(0, 200) });
      return response;
    };
  const kmsCall = (operation: string, body: string | Uint8Array): Promise<RawResponse> =>
    rawKms(kms.url, body, { target: `TrentService.${operation}` }).then(noted(`kms ${operation}`));
  const lookupEvents = (body: string | Uint8Array) =>
    rawKms(kms.url, body, { target: LOOKUP_EVENTS, service: 'cloudtrail' }).then(noted('cloudtrail'));
  const rest = async (path: string) => {
    const response = await signedGet(kms.url, path);
    return noted(`rest ${path.slice(0, 60)}`)({ status: response.status, text: await response.text() });
  };
  const graphqlCall = async (rawBody: string) => {
    const query =
      'query Q($region: String!, $after: String, $name: String) { aliases(region: $region, after: $after) { nodes { aliasName } } auditEvents(region: $region, username: $name) { nodes { eventName } } }';
    const response = await graphql(
      kms.url,
      query,
      {},
      { rawBody: rawBody.replace('QUERY', JSON.stringify(query).slice(1, -1)) },
    );
    return noted('graphql')({ status: response.status, text: JSON.stringify(response.body) });
  };
  const recorded = async (requestId: string) => {
    const { rows } = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM events WHERE metadata->>'requestId' = ${requestId}`.execute(kms.database.db);
    return rows[0]!.n > 0;
  };

  beforeAll(async () => {
    kms = await startKmsApp({ ALIASTRAIL_POLL_INTERVAL_MS: '20' });
    client = kms.client();
  });
  afterAll(async () => {
    await kms?.close();
  });

  it('answers every hostile body of the list with no 5xx, on KMS, CloudTrail, REST and GraphQL', async () => {
    for (const { body } of hostileBodies()) {
      for (const operation of OPERATIONS) await kmsCall(operation, body);
      await lookupEvents(body);
    }
    for (const s of HOSTILE_STRINGS) {
      await lookupEvents(
        `{"LookupAttributes":[{"AttributeKey":"Username","AttributeValue":"${s}"}],"NextToken":"${s}"}`,
      );
      await lookupEvents(`{"LookupAttributes":[{"AttributeKey":"${s}","AttributeValue":"x"}],"StartTime":"${s}"}`);
      const value = JSON.parse(`"${s}"`) as string;
      await rest(`/api/regions/us-west-2/aliases?at=${pct(value)}&nextToken=${pct(value)}`);
      await rest(`/api/regions/us-west-2/audit-events?username=${pct(value)}&errorCode=${pct(value)}`);
      await rest(`/api/regions/us-west-2/alias?name=${pct(value)}`);
      await graphqlCall(`{"query":"QUERY","variables":{"region":"${s}","after":"${s}","name":"${s}"}}`);
      await graphqlCall(`{"query":"QUERY","variables":{"region":"us-west-2","${s}":"${s}"}}`);
    }
    await rest('/api/regions/us-west-2/alias?name=alias%2F%ED%A0%80%FF%FE%00');
    await rest(`/api/regions/us-west-2/audit-events?username=${'%5B'.repeat(2000)}`);
    await graphqlCall(`{"query":"QUERY","variables":{"region":${nested(50_000)}}}`);
    await graphqlCall(`{"query":"QUERY","variables":{"region":"us-west-2","deep":${deepObject(50_000)}}}`);
    await graphqlCall(
      `{"query":"QUERY","variables":{"region":"us-west-2","__proto__":{"polluted":true},"name":1e400}}`,
    );

    expect(answers.filter((a) => a.status >= 500)).toEqual([]);
    // The deep KMS and CloudTrail bodies got AWS's error, not a generic one.
    const deep = await kmsCall('ListAliases', nested(50_000));
    expect([deep.status, deep.json?.__type]).toEqual([400, 'SerializationException']);
    const deepLookup = await lookupEvents(deepObject(50_000));
    expect([deepLookup.status, deepLookup.json?.__type]).toEqual([400, 'SerializationException']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('answers generated hostile strings and shapes with no 5xx, through every API', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...OPERATIONS), hostileKmsBody, async (operation, body) => {
        expect((await kmsCall(operation, body)).status).toBeLessThan(500);
      }),
      { numRuns: 150 },
    );
    await fc.assert(
      fc.asyncProperty(hostileString, hostileShape, async (text, shape) => {
        const body = JSON.stringify({
          LookupAttributes: [{ AttributeKey: 'Username', AttributeValue: text }],
          NextToken: text,
          StartTime: shape,
        });
        expect((await lookupEvents(body)).status).toBeLessThan(500);
        const query = new URLSearchParams({ username: text, eventName: text, nextToken: text }).toString();
        expect((await rest(`/api/regions/us-west-2/audit-events?${query}`)).status).toBeLessThan(500);
        expect((await rest(`/api/regions/${pct(text)}/aliases?at=${pct(text)}`)).status).toBeLessThan(500);
        const variables = JSON.stringify({ region: text, after: text, name: shape, [text]: shape });
        expect((await graphqlCall(`{"query":"QUERY","variables":${variables}}`)).status).toBeLessThan(500);
      }),
      { numRuns: 100 },
    );
    expect(answers.filter((a) => a.status >= 500)).toEqual([]);
  });

  it('still records after the barrage: a fresh failed call is in the audit trail, nothing held or set aside', async () => {
    const error = (await client
      .send(new DescribeKeyCommand({ KeyId: '00000000-0000-4000-8000-0000000000bb' }))
      .catch((e: unknown) => e)) as { name: string; $metadata: { requestId: string } };
    expect(error.name).toBe('NotFoundException');
    expect(await eventually(() => recorded(error.$metadata.requestId), 5000)).toBe(true);
    // The lone-surrogate CreateAlias of the list is in the trail too, replaced.
    const { rows } = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM events
       WHERE type = 'KmsCallRecorded' AND metadata->'requestParameters'->>'AliasName' = ${'alias/lone\ufffd'}`.execute(
      kms.database.db,
    );
    expect(rows[0]!.n).toBeGreaterThan(0);
    expect(kms.app.get(AuditRecorder).status()).toMatchObject({ held: 0, setAside: 0 });
  });
});
