import { kms, restGet } from './console-api';

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
}

interface KeyMetadata {
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

/** Every alias of the Region at `at` (the REST API's temporal model), in ListAliases' shape. */
async function aliasesAt(region: string, at: string): Promise<{ AliasName: string; TargetKeyId?: string }[]> {
  const all: { AliasName: string; TargetKeyId?: string }[] = [];
  let token: string | null = null;
  do {
    const query = new URLSearchParams({ at, limit: '1000', ...(token ? { nextToken: token } : {}) });
    const page: { aliases: { aliasName: string; targetKeyId: string }[]; nextToken: string | null } = await restGet(
      `/api/regions/${region}/aliases?${query}`,
    );
    all.push(...page.aliases.map((a) => ({ AliasName: a.aliasName, TargetKeyId: a.targetKeyId })));
    token = page.nextToken;
  } while (token);
  return all;
}

/**
 * Every key of the Region with its aliases and metadata; with `at`, the aliases as they were then,
 * and only the keys that existed by then (a key deleted since is no longer known to ListKeys).
 */
export async function loadKeys(region: string, at?: string): Promise<KeyRow[]> {
  const [keys, aliases] = await Promise.all([
    listAll<{ KeyId: string }>('ListKeys', 'Keys', {}, region),
    at
      ? aliasesAt(region, at)
      : listAll<{ AliasName: string; TargetKeyId?: string }>('ListAliases', 'Aliases', {}, region),
  ]);
  const byKey = new Map<string, string[]>();
  for (const alias of aliases) {
    if (!alias.TargetKeyId) continue;
    byKey.set(alias.TargetKeyId, [...(byKey.get(alias.TargetKeyId) ?? []), alias.AliasName]);
  }
  const described = await mapLimit(
    keys,
    16,
    async (key) => (await kms<{ KeyMetadata: KeyMetadata }>('DescribeKey', { KeyId: key.KeyId }, region)).KeyMetadata,
  );
  const rows = described.map((metadata) => rowOf(metadata, (byKey.get(metadata.KeyId) ?? []).sort()));
  return at ? rows.filter((row) => row.creationDate * 1000 <= Date.parse(at)) : rows;
}

/** One key with its aliases (those of `at`, when given). */
export async function loadKey(region: string, keyId: string, at?: string): Promise<KeyRow> {
  const [{ KeyMetadata }, aliases] = await Promise.all([
    kms<{ KeyMetadata: KeyMetadata }>('DescribeKey', { KeyId: keyId }, region),
    at
      ? restGet<{ aliases: { aliasName: string }[] }>(
          `/api/regions/${region}/keys/${keyId}/aliases?${new URLSearchParams({ at })}`,
        ).then((answer) => answer.aliases.map((a) => ({ AliasName: a.aliasName })))
      : listAll<{ AliasName: string }>('ListAliases', 'Aliases', { KeyId: keyId }, region),
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
  keySpec === 'SYMMETRIC_DEFAULT' || keySpec.startsWith('HMAC_') ? 'Symmetric' : 'Asymmetric';
