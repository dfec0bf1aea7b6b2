import {
  CreateAliasCommand,
  CreateKeyCommand,
  DescribeKeyCommand,
  type KMSClient,
  ListResourceTagsCommand,
  ScheduleKeyDeletionCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateKeyDescriptionCommand,
} from '@aws-sdk/client-kms';
import { waitForRecords } from '../support/cloudtrail-records';
import { failureOf as failure } from '../support/failure';
import { type KmsTestApp, startKmsApp } from '../support/kms-test-app';
import { TEST_CREDENTIALS } from '../support/test-app';

const REGION = 'us-west-2';
const arnOf = (keyId: string) => `arn:aws:kms:${REGION}:${TEST_CREDENTIALS.accountId}:key/${keyId}`;
const tags = (...pairs: [string, string][]) => pairs.map(([TagKey, TagValue]) => ({ TagKey, TagValue }));

/** TagResource, UntagResource, ListResourceTags and UpdateKeyDescription (kms-crypto §7.1–§7.2). */
describe('tags and descriptions of keys', () => {
  let kms: KmsTestApp;
  let client: KMSClient;
  let key: string;

  beforeAll(async () => {
    kms = await startKmsApp();
    client = kms.client();
    const created = await client.send(new CreateKeyCommand({ Tags: tags(['tag2', 'value2'], ['tag1', 'value1']) }));
    key = created.KeyMetadata!.KeyId!;
    await client.send(new CreateAliasCommand({ AliasName: 'alias/tagged', TargetKeyId: key }));
  });
  afterAll(() => kms.close());

  const list = (KeyId = key, more: { Limit?: number; Marker?: string } = {}) =>
    client.send(new ListResourceTagsCommand({ KeyId, ...more }));

  it("lists CreateKey's tags, adds and replaces tags in ascending TagKey order, and removes them", async () => {
    expect(await list()).toMatchObject({ Tags: tags(['tag1', 'value1'], ['tag2', 'value2']), Truncated: false });
    await client.send(
      new TagResourceCommand({ KeyId: key, Tags: tags(['tag4', 'v4'], ['tag2', 'updated_value2'], ['Tag0', 'v0']) }),
    );
    expect((await list(arnOf(key))).Tags).toEqual(
      tags(['Tag0', 'v0'], ['tag1', 'value1'], ['tag2', 'updated_value2'], ['tag4', 'v4']),
    );
    await client.send(new UntagResourceCommand({ KeyId: key, TagKeys: ['tag1', 'not-there'] }));
    expect((await list()).Tags!.map((t) => t.TagKey)).toEqual(['Tag0', 'tag2', 'tag4']);
    await client.send(new UntagResourceCommand({ KeyId: key, TagKeys: ['Tag0', 'tag2', 'tag4'] }));
    expect(await list()).toMatchObject({ Tags: [], Truncated: false });
  });

  it('pages with Limit and Marker, and refuses a marker it did not issue', async () => {
    const many = Array.from({ length: 5 }, (_, i): [string, string] => [`p${i}`, `${i}`]);
    const own = (await client.send(new CreateKeyCommand({ Tags: tags(...many) }))).KeyMetadata!.KeyId!;
    const first = await list(own, { Limit: 2 });
    expect(first).toMatchObject({ Tags: tags(...many.slice(0, 2)), Truncated: true });
    const second = await list(own, { Limit: 2, Marker: first.NextMarker });
    expect(second.Tags).toEqual(tags(...many.slice(2, 4)));
    const last = await list(own, { Limit: 2, Marker: second.NextMarker });
    expect(last).toMatchObject({ Tags: tags(...many.slice(4)), Truncated: false });
    expect(await failure(list(key, { Marker: second.NextMarker }))).toMatchObject({ name: 'InvalidMarkerException' });
    expect(await failure(list(own, { Marker: 'bm90LWEtbWFya2Vy' }))).toMatchObject({ name: 'InvalidMarkerException' });
  });

  it('counts 50 tags on the result, and refuses duplicates, reserved keys and aliases as AWS does', async () => {
    const own = (await client.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
    const fifty = Array.from({ length: 50 }, (_, i): [string, string] => [`k${i}`, 'v']);
    await client.send(new TagResourceCommand({ KeyId: own, Tags: tags(...fifty.slice(0, 49)) }));
    // Re-tagging an existing key adds nothing; the 50th fits, the 51st does not.
    await client.send(new TagResourceCommand({ KeyId: own, Tags: tags(['k0', 'new'], fifty[49]!) }));
    const tooMany = { name: 'TagException', message: 'Too many tags' };
    expect(await failure(client.send(new TagResourceCommand({ KeyId: own, Tags: tags(['k50', 'v']) })))).toEqual(
      tooMany,
    );
    expect(await failure(list(own, { Limit: 50 }))).toEqual({ name: 'no error', message: '' });
    expect((await list(own)).Tags).toHaveLength(50);
    const tag = (Tags: { TagKey: string; TagValue: string }[], KeyId = key) =>
      failure(client.send(new TagResourceCommand({ KeyId, Tags })));
    expect(await tag(tags(['a', '1'], ['a', '2']))).toEqual({ name: 'TagException', message: 'Duplicate tag keys' });
    const reserved = { name: 'TagException', message: 'Tags beginning with aws: are reserved' };
    expect(await tag(tags(['AWS:x', '1']))).toEqual(reserved);
    expect(await failure(client.send(new UntagResourceCommand({ KeyId: key, TagKeys: ['aws:x'] })))).toEqual(reserved);
    expect(await tag(tags(['a', '1']), 'alias/tagged')).toEqual({
      name: 'InvalidArnException',
      message: 'Key Aliases are not supported for this operation.',
    });
    const unknown = '0b0b0b0b-0b0b-4b0b-8b0b-0b0b0b0b0b0b';
    expect(await tag(tags(['a', '1']), unknown)).toEqual({
      name: 'NotFoundException',
      message: `Key '${arnOf(unknown)}' does not exist`,
    });
  });

  it('names the tag at fault in coral validation messages', async () => {
    const long = 'x'.repeat(129);
    const sent = tags(['ok', 'v'], [long, '']);
    expect(await failure(client.send(new TagResourceCommand({ KeyId: key, Tags: sent })))).toEqual({
      name: 'ValidationException',
      message: `1 validation error detected: Value '${long}' at 'tags.2.member.tagKey' failed to satisfy constraint: Member must have length less than or equal to 128`,
    });
  });

  it('updates the description DescribeKey shows, and refuses both changes while the key is pending deletion', async () => {
    await client.send(new UpdateKeyDescriptionCommand({ KeyId: key, Description: 'payroll key' }));
    expect((await client.send(new DescribeKeyCommand({ KeyId: 'alias/tagged' }))).KeyMetadata!.Description).toBe(
      'payroll key',
    );
    await client.send(new UpdateKeyDescriptionCommand({ KeyId: arnOf(key), Description: '' }));
    expect((await client.send(new DescribeKeyCommand({ KeyId: key }))).KeyMetadata!.Description).toBe('');
    const doomed = (await client.send(new CreateKeyCommand({ Tags: tags(['keep', 'me']) }))).KeyMetadata!.KeyId!;
    await client.send(new ScheduleKeyDeletionCommand({ KeyId: doomed, PendingWindowInDays: 7 }));
    const pending = { name: 'KMSInvalidStateException', message: `${arnOf(doomed)} is pending deletion.` };
    expect(await failure(client.send(new UpdateKeyDescriptionCommand({ KeyId: doomed, Description: 'x' })))).toEqual(
      pending,
    );
    expect(await failure(client.send(new TagResourceCommand({ KeyId: doomed, Tags: tags(['a', 'b']) })))).toEqual(
      pending,
    );
    // Listing works in every state.
    expect((await list(doomed)).Tags).toEqual(tags(['keep', 'me']));
  });

  it('records the writes as CloudTrail does, tags and description in plaintext, ListResourceTags read-only', async () => {
    const trail = kms.trail({ region: REGION });
    const records = async (eventName: string) =>
      (await waitForRecords(trail, eventName)).map((e) => JSON.parse(e.CloudTrailEvent!) as Record<string, unknown>);
    const resources = [{ accountId: TEST_CREDENTIALS.accountId, type: 'AWS::KMS::Key', ARN: arnOf(key) }];
    expect(
      (await records('TagResource')).find(
        (r) => r.errorCode === undefined && (r.requestParameters as { keyId: string }).keyId === key,
      ),
    ).toMatchObject({
      readOnly: false,
      requestParameters: {
        keyId: key,
        tags: [
          { tagKey: 'tag4', tagValue: 'v4' },
          { tagKey: 'tag2', tagValue: 'updated_value2' },
          { tagKey: 'Tag0', tagValue: 'v0' },
        ],
      },
      responseElements: null,
      resources,
    });
    expect((await records('UntagResource')).at(-1)).toMatchObject({
      readOnly: false,
      requestParameters: { keyId: key },
    });
    expect(
      (await records('UpdateKeyDescription')).find(
        (r) => (r.requestParameters as { description: string }).description === 'payroll key',
      ),
    ).toMatchObject({
      readOnly: false,
      requestParameters: { keyId: key, description: 'payroll key' },
      resources,
    });
    expect((await records('ListResourceTags'))[0]).toMatchObject({ readOnly: true, responseElements: null });
    trail.destroy();
  });
});
