import { type CliResult, awsCli, hasAwsCli } from '../support/aws-cli';
import { type KmsTestApp, startKmsApp } from '../support/kms-test-app';
import { TEST_CREDENTIALS } from '../support/test-app';
import { toolsRequired } from '../support/required-tools';

// The seed's examples need the AWS CLI; where it is not installed there is nothing to replay.
const describeWithCli = hasAwsCli || toolsRequired ? describe : describe.skip;

/** The AWS CLI examples of AWS's "Managing aliases" guide, replayed with --endpoint-url. */
describeWithCli('the seed page’s AWS CLI examples', () => {
  let kms: KmsTestApp;
  let k1: string;
  let k2: string;

  const aws = (...args: string[]): Promise<CliResult> => awsCli(kms.url, TEST_CREDENTIALS, args);
  const json = async (...args: string[]) => {
    const result = await aws(...args);
    expect(result.stderr).toBe('');
    return JSON.parse(result.stdout);
  };

  beforeAll(async () => {
    kms = await startKmsApp();
    k1 = (await json('kms', 'create-key')).KeyMetadata.KeyId;
    k2 = (await json('kms', 'create-key', '--description', 'second')).KeyMetadata.KeyId;
  });
  afterAll(() => kms.close());

  it('create-alias prints nothing and exits 0, by key id and by key ARN', async () => {
    expect(await aws('kms', 'create-alias', '--alias-name', 'alias/example-key', '--target-key-id', k1)).toEqual({
      code: 0,
      stdout: '',
      stderr: '',
    });
    const arn = `arn:aws:kms:us-west-2:${TEST_CREDENTIALS.accountId}:key/${k2}`;
    expect(
      (await aws('kms', 'create-alias', '--alias-name', 'alias/finance-project', '--target-key-id', arn)).code,
    ).toBe(0);
    await aws('kms', 'create-alias', '--alias-name', 'alias/access-key', '--target-key-id', k2);
    await aws('kms', 'create-alias', '--alias-name', 'alias/test-key', '--target-key-id', k1);
  });

  it('list-aliases lists all aliases, AWS managed ones included, with epoch-number dates', async () => {
    const result = await aws('kms', 'list-aliases');
    expect(result.stdout).toMatch(/"CreationDate": \d+\.?\d*,/);
    const { Aliases } = JSON.parse(result.stdout);
    expect(Aliases.find((a: { AliasName: string }) => a.AliasName === 'alias/example-key')).toEqual({
      AliasName: 'alias/example-key',
      AliasArn: `arn:aws:kms:us-west-2:${TEST_CREDENTIALS.accountId}:alias/example-key`,
      TargetKeyId: k1,
      CreationDate: expect.any(Number),
      LastUpdatedDate: expect.any(Number),
    });
    expect(Object.keys(JSON.parse(result.stdout))).toEqual(['Aliases']); // the CLI merged the pages
  });

  it('list-aliases --key-id shows only that key’s aliases', async () => {
    const { Aliases } = await json('kms', 'list-aliases', '--key-id', k2);
    expect(Aliases.map((a: { AliasName: string }) => a.AliasName)).toEqual([
      'alias/access-key',
      'alias/finance-project',
    ]);
    expect(Aliases.every((a: { TargetKeyId: string }) => a.TargetKeyId === k2)).toBe(true);
  });

  it('--query filters as in the guide, case-sensitively', async () => {
    const managed = await json('kms', 'list-aliases', '--query', 'Aliases[?starts_with(AliasName, `alias/aws/`)]');
    expect(managed.length).toBe(14);
    expect(managed.every((a: { AliasName: string }) => a.AliasName.startsWith('alias/aws/'))).toBe(true);
    expect(await json('kms', 'list-aliases', '--query', 'Aliases[?AliasName==`alias/access-key`]')).toEqual([
      expect.objectContaining({ AliasName: 'alias/access-key', TargetKeyId: k2 }),
    ]);
    expect(await json('kms', 'list-aliases', '--query', 'Aliases[?AliasName==`alias/Access-Key`]')).toEqual([]);
  });

  it('update-alias moves the alias; TargetKeyId and LastUpdatedDate change, CreationDate does not', async () => {
    const query = ['kms', 'list-aliases', '--query', 'Aliases[?AliasName==`alias/test-key`]'];
    const [before] = await json(...query);
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(await aws('kms', 'update-alias', '--alias-name', 'alias/test-key', '--target-key-id', k2)).toEqual({
      code: 0,
      stdout: '',
      stderr: '',
    });
    const [after] = await json(...query);
    expect(after.TargetKeyId).toBe(k2);
    expect(after.CreationDate).toBe(before.CreationDate);
    expect(after.LastUpdatedDate).toBeGreaterThan(before.LastUpdatedDate);
  });

  it('delete-alias removes it: the query then prints [] and, as text, nothing', async () => {
    expect((await aws('kms', 'delete-alias', '--alias-name', 'alias/test-key')).code).toBe(0);
    expect(await json('kms', 'list-aliases', '--query', 'Aliases[?AliasName==`alias/test-key`]')).toEqual([]);
    expect(
      await aws('kms', 'list-aliases', '--query', 'Aliases[?AliasName==`alias/test-key`]', '--output', 'text'),
    ).toEqual({ code: 0, stdout: '', stderr: '' });
  });

  it('prints service errors as the CLI does', async () => {
    const result = await aws('kms', 'create-alias', '--alias-name', 'alias/example-key', '--target-key-id', k1);
    expect(result.code).toBe(255);
    expect(result.stderr.trim()).toBe(
      `An error occurred (AlreadyExistsException) when calling the CreateAlias operation: An alias with the name arn:aws:kms:us-west-2:${TEST_CREDENTIALS.accountId}:alias/example-key already exists`,
    );
  });

  it('describe-key resolves an alias; schedule-key-deletion answers the key ARN', async () => {
    expect((await json('kms', 'describe-key', '--key-id', 'alias/example-key')).KeyMetadata.KeyId).toBe(k1);
    const scheduled = await json('kms', 'schedule-key-deletion', '--key-id', k1, '--pending-window-in-days', '7');
    expect(scheduled).toMatchObject({
      KeyId: `arn:aws:kms:us-west-2:${TEST_CREDENTIALS.accountId}:key/${k1}`,
      KeyState: 'PendingDeletion',
      PendingWindowInDays: 7,
    });
    expect(typeof scheduled.DeletionDate).toBe('number');
  });

  it('aws cloudtrail lookup-events finds the history of an alias, newest first, the failed call included', async () => {
    let events: { EventName: string; CloudTrailEvent: string }[] = [];
    // Each CLI run takes about a second, by which time the audit projection has long caught up.
    for (let i = 0; i < 10; i++) {
      const answer = await json(
        'cloudtrail',
        'lookup-events',
        '--lookup-attributes',
        'AttributeKey=ResourceName,AttributeValue=alias/example-key',
      );
      events = answer.Events;
      if (events.some((e) => JSON.parse(e.CloudTrailEvent).errorCode)) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const records = events.map((e) => JSON.parse(e.CloudTrailEvent));
    expect(records.find((r) => r.errorCode)).toMatchObject({
      eventName: 'CreateAlias',
      errorCode: 'AlreadyExistsException',
      userAgent: expect.stringMatching(/^aws-cli\//),
    });
    expect(records.map((r) => r.eventName)).toContain('CreateAlias');
    const times = events.map((e) => Date.parse(JSON.parse(e.CloudTrailEvent).eventTime));
    expect(times).toEqual([...times].sort((a, b) => b - a));
  });
});
