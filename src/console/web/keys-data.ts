import { RestCallError, kms, restGet } from './console-api';

/** One row of the key tables: what ListKeys, ListAliases and DescribeKey say of a key. */
export interface KeyRow {
  readonly keyId: string;
  readonly arn: string;
  /** Its alias names, in order. */
  readonly aliases: readonly string[];
  readonly keyState: string;
  readonly keySpec: string;
  readonly keyUsage: string;
  readonly keyManager: 'CUSTOMER' | 'AWS';
  readonly description: string;
  readonly creationDate: number;
  readonly deletionDate?: number;
  /** In time travel: the key's settings then, which the settings tabs show instead of asking KMS. */
  readonly past?: PastSettings;
}

/**
 * A key's settings at a moment of the past (GET /api/regions/{region}/keys/{keyId}?at=); null where
 * the principal may not read that part through KMS (tags, key policy, rotation).
 */
export interface PastSettings {
  readonly tags: readonly { TagKey: string; TagValue: string }[] | null;
  readonly policy: string | null;
  readonly policyIsDefault: boolean;
  readonly rotation:
    | {
        readonly keyRotationEnabled: boolean;
        readonly rotationPeriodInDays: number | null;
        readonly nextRotationDate: string | null;
      }
    | { readonly error: string }
    | null;
}

export interface KeyMetadata {
  KeyId: string;
  Arn: string;
  KeyState: string;
  KeySpec: string;
  KeyUsage: string;
  KeyManager: 'CUSTOMER' | 'AWS';
  Description?: string;
  CreationDate: number;
  DeletionDate?: number;
}

/** Every page of a KMS listing (Marker / NextMarker / Truncated). */
async function listAll<T>(operation: string, member: string, input: Record<string, unknown>, region: string) {
  const items: T[] = [];
  let marker: string | undefined;
  do {
    const page = await kms<Record<string, unknown>>(
      operation,
      { ...input, Limit: 1000, ...(marker ? { Marker: marker } : {}) },
      region,
    );
    items.push(...((page[member] as T[] | undefined) ?? []));
    marker = page.Truncated ? String(page.NextMarker) : undefined;
  } while (marker);
  return items;
}

/** `work` over `items`, at most `limit` at a time, in order. */
async function mapLimit<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

export const rowOf = (metadata: KeyMetadata, aliases: readonly string[]): KeyRow => ({
  keyId: metadata.KeyId,
  arn: metadata.Arn,
  aliases,
  keyState: metadata.KeyState,
  keySpec: metadata.KeySpec,
  keyUsage: metadata.KeyUsage,
  keyManager: metadata.KeyManager,
  description: metadata.Description ?? '',
  creationDate: metadata.CreationDate,
  deletionDate: metadata.DeletionDate,
});

/** A key as the key tables list it before its metadata is read: ListKeys and the aliases. */
export interface KeyListing {
  readonly keyId: string;
  readonly arn: string;
  readonly aliases: readonly string[];
  /**
   * AWS managed keys are the ones with an alias under alias/aws/ (each gets one when it is made, and
   * no one else may use that prefix), so the tables split without reading every key's metadata.
   */
  readonly keyManager: 'CUSTOMER' | 'AWS';
  /** In the past, what DescribeKey said then: it comes with the list. Now, read per page shown. */
  readonly metadata?: KeyMetadata;
}

/** The keys a table lists, and how many of the past it may not show (no kms:DescribeKey on them). */
export interface KeyList {
  readonly keys: KeyListing[];
  readonly hiddenKeys: number;
}

/**
 * A key at a moment, as GET /api/regions/{region}/keys?at= answers it. For an observed account
 * (its history imported from CloudTrail) what its evidence does not show is null.
 */
interface KeyAt {
  keyId: string;
  arn: string;
  keyState: string | null;
  keySpec: string | null;
  keyUsage: string | null;
  keyManager: 'CUSTOMER' | 'AWS' | null;
  description: string | null;
  creationDate: string | null;
  deletionDate: string | null;
  aliases: string[];
}

/** What the tables show where an observed account's evidence says nothing. */
export const NOT_IN_EVIDENCE = '-';

const seconds = (iso: string) => Date.parse(iso) / 1000;

/** Who manages a key; where the evidence does not say, its aliases do (alias/aws/ is AWS's). */
const managerOf = (key: KeyAt): 'CUSTOMER' | 'AWS' =>
  key.keyManager ?? (key.aliases.some((name) => name.startsWith('alias/aws/')) ? 'AWS' : 'CUSTOMER');

/** A key at a moment in DescribeKey's shape, so the tables show the past as they show now. */
const metadataOf = (key: KeyAt): KeyMetadata => ({
  KeyId: key.keyId,
  Arn: key.arn,
  KeyState: key.keyState ?? 'Unknown',
  KeySpec: key.keySpec ?? NOT_IN_EVIDENCE,
  KeyUsage: key.keyUsage ?? NOT_IN_EVIDENCE,
  KeyManager: managerOf(key),
  Description: key.description ?? '',
  // 0 shows as "-" (no creation date in the evidence).
  CreationDate: key.creationDate ? seconds(key.creationDate) : 0,
  ...(key.deletionDate ? { DeletionDate: seconds(key.deletionDate) } : {}),
});

/** The keys of GET /api/regions/{region}/keys: now (the current model), or as they were at `at`. */
async function keysOfRegion(region: string, at?: string): Promise<KeyList> {
  const answer = await restGet<{ keys: KeyAt[]; hiddenKeys: number }>(
    `/api/regions/${region}/keys${at ? `?${new URLSearchParams({ at })}` : ''}`,
  );
  const keys = answer.keys.map((key) => ({
    keyId: key.keyId,
    arn: key.arn,
    aliases: key.aliases,
    keyManager: managerOf(key),
    metadata: metadataOf(key),
  }));
  return { keys, hiddenKeys: answer.hiddenKeys };
}

/**
 * Every key of the Region with its metadata and aliases, in one call whatever the number of keys:
 * now, or as it was at `at` (keys deleted since included). A principal that may not read the
 * history (aliastrail:ReadHistory) gets now from ListKeys and the aliases instead, and the
 * metadata of the keys a table shows apart (describeKeys).
 */
export async function loadKeyList(region: string, at?: string): Promise<KeyList> {
  if (at) return keysOfRegion(region, at);
  try {
    const list = await keysOfRegion(region);
    if (list.keys.some((key) => key.keyManager === 'AWS')) return list;
    // A first look at a Region: ListKeys provisions its AWS managed keys, as AWS has them there.
    await kms('ListKeys', { Limit: 1 }, region);
    return await keysOfRegion(region);
  } catch (failure) {
    if (!(failure instanceof RestCallError && failure.status === 403)) throw failure;
  }
  // ListKeys first: a first look at a Region provisions its AWS managed keys, and their aliases
  // tell them apart. ListAliases reads the same current model, 100 a page.
  const keys = await listAll<{ KeyId: string; KeyArn: string }>('ListKeys', 'Keys', {}, region);
  const aliases = await listAll<{ AliasName: string; TargetKeyId?: string }>('ListAliases', 'Aliases', {}, region);
  const byKey = new Map<string, string[]>();
  for (const alias of aliases) {
    if (!alias.TargetKeyId) continue;
    byKey.set(alias.TargetKeyId, [...(byKey.get(alias.TargetKeyId) ?? []), alias.AliasName]);
  }
  const listed = keys.map((key): KeyListing => {
    const names = (byKey.get(key.KeyId) ?? []).sort();
    return {
      keyId: key.KeyId,
      arn: key.KeyArn,
      aliases: names,
      keyManager: names.some((name) => name.startsWith('alias/aws/')) ? 'AWS' : 'CUSTOMER',
    };
  });
  return { keys: listed, hiddenKeys: 0 };
}

/** DescribeKey of each key, 16 at a time: what the tables show of the keys on their page. */
export async function describeKeys(region: string, keyIds: readonly string[]): Promise<Map<string, KeyMetadata>> {
  const described = await mapLimit(
    keyIds,
    16,
    async (keyId) => (await kms<{ KeyMetadata: KeyMetadata }>('DescribeKey', { KeyId: keyId }, region)).KeyMetadata,
  );
  return new Map(described.map((metadata) => [metadata.KeyId, metadata]));
}

/** One key with its aliases, now or as it was at `at` (with its settings then). */
export async function loadKey(region: string, keyId: string, at?: string): Promise<KeyRow> {
  if (at) {
    const { key } = await restGet<{ key: KeyAt & PastSettings }>(
      `/api/regions/${region}/keys/${encodeURIComponent(keyId)}?${new URLSearchParams({ at })}`,
    );
    return { ...rowOf(metadataOf(key), key.aliases), past: key };
  }
  const [{ KeyMetadata }, aliases] = await Promise.all([
    kms<{ KeyMetadata: KeyMetadata }>('DescribeKey', { KeyId: keyId }, region),
    listAll<{ AliasName: string }>('ListAliases', 'Aliases', { KeyId: keyId }, region),
  ]);
  return rowOf(KeyMetadata, aliases.map((a) => a.AliasName).sort());
}

/** The console's words for a key state. */
export const statusOf = (state: string): string =>
  ({
    Enabled: 'Enabled',
    Disabled: 'Disabled',
    PendingDeletion: 'Pending deletion',
    PendingImport: 'Pending import',
    Unavailable: 'Unavailable',
    Creating: 'Creating',
    Updating: 'Updating',
  })[state] ?? state;

/** Symmetric for AES and HMAC keys, as the console shows them; the rest are asymmetric. */
export const keyTypeOf = (keySpec: string): string =>
  keySpec === NOT_IN_EVIDENCE
    ? NOT_IN_EVIDENCE
    : keySpec === 'SYMMETRIC_DEFAULT' || keySpec.startsWith('HMAC_')
      ? 'Symmetric'
      : 'Asymmetric';
