import { CreateAliasCommand, CreateKeyCommand, EncryptCommand, UpdateAliasCommand } from '@aws-sdk/client-kms';
import { type KmsTestApp, startKmsApp } from '../support/kms-test-app';

const INSTANCES = 3;
const STREAMS_PER_INSTANCE = 4;
const ROUNDS = 6;

/**
 * The alias story under load (issue: "every Encrypt acknowledged after the UpdateAlias was
 * acknowledged uses the new key"): streams of Encrypt through an alias on several instances while
 * another instance moves the alias. An Encrypt sent after the move was acknowledged must use the new
 * key, whichever instance answers it; the ones in flight may use either.
 */
describe('UpdateAlias racing Encrypt through the alias, across instances', () => {
  let kms: KmsTestApp;

  beforeAll(async () => {
    kms = await startKmsApp({}, INSTANCES);
  });
  afterAll(() => kms.close());

  it('never answers an Encrypt sent after the move with the old key', async () => {
    const admin = kms.client({ instance: 0 });
    const keys: string[] = [];
    for (let i = 0; i <= ROUNDS; i++) keys.push((await admin.send(new CreateKeyCommand({}))).KeyMetadata!.Arn!);
    await admin.send(new CreateAliasCommand({ AliasName: 'alias/racing', TargetKeyId: keys[0] }));
    const clients = Array.from({ length: INSTANCES }, (_, instance) => kms.client({ instance }));
    const answers: { sentAt: number; keyArn: string }[] = [];
    const moves: { ackedAt: number; keyArn: string }[] = [];
    let running = true;
    const stream = async (index: number) => {
      const client = clients[index % INSTANCES]!;
      while (running) {
        const sentAt = performance.now();
        const { KeyId } = await client.send(new EncryptCommand({ KeyId: 'alias/racing', Plaintext: Buffer.from('x') }));
        answers.push({ sentAt, keyArn: KeyId! });
      }
    };
    const streams = Array.from({ length: INSTANCES * STREAMS_PER_INSTANCE }, (_, i) => stream(i));
    for (let round = 1; round <= ROUNDS; round++) {
      await new Promise((resolve) => setTimeout(resolve, 150));
      // Moved through each instance in turn, so that no instance's own writes are what it reads.
      await clients[round % INSTANCES]!.send(
        new UpdateAliasCommand({ AliasName: 'alias/racing', TargetKeyId: keys[round] }),
      );
      moves.push({ ackedAt: performance.now(), keyArn: keys[round]! });
    }
    await new Promise((resolve) => setTimeout(resolve, 150));
    running = false;
    await Promise.all(streams);

    // The key the alias named for a call sent at `t`: that of the last move acknowledged before it.
    const expectedAt = (t: number) => [...moves].reverse().find((move) => move.ackedAt <= t)?.keyArn;
    const stale = answers.filter(({ sentAt, keyArn }) => {
      const expected = expectedAt(sentAt);
      if (expected === undefined) return false;
      // Sent after move k was acknowledged: move k's key or a later one, never an earlier one.
      return keys.indexOf(keyArn) < keys.indexOf(expected);
    });
    expect(stale).toEqual([]);
    // The race was real: calls ran while the alias moved, on every instance, after every move.
    for (const move of moves)
      expect(answers.some((a) => a.sentAt > move.ackedAt && a.keyArn === move.keyArn)).toBe(true);
    expect(answers.length).toBeGreaterThan(ROUNDS * 20);
  });
});
