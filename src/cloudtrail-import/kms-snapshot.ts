import {
  DescribeKeyCommand,
  type KMSClient,
  type KeyMetadata,
  paginateListAliases,
  paginateListKeys,
} from '@aws-sdk/client-kms';
import type { KmsSnapshot, SnapshotAlias, SnapshotKey } from '../kms/domain/observed-snapshot';

const ACCOUNT_OF_ARN = /^arn:[a-z-]+:kms:[a-z0-9-]+:(\d{12}):/;

/** An account the snapshot could not name: no key and no alias says which it is. */
export class SnapshotAccountUnknown extends Error {}

/**
 * The live state of the Region the client is configured for: every key (ListKeys, then DescribeKey
 * each) and every alias with a target (ListAliases; AWS's predefined aliases of keys not created yet
 * have none). `takenAt` is when the alias listing began: what the snapshot says of aliases holds
 * from then (a change during the listing is a later record). The account is the one the keys' and
 * aliases' ARNs name, unless given.
 */
export async function takeKmsSnapshot(
  client: KMSClient,
  options: { accountId?: string; now?: () => Date } = {},
): Promise<KmsSnapshot> {
  const now = options.now ?? (() => new Date());
  const region = await client.config.region();
  const metadata: KeyMetadata[] = [];
  for await (const page of paginateListKeys({ client }, {}))
    for (const key of page.Keys ?? []) {
      const described = await client.send(new DescribeKeyCommand({ KeyId: key.KeyId! }));
      if (described.KeyMetadata) metadata.push(described.KeyMetadata);
    }
  const takenAt = now().toISOString();
  const aliases: SnapshotAlias[] = [];
  const arns: string[] = metadata.map((m) => m.Arn ?? '');
  for await (const page of paginateListAliases({ client }, {}))
    for (const alias of page.Aliases ?? []) {
      if (alias.AliasArn) arns.push(alias.AliasArn);
      if (alias.AliasName && alias.TargetKeyId)
        aliases.push({ aliasName: alias.AliasName, targetKeyId: alias.TargetKeyId });
    }
  const named =
    metadata.find((m) => m.AWSAccountId)?.AWSAccountId ??
    arns.map((arn) => ACCOUNT_OF_ARN.exec(arn)?.[1]).find((id) => id !== undefined);
  // --account names the account of a snapshot with nothing in it; it cannot file one under another.
  if (options.accountId !== undefined && named !== undefined && named !== options.accountId)
    throw new SnapshotAccountUnknown(
      `the keys and aliases of ${region} are account ${named}'s, not ${options.accountId}'s`,
    );
  const accountId = named ?? options.accountId;
  if (accountId === undefined)
    throw new SnapshotAccountUnknown(`no key or alias in ${region} names its account: pass --account`);
  const keys: SnapshotKey[] = metadata.map((m) => ({
    keyId: m.KeyId!,
    keyState: m.KeyState ?? 'Unknown',
    keyManager: m.KeyManager ?? 'CUSTOMER',
    ...(m.DeletionDate && { deletionDate: m.DeletionDate.toISOString() }),
  }));
  return { accountId, region, takenAt, keys, aliases };
}
