import { CreateAliasCommand, CreateKeyCommand, ListAliasesCommand } from '@aws-sdk/client-kms';
import { type KmsTestApp, startKmsApp } from '../support/kms-test-app';
import { rawKms } from '../support/raw-kms';

/** The AWS JSON 1.1 wire protocol and its errors, byte for byte (spec §2). */
describe('the KMS wire protocol', () => {
  let kms: KmsTestApp;

  beforeAll(async () => {
    kms = await startKmsApp();
  });
  afterAll(() => kms.close());

  it('answers a no-output operation with 200, an empty body, the JSON 1.1 type and a request id', async () => {
    const key = (await kms.client().send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
    const response = await rawKms(kms.url, JSON.stringify({ AliasName: 'alias/raw', TargetKeyId: key }), {
      target: 'TrentService.CreateAlias',
    });
    expect(response.status).toBe(200);
    expect(response.text).toBe('');
    expect(response.headers.get('content-length')).toBe('0');
    expect(response.headers.get('content-type')).toBe('application/x-amz-json-1.1');
    expect(response.headers.get('x-amzn-requestid')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('sends epoch-second numbers with at most 3 decimals and omits absent members', async () => {
    const response = await rawKms(kms.url, '{"Limit": 1}');
    const text = response.text;
    expect(text).toMatch(/"CreationDate":\d+(\.\d{1,3})?[,}]/);
    expect(text).not.toContain('null');
    expect(response.json).toMatchObject({ Truncated: true });
  });

  it('takes an empty body as {}', async () => {
    expect((await rawKms(kms.url, '')).status).toBe(200);
  });

  it.each([
    ['unknown target', '{}', { target: 'TrentService.Nope' }, 'UnknownOperationException'],
    ['missing target', '{}', { target: null }, 'UnknownOperationException'],
    ['other service prefix', '{}', { target: 'Other.ListAliases' }, 'UnknownOperationException'],
    ['malformed JSON', '{"Limit": ', {}, 'SerializationException'],
    ['a JSON array', '[1,2]', {}, 'SerializationException'],
    ['a string where a number goes', '{"Limit": "5"}', {}, 'SerializationException'],
    [
      'a number where a string goes',
      '{"AliasName": 5, "TargetKeyId": "x"}',
      { target: 'TrentService.CreateAlias' },
      'SerializationException',
    ],
    ['a missing member', '{"AliasName": "alias/x"}', { target: 'TrentService.CreateAlias' }, 'ValidationException'],
    [
      'an empty member',
      '{"AliasName": "alias/x", "TargetKeyId": ""}',
      { target: 'TrentService.CreateAlias' },
      'ValidationException',
    ],
    ['a marker with control characters', '{"Marker": "\\u0001"}', {}, 'ValidationException'],
  ])('answers %s with %4$s', async (_case, body, options, code) => {
    const response = await rawKms(kms.url, body, options);
    expect(response.status).toBe(400);
    expect(response.json?.__type).toBe(code);
    expect(response.headers.get('content-type')).toBe('application/x-amz-json-1.1');
    expect(response.headers.get('x-amzn-requestid')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('words missing and empty members in coral format', async () => {
    const missing = await rawKms(kms.url, '{}', { target: 'TrentService.CreateAlias' });
    expect(missing.json).toEqual({
      __type: 'ValidationException',
      message:
        "2 validation errors detected: Value null at 'aliasName' failed to satisfy constraint: Member must not be null; Value null at 'targetKeyId' failed to satisfy constraint: Member must not be null",
    });
    const empty = await rawKms(kms.url, '{"KeyId": ""}', { target: 'TrentService.DescribeKey' });
    expect(empty.json?.message).toBe(
      "1 validation error detected: Value '' at 'keyId' failed to satisfy constraint: Member must have length greater than or equal to 1",
    );
  });

  it('answers the reserved prefix with a bare NotAuthorizedException', async () => {
    const response = await rawKms(kms.url, '{"AliasName": "alias/aws/s3"}', { target: 'TrentService.DeleteAlias' });
    expect(response.text).toBe('{"__type":"NotAuthorizedException"}');
  });

  it('refuses an oversized body without falling over', async () => {
    const response = await rawKms(kms.url, JSON.stringify({ Description: 'x'.repeat(2 * 1024 * 1024) }), {
      target: 'TrentService.CreateKey',
    });
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
    expect(response.json).toMatchObject({ __type: 'SerializationException' });
    // The KMS API is POST / whatever query string comes with it, and so is its answer.
    const withQuery = await rawKms(`${kms.url}/?x=1`, JSON.stringify({ Description: 'x'.repeat(2 * 1024 * 1024) }), {
      target: 'TrentService.CreateKey',
    });
    expect(withQuery.json).toMatchObject({ __type: 'SerializationException' });
    expect((await rawKms(kms.url, '{}')).status).toBe(200);
  });

  describe('authentication', () => {
    it('answers an unsigned request with MissingAuthenticationTokenException', async () => {
      const response = await rawKms(kms.url, '{}', { sign: false });
      expect([response.status, response.json]).toEqual([
        400,
        { __type: 'MissingAuthenticationTokenException', message: 'Missing Authentication Token' },
      ]);
    });

    it('answers an unknown access key with UnrecognizedClientException', async () => {
      const response = await rawKms(kms.url, '{}', { accessKeyId: 'AKIAUNKNOWNUNKNOWN00' });
      expect(response.json).toEqual({
        __type: 'UnrecognizedClientException',
        message: 'The security token included in the request is invalid.',
      });
    });

    it.each([
      [
        'a wrong secret',
        { secretAccessKey: 'wrong-secret-wrong-secret-wrong-secret00' },
        /signature we calculated does not match/,
      ],
      [
        'a body changed after signing',
        { tamper: (body: string) => body.replace('1', '2') },
        /x-amz-content-sha256|signature we calculated/,
      ],
      ['a clock 16 minutes slow', { signingDate: new Date(Date.now() - 16 * 60_000) }, /^Signature expired: /],
      ['a clock 16 minutes fast', { signingDate: new Date(Date.now() + 16 * 60_000) }, /^Signature not yet current: /],
      ['another service scope', { service: 'cloudtrail' }, /Credential should be scoped to correct service: 'kms'/],
    ])('answers %s with InvalidSignatureException', async (_case, options, message) => {
      const response = await rawKms(kms.url, '{"Limit": 1}', options);
      expect(response.status).toBe(400);
      expect(response.json?.__type).toBe('InvalidSignatureException');
      expect(response.json?.message).toMatch(message);
    });

    it('accepts a clock 14 minutes off', async () => {
      expect((await rawKms(kms.url, '{}', { signingDate: new Date(Date.now() - 14 * 60_000) })).status).toBe(200);
    });

    it('reports a wrong secret to the SDK as InvalidSignatureException', async () => {
      const client = kms.client({ secretAccessKey: 'wrong-secret-wrong-secret-wrong-secret00' });
      await expect(client.send(new ListAliasesCommand({}))).rejects.toMatchObject({
        name: 'InvalidSignatureException',
      });
    });
  });

  it('stays up and consistent after a burst of hostile requests', async () => {
    const bodies = [
      '{',
      '}',
      'null',
      '"x"',
      '{"AliasName": {"a": 1}}',
      '{"Limit": 1e309}',
      '{"Limit": -1}',
      '{"Limit": 1.5}',
      '\u0000',
      'x'.repeat(10_000),
    ];
    const targets = [
      'TrentService.CreateAlias',
      'TrentService.ListAliases',
      'TrentService.CreateKey',
      'TrentService.ScheduleKeyDeletion',
      '../../etc',
    ];
    const responses = await Promise.all(
      bodies.flatMap((body) => targets.map((target) => rawKms(kms.url, body, { target }))),
    );
    for (const response of responses) {
      // Unknown members are ignored, as AWS does, so some of these are valid calls.
      if (response.status === 200) expect(response.text === '' || typeof response.json === 'object').toBe(true);
      else expect([response.status, typeof response.json?.__type]).toEqual([400, 'string']);
      expect(response.text).not.toMatch(/stack|at \w+ \(|SELECT|postgres/i);
    }
    expect(responses.filter((r) => r.status === 400).length).toBeGreaterThan(40);
    const client = kms.client();
    const key = (await client.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
    await client.send(new CreateAliasCommand({ AliasName: 'alias/after-burst', TargetKeyId: key }));
  });
});
