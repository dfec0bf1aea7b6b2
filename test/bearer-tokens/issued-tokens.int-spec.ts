import { sql } from 'kysely';
import type { Principal } from '../../src/auth/principal';
import { PrincipalRegistry } from '../../src/auth/principal.registry';
import { BearerTokenIssuer } from '../../src/bearer-tokens/bearer-token-issuer';
import { IssuedTokenLookup } from '../../src/bearer-tokens/issued-token-lookup';
import { newIssuedToken, tokenDigest } from '../../src/bearer-tokens/issued-token';
import { cliActor } from '../../src/bearer-tokens/token-actors';
import { TOKEN_CACHE_LIMITS } from '../../src/bearer-tokens/token-cache';
import { ControllableClock, SystemClock } from '../../src/clock/clock';
import { IdGenerator } from '../../src/clock/id-generator';
import { EventStore } from '../../src/event-store/event-store';
import { sleep } from '../support/events';
import { type TestDatabase, createTestDatabase } from '../support/test-database';

const ALICE: Principal = {
  accessKeyId: 'AKIAALICEALICEALICE0',
  secretAccessKey: 'alice-secret-alice-secret',
  accountId: '111122223333',
  arn: 'arn:aws:iam::111122223333:user/Alice',
  userName: 'Alice',
};
const BOB: Principal = { ...ALICE, accessKeyId: 'AKIABOBBOBBOBBOBBOB0', arn: 'arn:aws:iam::111122223333:user/Bob' };
const ACTOR = cliActor('tester');

/** Issued tokens on a real database: the table, the events beside it, and the lookup every API uses. */
describe('issued bearer tokens', () => {
  let database: TestDatabase;
  let issuer: BearerTokenIssuer;
  const registry = new PrincipalRegistry([ALICE, BOB]);
  const lookup = (clock = new SystemClock(), principals = registry) =>
    new IssuedTokenLookup(database.db, principals, clock);

  beforeAll(async () => {
    database = await createTestDatabase();
    issuer = new BearerTokenIssuer(
      new EventStore(database.pool, database.db),
      database.db,
      new SystemClock(),
      new IdGenerator(),
    );
  });
  afterAll(async () => database?.drop());

  const eventsOf = async (tokenId: string) =>
    (
      await sql<{ type: string; data: any; metadata: any }>`
        SELECT type, data, metadata FROM events WHERE tags && ${[`bearer-token:${tokenId}`]}::text[] ORDER BY position`.execute(
        database.db,
      )
    ).rows;

  it('stores the digest only, and records the creation as an event in the same transaction', async () => {
    const { token, record } = await issuer.create(ALICE, { description: 'grafana', expiresInDays: 30 }, ACTOR);
    expect(token).toMatch(/^atk_/);
    const { rows } = await database.pool.query(
      'SELECT token_sha256, access_key_id, description, created_by, expires_at - created_at AS lifetime FROM bearer_tokens WHERE token_id = $1',
      [record.tokenId],
    );
    expect(rows).toHaveLength(1);
    expect(rows[0].token_sha256).toEqual(tokenDigest(token));
    expect(rows[0]).toMatchObject({
      access_key_id: ALICE.accessKeyId,
      description: 'grafana',
      created_by: 'cli:tester',
    });
    expect(rows[0].lifetime.days).toBe(30);
    const events = await eventsOf(record.tokenId);
    expect(events.map((e) => e.type)).toEqual(['BearerTokenCreated']);
    expect(events[0]!.data).toEqual({
      tokenId: record.tokenId,
      accessKeyId: ALICE.accessKeyId,
      accountId: ALICE.accountId,
      principalArn: ALICE.arn,
      description: 'grafana',
      expiresAt: record.expiresAt!.toISOString(),
      createdBy: 'cli:tester',
    });
    const everything = JSON.stringify((await database.pool.query('SELECT data, metadata, tags FROM events')).rows);
    expect(everything).not.toContain(token);
    expect(everything).not.toContain(tokenDigest(token).toString('hex'));
  });

  it('writes neither the row nor the event when either fails', async () => {
    const before = (await database.pool.query('SELECT count(*)::int AS n FROM events')).rows[0].n;
    // The table refuses this access key id (its check constraint), after the event was appended.
    const bad = { ...ALICE, accessKeyId: 'Bearer not-a-key' };
    await expect(issuer.create(bad, { description: '' }, ACTOR)).rejects.toThrow(/bearer_tokens_access_key_id_check/);
    expect((await database.pool.query('SELECT count(*)::int AS n FROM events')).rows[0].n).toBe(before);
    expect(
      (
        await database.pool.query(`SELECT count(*)::int AS n FROM bearer_tokens WHERE access_key_id = $1`, [
          bad.accessKeyId,
        ])
      ).rows[0].n,
    ).toBe(0);
  });

  it('finds the principal of a new token at once, and nothing for made-up or malformed tokens', async () => {
    const { token } = await issuer.create(ALICE, { description: '' }, ACTOR);
    const fresh = lookup();
    expect(await fresh.principalOf(token)).toBe(registry.find(ALICE.accessKeyId));
    expect(await fresh.principalOf(newIssuedToken())).toBeUndefined();
    expect(await fresh.principalOf(`${token}x`)).toBeUndefined();
    expect(await fresh.principalOf('')).toBeUndefined();
    // Many requests at once with one token: all answered alike.
    const other = lookup();
    const many = await Promise.all(Array.from({ length: 20 }, () => other.principalOf(token)));
    expect(new Set(many.map((p) => p?.arn))).toEqual(new Set([ALICE.arn]));
  });

  it('refuses a revoked token at once where it was revoked, and within the cache time everywhere else', async () => {
    const { token, record } = await issuer.create(BOB, { description: 'revoke me' }, ACTOR);
    const here = lookup();
    const elsewhere = lookup();
    expect(await here.principalOf(token)).toBeDefined();
    expect(await elsewhere.principalOf(token)).toBeDefined();
    const revoking = new BearerTokenIssuer(
      new EventStore(database.pool, database.db),
      database.db,
      new SystemClock(),
      new IdGenerator(),
      (tokenId) => here.forget(tokenId),
    );
    const revokedAt = Date.now();
    const revoked = await revoking.revoke(record.tokenId.toUpperCase(), cliActor('admin'));
    expect(revoked).toMatchObject({ tokenId: record.tokenId, revokedBy: 'cli:admin' });
    expect(await here.principalOf(token)).toBeUndefined();
    expect(await lookup().principalOf(token)).toBeUndefined();
    // The other instance believed it usable a moment ago: it may keep doing so for the cache's time, no longer.
    while ((await elsewhere.principalOf(token)) !== undefined) {
      expect(Date.now() - revokedAt).toBeLessThan(TOKEN_CACHE_LIMITS.usableTtlMs + 500);
      await sleep(100);
    }
    expect((await eventsOf(record.tokenId)).map((e) => e.type)).toEqual(['BearerTokenCreated', 'BearerTokenRevoked']);
  }, 20_000);

  it('revokes once: again changes nothing, and another principal’s or an unknown id is not found', async () => {
    const { record } = await issuer.create(ALICE, { description: '' }, ACTOR);
    expect(await issuer.revoke(record.tokenId, ACTOR, BOB.accessKeyId)).toBeUndefined();
    expect((await eventsOf(record.tokenId)).map((e) => e.type)).toEqual(['BearerTokenCreated']);
    const first = await issuer.revoke(record.tokenId, ACTOR, ALICE.accessKeyId);
    const again = await issuer.revoke(record.tokenId, cliActor('someone-else'), ALICE.accessKeyId);
    expect(again).toEqual(first);
    expect(again!.revokedBy).toBe('cli:tester');
    expect((await eventsOf(record.tokenId)).map((e) => e.type)).toEqual(['BearerTokenCreated', 'BearerTokenRevoked']);
    expect(await issuer.revoke('3f2504e0-4f89-11d3-9a0c-0305e82c3301', ACTOR)).toBeUndefined();
    expect(await issuer.revoke("x' OR true --", ACTOR)).toBeUndefined();
  });

  it('refuses an expired token, whether it was cached or not', async () => {
    const clock = new ControllableClock();
    const expiring = new BearerTokenIssuer(
      new EventStore(database.pool, database.db),
      database.db,
      clock,
      new IdGenerator(),
    );
    const { token } = await expiring.create(ALICE, { description: '', expiresInDays: 1 }, ACTOR);
    const cached = lookup(clock);
    expect(await cached.principalOf(token)).toBeDefined();
    clock.advance(86_400);
    expect(await cached.principalOf(token)).toBeUndefined();
    expect(await lookup(clock).principalOf(token)).toBeUndefined();
  });

  it('refuses a token whose principal is gone, even where any access key is a principal (permissive mode)', async () => {
    const { token } = await issuer.create(BOB, { description: '' }, ACTOR);
    expect(await lookup(new SystemClock(), new PrincipalRegistry([ALICE])).principalOf(token)).toBeUndefined();
    const permissive = new PrincipalRegistry([ALICE], { accountId: '000000000000' });
    expect(permissive.find(BOB.accessKeyId)?.signatureUnchecked).toBe(true);
    expect(await lookup(new SystemClock(), permissive).principalOf(token)).toBeUndefined();
  });

  it('lists a principal’s tokens, or all, oldest first', async () => {
    const all = await issuer.list();
    expect(all.length).toBeGreaterThanOrEqual(6);
    expect(all.map((t) => t.createdAt.getTime())).toEqual(
      [...all.map((t) => t.createdAt.getTime())].sort((a, b) => a - b),
    );
    const bobs = await issuer.list(BOB.accessKeyId);
    expect(bobs.length).toBeGreaterThan(0);
    expect(bobs.every((t) => t.accessKeyId === BOB.accessKeyId)).toBe(true);
    expect(await issuer.list('AKIANOBODYNOBODYNOB0')).toEqual([]);
  });
});
