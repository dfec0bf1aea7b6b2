import { Pool } from 'pg';
import type { BenchDatabase } from './bench-database';
import { type RunningService, startAliastrail, startBareInsert, startMoto } from './bench-services';
import { type Measurement, measure } from './measure';
import { serverCpu } from './service-cpu';
import { SignedKmsClient } from './signed-client';

const CREDENTIALS = {
  accessKeyId: 'AKIABENCHBENCHBENCH0',
  secretAccessKey: 'bench-secret-bench-secret-bench-secret00',
  accountId: '123456789012',
};
const CONCURRENCY = [1, 8, 32];
const LISTED_ALIASES = 1000;
const KEYS_FOR_CREATES = 2400;
const MOVING_ALIASES = 1000;

export interface KmsApiRow {
  readonly operation: string;
  readonly clients: number;
  readonly aliastrail: Measurement;
  readonly moto: Measurement;
  readonly bare?: Measurement;
}

interface Target {
  readonly name: 'aliastrail' | 'moto';
  readonly service: RunningService;
  readonly client: SignedKmsClient;
  readonly listClient: SignedKmsClient;
}

/**
 * CreateAlias, UpdateAlias and full ListAliases listings of 1,000 aliases (pages of 100), SigV4-signed
 * over HTTP at 1, 8 and 32 clients, against aliastrail, moto_server and (writes) the bare INSERT server,
 * each with the CPU it cost per operation.
 */
export async function benchKmsApi(
  database: BenchDatabase,
  seconds: number,
  log: (line: string) => void,
): Promise<KmsApiRow[]> {
  const services: RunningService[] = [];
  const pg = new Pool({ connectionString: database.url, max: 1 });
  try {
    const aliastrail = await startAliastrail(database.url, CREDENTIALS);
    services.push(aliastrail);
    const moto = await startMoto();
    services.push(moto);
    const bare = await startBareInsert(database.url);
    services.push(bare);
    const targets: Target[] = [
      {
        name: 'aliastrail',
        service: aliastrail,
        client: new SignedKmsClient(aliastrail.url, CREDENTIALS, 'us-west-2'),
        listClient: new SignedKmsClient(aliastrail.url, CREDENTIALS, 'eu-west-1'),
      },
      {
        name: 'moto',
        service: moto,
        client: new SignedKmsClient(moto.url, CREDENTIALS, 'us-west-2'),
        listClient: new SignedKmsClient(moto.url, CREDENTIALS, 'eu-west-1'),
      },
    ];
    const bareClient = new SignedKmsClient(bare.url, CREDENTIALS, 'us-west-2');
    const setups = new Map<string, Awaited<ReturnType<typeof setUp>>>();
    for (const target of targets) {
      log(`setting up ${target.name}: keys, aliases to update, ${LISTED_ALIASES} aliases to list`);
      setups.set(target.name, await setUp(target));
    }
    const rows: KmsApiRow[] = [];
    for (const clients of CONCURRENCY) {
      const results: Partial<Record<string, Measurement>> = {};
      for (const target of targets)
        results[`${target.name}:create`] = await measure(
          clients,
          seconds,
          setups.get(target.name)!.createAlias,
          serverCpu(target.service, pg),
        );
      results['bare:create'] = await measure(
        clients,
        seconds,
        () => bareClient.call('CreateAlias', { AliasName: 'alias/bare', TargetKeyId: 'x' }),
        serverCpu(bare, pg),
      );
      rows.push({
        operation: 'CreateAlias',
        clients,
        aliastrail: results['aliastrail:create']!,
        moto: results['moto:create']!,
        bare: results['bare:create'],
      });
      for (const target of targets)
        results[`${target.name}:update`] = await measure(
          clients,
          seconds,
          setups.get(target.name)!.updateAlias,
          serverCpu(target.service, pg),
        );
      results['bare:update'] = await measure(
        clients,
        seconds,
        () => bareClient.call('UpdateAlias', { AliasName: 'alias/bare', TargetKeyId: 'y' }),
        serverCpu(bare, pg),
      );
      rows.push({
        operation: 'UpdateAlias',
        clients,
        aliastrail: results['aliastrail:update']!,
        moto: results['moto:update']!,
        bare: results['bare:update'],
      });
      for (const target of targets)
        results[`${target.name}:list`] = await measure(
          clients,
          seconds,
          setups.get(target.name)!.listAll,
          serverCpu(target.service, pg),
        );
      rows.push({
        operation: `ListAliases (all ${LISTED_ALIASES}, pages of 100)`,
        clients,
        aliastrail: results['aliastrail:list']!,
        moto: results['moto:list']!,
      });
      log(`measured ${clients} client(s)`);
    }
    return rows;
  } finally {
    for (const service of services.reverse()) await service.stop();
    await pg.end();
  }
}

async function setUp(target: Target) {
  const createKey = async (client: SignedKmsClient) =>
    ((await client.call('CreateKey', {}))!.KeyMetadata as { KeyId: string }).KeyId;
  // CreateAlias: fresh names, 40 at a time onto one key (under the quota of 50), so concurrent clients
  // contend for the same key as a script aliasing one key would. 2,400 keys last 96,000 creations.
  const keys: string[] = [];
  for (let i = 0; i < KEYS_FOR_CREATES / 8; i++)
    keys.push(...(await Promise.all(Array.from({ length: 8 }, () => createKey(target.client)))));
  let created = 0;
  const createAlias = async () => {
    const n = created++;
    await target.client.call('CreateAlias', {
      AliasName: `alias/bench/${n}`,
      TargetKeyId: keys[Math.floor(n / 40) % keys.length],
    });
  };
  // UpdateAlias: 1,000 aliases, each moving between its own two keys, round-robin. Each move adds an
  // event to the history of the alias and of both keys, which every later move of it reads (a few
  // dozen per alias by the end of a run).
  const pairs: { name: string; keys: [string, string]; flips: number }[] = [];
  for (let i = 0; i < MOVING_ALIASES / 4; i++) {
    const keys = await Promise.all(Array.from({ length: 8 }, () => createKey(target.client)));
    for (let j = 0; j < 4; j++)
      pairs.push({ name: `alias/moving/${i * 4 + j}`, keys: [keys[2 * j]!, keys[2 * j + 1]!], flips: 0 });
  }
  // One at a time: moto_server answers 500 to some concurrent CreateAlias calls.
  for (const pair of pairs)
    await target.client.call('CreateAlias', { AliasName: pair.name, TargetKeyId: pair.keys[0] });
  let updates = 0;
  const updateAlias = async () => {
    const pair = pairs[updates++ % pairs.length]!;
    pair.flips += 1;
    await target.client.call('UpdateAlias', { AliasName: pair.name, TargetKeyId: pair.keys[pair.flips % 2] });
  };
  // ListAliases: 1,000 aliases in another Region, listed in full page by page.
  for (let k = 0; k < LISTED_ALIASES / 50; k++) {
    const key = await createKey(target.listClient);
    await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        target.listClient.call('CreateAlias', { AliasName: `alias/list/${k}/${i}`, TargetKeyId: key }),
      ),
    );
  }
  const listAll = async () => {
    let marker: string | undefined;
    let count = 0;
    do {
      const page = (await target.listClient.call('ListAliases', {
        Limit: 100,
        ...(marker ? { Marker: marker } : {}),
      }))!;
      count += (page.Aliases as unknown[]).length;
      marker = page.Truncated ? (page.NextMarker as string) : undefined;
    } while (marker);
    if (count < LISTED_ALIASES) throw new Error(`${target.name} listed ${count} aliases`);
  };
  return { createAlias, updateAlias, listAll };
}
