import {
  CreateAliasCommand,
  CreateKeyCommand,
  DecryptCommand,
  EncryptCommand,
  ListKeyRotationsCommand,
  ListResourceTagsCommand,
  RotateKeyOnDemandCommand,
  TagResourceCommand,
} from '@aws-sdk/client-kms';
import { failureOf as failure } from '../support/failure';
import { type KmsTestApp, startKmsApp } from '../support/kms-test-app';

const INSTANCES = 3;

/**
 * Key metadata written by several instances at once: the key's tag lock serialises the units, so
 * the limits hold on the result (50 tags, 10 on-demand rotations) however the calls interleave, and
 * rotation's material versions are written with their events, contiguous, every one decrypting.
 */
describe('TagResource and RotateKeyOnDemand racing on one key, across instances', () => {
  let kms: KmsTestApp;

  beforeAll(async () => {
    kms = await startKmsApp({}, INSTANCES);
  });
  afterAll(() => kms.close());

  const clients = () => Array.from({ length: INSTANCES }, (_, instance) => kms.client({ instance }));

  it('never lets a key hold more than 50 tags', async () => {
    const all = clients();
    const Tags = Array.from({ length: 40 }, (_, i) => ({ TagKey: `base${i}`, TagValue: 'v' }));
    const key = (await all[0]!.send(new CreateKeyCommand({ Tags }))).KeyMetadata!.KeyId!;
    // 30 calls, each adding one new tag and re-tagging an existing one: 10 fit.
    const outcomes = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        failure(
          all[i % INSTANCES]!.send(
            new TagResourceCommand({
              KeyId: key,
              Tags: [
                { TagKey: `new${i}`, TagValue: String(i) },
                { TagKey: 'base0', TagValue: String(i) },
              ],
            }),
          ),
        ),
      ),
    );
    expect(outcomes.filter((o) => o.name === 'no error')).toHaveLength(10);
    expect(outcomes.filter((o) => o.name === 'TagException' && o.message === 'Too many tags')).toHaveLength(20);
    const listed = await all[1]!.send(new ListResourceTagsCommand({ KeyId: key }));
    expect(listed.Tags).toHaveLength(50);
  });

  it('never makes more than 10 on-demand rotations; versions are contiguous and every ciphertext decrypts', async () => {
    const all = clients();
    const key = (await all[0]!.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
    await all[0]!.send(new CreateAliasCommand({ AliasName: 'alias/spinning', TargetKeyId: key }));
    const ciphertexts: { blob: Uint8Array; text: string }[] = [];
    let running = true;
    const stream = async (index: number) => {
      for (let n = 0; running; n++) {
        const text = `stream ${index} call ${n}`;
        const { CiphertextBlob } = await all[index % INSTANCES]!.send(
          new EncryptCommand({ KeyId: 'alias/spinning', Plaintext: Buffer.from(text) }),
        );
        ciphertexts.push({ blob: CiphertextBlob!, text });
      }
    };
    const streams = Array.from({ length: INSTANCES * 2 }, (_, i) => stream(i));
    const outcomes = await Promise.all(
      Array.from({ length: 16 }, (_, i) =>
        failure(all[i % INSTANCES]!.send(new RotateKeyOnDemandCommand({ KeyId: key }))),
      ),
    );
    await new Promise((resolve) => setTimeout(resolve, 100));
    running = false;
    await Promise.all(streams);

    expect(outcomes.filter((o) => o.name === 'no error')).toHaveLength(10);
    expect(outcomes.filter((o) => o.name === 'LimitExceededException')).toHaveLength(6);
    const rotations = (await all[2]!.send(new ListKeyRotationsCommand({ KeyId: key }))).Rotations!;
    expect(rotations).toHaveLength(10);
    expect(new Set(rotations.map((r) => r.KeyMaterialId)).size).toBe(10);
    const { rows } = await kms.database.pool.query<{ version: number }>(
      'SELECT version FROM kms_key_material WHERE key_id = $1 ORDER BY version',
      [key],
    );
    expect(rows.map((r) => r.version)).toEqual(Array.from({ length: 11 }, (_, i) => i + 1));
    const events = await kms.database.pool.query<{ version: number }>(
      `SELECT (data->>'version')::int AS version FROM events WHERE type = 'KeyMaterialRotated' AND data->>'keyId' = $1
        ORDER BY position`,
      [key],
    );
    expect(events.rows.map((r) => r.version)).toEqual(Array.from({ length: 10 }, (_, i) => i + 2));
    expect(ciphertexts.length).toBeGreaterThan(INSTANCES * 2);
    const versions = new Set<string>();
    for (const [i, { blob, text }] of ciphertexts.entries()) {
      const opened = await all[i % INSTANCES]!.send(new DecryptCommand({ CiphertextBlob: blob }));
      expect(Buffer.from(opened.Plaintext!).toString()).toBe(text);
      versions.add(opened.KeyMaterialId!);
    }
    // The race was real: ciphertexts of several versions were made while the key rotated.
    expect(versions.size).toBeGreaterThan(1);
  });
});
