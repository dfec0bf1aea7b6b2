import {
  DecryptCommand,
  DescribeKeyCommand,
  EncryptCommand,
  GetKeyPolicyCommand,
  GetKeyRotationStatusCommand,
  type KMSClient,
  ListAliasesCommand,
  ListResourceTagsCommand,
} from '@aws-sdk/client-kms';
import { type KmsTestApp, startKmsApp } from '../support/kms-test-app';
import { TerraformDir, awsProviderMirror, hasTerraform } from '../support/terraform';
import { TEST_CREDENTIALS } from '../support/test-app';
import { toolsRequired } from '../support/required-tools';

// Terraform and the hashicorp/aws provider (a local mirror: the network is closed) are on these
// machines and CI's; elsewhere the test says it did not run rather than fail on what is missing.
// The provider is large: one apply and plan take about a minute on a busy two-core machine.
jest.setTimeout(240_000);
const describeWithTerraform =
  (hasTerraform && awsProviderMirror !== undefined) || toolsRequired ? describe : describe.skip;

const ACCOUNT = TEST_CREDENTIALS.accountId;

interface Version {
  readonly description: string;
  readonly tags: Record<string, string>;
  readonly rotation: boolean;
  readonly sid: string;
  readonly aliasTarget: 'first' | 'second';
}

/** The configuration a user writes: two keys, one with every setting the issue names, and an alias. */
function configuration(url: string, v: Version): string {
  const tags = Object.entries(v.tags)
    .map(([key, value]) => `    ${key} = ${JSON.stringify(value)}`)
    .join('\n');
  return `
terraform {
  required_providers {
    aws = { source = "hashicorp/aws" }
  }
}
provider "aws" {
  region                      = "us-west-2"
  access_key                  = "${TEST_CREDENTIALS.accessKeyId}"
  secret_key                  = "${TEST_CREDENTIALS.secretAccessKey}"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
  endpoints {
    kms = "${url}"
  }
}
resource "aws_kms_key" "first" {
  description             = ${JSON.stringify(v.description)}
  deletion_window_in_days = 7
  enable_key_rotation     = ${v.rotation}
  ${v.rotation ? 'rotation_period_in_days = 90' : ''}
  tags = {
${tags}
  }
  policy = jsonencode({
    Version = "2012-10-17"
    Id      = "key-terraform"
    Statement = [{
      Sid       = ${JSON.stringify(v.sid)}
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::${ACCOUNT}:root" }
      Action    = "kms:*"
      Resource  = "*"
    }]
  })
}
resource "aws_kms_key" "second" {
  description             = "the key the alias moves to"
  deletion_window_in_days = 7
}
resource "aws_kms_alias" "app" {
  name          = "alias/terraform-app"
  target_key_id = aws_kms_key.${v.aliasTarget}.key_id
}
output "first" { value = aws_kms_key.first.key_id }
output "second" { value = aws_kms_key.second.key_id }
output "alias_arn" { value = aws_kms_alias.app.arn }
`;
}

const FIRST: Version = {
  description: 'payments key',
  tags: { env: 'test', team: 'payments' },
  rotation: true,
  sid: 'Enable IAM User Permissions',
  aliasTarget: 'first',
};

describeWithTerraform('Terraform’s aws_kms_key and aws_kms_alias against aliastrail', () => {
  let kms: KmsTestApp;
  let client: KMSClient;
  let tf: TerraformDir;
  let keys: { first: string; second: string };

  const applied = async (version: Version) => {
    tf.write(configuration(kms.url, version));
    const apply = await tf.run('apply', '-auto-approve', '-input=false');
    expect({ code: apply.code, stderr: apply.stderr }).toEqual({ code: 0, stderr: '' });
    // A second plan finds nothing to do: every read answers what Terraform wrote.
    const plan = await tf.run('plan', '-detailed-exitcode', '-input=false');
    expect({ code: plan.code, stderr: plan.stderr }).toEqual({ code: 0, stderr: '' });
    return apply.stdout;
  };
  const aliasTarget = async () =>
    (await client.send(new ListAliasesCommand({}))).Aliases?.find((a) => a.AliasName === 'alias/terraform-app')
      ?.TargetKeyId;

  beforeAll(async () => {
    kms = await startKmsApp();
    client = kms.client();
    if (!awsProviderMirror) throw new Error('no hashicorp/aws provider mirror found (test/support/terraform.ts)');
    tf = new TerraformDir(awsProviderMirror);
    // init reads the configuration for the providers it needs: the first one, which the first test applies.
    tf.write(configuration(kms.url, FIRST));
    const init = await tf.run('init', '-input=false');
    expect({ code: init.code, stderr: init.stderr }).toEqual({ code: 0, stderr: '' });
  }, 120_000);
  afterAll(async () => {
    tf?.remove();
    await kms?.close();
  });

  let ciphertext: Uint8Array;

  it('applies: the keys have the description, tags, rotation and policy written, the alias names the first', async () => {
    const stdout = await applied(FIRST);
    expect(stdout).toContain('Apply complete! Resources: 3 added, 0 changed, 0 destroyed.');
    keys = (await tf.outputs()) as typeof keys;
    const { KeyMetadata } = await client.send(new DescribeKeyCommand({ KeyId: keys.first }));
    expect(KeyMetadata).toMatchObject({ Description: 'payments key', KeyState: 'Enabled' });
    expect((await client.send(new ListResourceTagsCommand({ KeyId: keys.first }))).Tags).toEqual([
      { TagKey: 'env', TagValue: 'test' },
      { TagKey: 'team', TagValue: 'payments' },
    ]);
    expect(await client.send(new GetKeyRotationStatusCommand({ KeyId: keys.first }))).toMatchObject({
      KeyRotationEnabled: true,
      RotationPeriodInDays: 90,
    });
    const { Policy } = await client.send(new GetKeyPolicyCommand({ KeyId: keys.first, PolicyName: 'default' }));
    expect(JSON.parse(Policy!)).toMatchObject({ Id: 'key-terraform', Statement: [{ Action: 'kms:*' }] });
    expect(await aliasTarget()).toBe(keys.first);
    ciphertext = (
      await client.send(new EncryptCommand({ KeyId: 'alias/terraform-app', Plaintext: Buffer.from('before') }))
    ).CiphertextBlob!;
  });

  it('changes in place: same keys, new settings, the alias moved; the old ciphertext still decrypts', async () => {
    const stdout = await applied({
      description: 'payments key, retired',
      tags: { env: 'test', owner: 'compliance' },
      rotation: false,
      sid: 'Key administrators',
      aliasTarget: 'second',
    });
    expect(stdout).toContain('Apply complete! Resources: 0 added, 2 changed, 0 destroyed.');
    expect(await tf.outputs()).toMatchObject(keys);
    const { KeyMetadata } = await client.send(new DescribeKeyCommand({ KeyId: keys.first }));
    expect(KeyMetadata?.Description).toBe('payments key, retired');
    expect((await client.send(new ListResourceTagsCommand({ KeyId: keys.first }))).Tags).toEqual([
      { TagKey: 'env', TagValue: 'test' },
      { TagKey: 'owner', TagValue: 'compliance' },
    ]);
    expect(await client.send(new GetKeyRotationStatusCommand({ KeyId: keys.first }))).toMatchObject({
      KeyRotationEnabled: false,
    });
    const { Policy } = await client.send(new GetKeyPolicyCommand({ KeyId: keys.first }));
    expect(JSON.parse(Policy!).Statement[0].Sid).toBe('Key administrators');
    expect(await aliasTarget()).toBe(keys.second);
    const decrypted = await client.send(new DecryptCommand({ CiphertextBlob: ciphertext }));
    expect(Buffer.from(decrypted.Plaintext!).toString()).toBe('before');
    expect(decrypted.KeyId).toBe(`arn:aws:kms:us-west-2:${ACCOUNT}:key/${keys.first}`);
    const now = await client.send(new EncryptCommand({ KeyId: 'alias/terraform-app', Plaintext: Buffer.from('x') }));
    expect(now.KeyId).toBe(`arn:aws:kms:us-west-2:${ACCOUNT}:key/${keys.second}`);
  });

  it('destroys: the alias is gone and both keys are pending deletion', async () => {
    const destroy = await tf.run('destroy', '-auto-approve', '-input=false');
    expect({ code: destroy.code, stderr: destroy.stderr }).toEqual({ code: 0, stderr: '' });
    expect(destroy.stdout).toContain('Destroy complete! Resources: 3 destroyed.');
    expect(await aliasTarget()).toBeUndefined();
    for (const keyId of [keys.first, keys.second]) {
      const { KeyMetadata } = await client.send(new DescribeKeyCommand({ KeyId: keyId }));
      // deletion_window_in_days = 7: DescribeKey shows the date (PendingDeletionWindowInDays is for replicas).
      expect(KeyMetadata?.KeyState).toBe('PendingDeletion');
      const days = (KeyMetadata!.DeletionDate!.getTime() - Date.now()) / 86_400_000;
      expect(days).toBeGreaterThan(6.9);
      expect(days).toBeLessThanOrEqual(7);
    }
  });
});
