import { CreateAliasCommand, CreateKeyCommand, KMS, UpdateAliasCommand } from '@aws-sdk/client-kms';
import { CommitmentPolicy, KmsKeyringNode, buildClient } from '@aws-crypto/client-node';
import { type KmsTestApp, startKmsApp } from '../support/kms-test-app';
import { TEST_CREDENTIALS } from '../support/test-app';

const REGION = 'us-west-2';
const MESSAGE = Buffer.from('quarterly numbers, not for the press');
const CONTEXT = { purpose: 'finance-report' };

/**
 * The AWS Encryption SDK for JavaScript, unchanged, with a KMS keyring pointed at aliastrail: it
 * generates data keys through the alias (GenerateDataKey) and decrypts them (Decrypt). A message
 * encrypted before UpdateAlias still decrypts after it, through the key its data key names.
 */
describe('the AWS Encryption SDK through an alias', () => {
  let kms: KmsTestApp;
  const { encrypt, decrypt } = buildClient(CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT);

  beforeAll(async () => {
    kms = await startKmsApp();
  });
  afterAll(() => kms.close());

  /** A keyring whose KMS client is an ordinary AWS SDK client, pointed here. */
  const keyring = (generatorKeyId: string | undefined, keyIds: string[] = []) =>
    new KmsKeyringNode({
      generatorKeyId,
      keyIds,
      clientProvider: () =>
        new KMS({ region: REGION, endpoint: kms.url, maxAttempts: 1, credentials: TEST_CREDENTIALS }),
    });

  it('encrypts through the alias before and after UpdateAlias, and decrypts both', async () => {
    const client = kms.client();
    const first = (await client.send(new CreateKeyCommand({}))).KeyMetadata!.Arn!;
    const second = (await client.send(new CreateKeyCommand({}))).KeyMetadata!.Arn!;
    await client.send(new CreateAliasCommand({ AliasName: 'alias/reports', TargetKeyId: first }));
    const aliasArn = `arn:aws:kms:${REGION}:${TEST_CREDENTIALS.accountId}:alias/reports`;

    const before = await encrypt(keyring(aliasArn), MESSAGE, { encryptionContext: CONTEXT });
    await client.send(new UpdateAliasCommand({ AliasName: 'alias/reports', TargetKeyId: second }));
    const after = await encrypt(keyring(aliasArn), MESSAGE, { encryptionContext: CONTEXT });

    // Decrypting needs the key ARNs the data keys were encrypted under, not the alias.
    const decrypting = keyring(undefined, [first, second]);
    for (const { result } of [before, after]) {
      const opened = await decrypt(decrypting, result);
      expect(opened.plaintext.equals(MESSAGE)).toBe(true);
      expect(opened.messageHeader.encryptionContext).toMatchObject(CONTEXT);
    }
    const keyOf = async (result: Buffer) =>
      (await decrypt(decrypting, result)).messageHeader.encryptedDataKeys.map((key) => key.providerInfo);
    expect(await keyOf(before.result)).toEqual([first]);
    expect(await keyOf(after.result)).toEqual([second]);
  });
});
