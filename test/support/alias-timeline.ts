import {
  CreateAliasCommand,
  CreateKeyCommand,
  DeleteAliasCommand,
  type KMSClient,
  UpdateAliasCommand,
} from '@aws-sdk/client-kms';

export const pause = (ms = 15) => new Promise((resolve) => setTimeout(resolve, ms));

/** Three keys, and the moments t0..t3 between the changes of alias/finance. */
export interface AliasTimeline {
  readonly keys: string[];
  readonly moments: Date[];
}

/**
 * The history the query-API suites ask about, written through the KMS API:
 * t0 | create finance -> k0 | t1 | retarget -> k1, create ops and `more` -> k2 | t2 | delete finance | t3.
 * The pauses keep each moment strictly between the changes around it.
 */
export async function writeAliasTimeline(client: KMSClient, more: readonly string[] = []): Promise<AliasTimeline> {
  const keys: string[] = [];
  const moments: Date[] = [];
  for (let i = 0; i < 3; i++) keys.push((await client.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!);
  moments.push(new Date());
  await pause();
  await client.send(new CreateAliasCommand({ AliasName: 'alias/finance', TargetKeyId: keys[0] }));
  await pause();
  moments.push(new Date());
  await pause();
  await client.send(new UpdateAliasCommand({ AliasName: 'alias/finance', TargetKeyId: keys[1] }));
  for (const name of ['alias/ops', ...more])
    await client.send(new CreateAliasCommand({ AliasName: name, TargetKeyId: keys[2] }));
  await pause();
  moments.push(new Date());
  await pause();
  await client.send(new DeleteAliasCommand({ AliasName: 'alias/finance' }));
  await pause();
  moments.push(new Date());
  return { keys, moments };
}
