import { generateKeyPairSync } from 'node:crypto';
import { type SignedDigest, ed25519Signer } from '../digest';
import { entryHash, eventHash } from '../hash-chain';
import { INITIAL_STATE, type LedgerEntry, planBatch } from '../sequencer-plan';
import { fingerprintOf } from '../signing-key';
import { ChainWalk, type WalkEntry } from './chain-walk';
import { type Lookups, classifyDigestRange, classifyEntry, tailFindings } from './classify';
import { checkDigests } from './digest-checks';
import type { Finding } from './finding';

/**
 * The walk and its classification without a database: a ledger of 12 events made by planBatch
 * (a digest every 4), an event's hash standing for its content at a position (`id@position`), and
 * lookups over those arrays, as offline verify has over its files.
 */
const { privateKey, publicKey } = generateKeyPairSync('ed25519');
const signer = ed25519Signer(privateKey, fingerprintOf(publicKey));
const keys = new Map([[signer.fingerprint, publicKey]]);
const hashAt = (id: string, position: string) => eventHash(`${id}@${position}`);

/** The event standing at a position: its id, and a mark when its content was changed. */
interface Stand {
  readonly id: string;
  readonly occurredAt: number;
  readonly edited?: string;
}

function ledger() {
  const events = Array.from({ length: 12 }, (_, i) => {
    const position = String(10 * (i + 1));
    return {
      position,
      transactionId: String(100 + i),
      eventId: `e${i + 1}`,
      eventHash: hashAt(`e${i + 1}`, position),
      occurredAt: 1_000_000 * i,
    };
  });
  const plan = planBatch(
    INITIAL_STATE,
    events,
    Date.parse('2026-11-28T10:30:00Z') * 1000,
    { digestEvery: 4, maxDigestsPerBatch: 10 },
    signer,
  );
  const stand = new Map<string, Stand | undefined>(
    events.map((e) => [e.position, { id: e.eventId, occurredAt: e.occurredAt }]),
  );
  return { entries: [...plan.entries], digests: [...plan.digests], stand };
}

async function verify(
  entries: LedgerEntry[],
  digests: SignedDigest[],
  stand: Map<string, Stand | undefined>,
): Promise<Finding[]> {
  const check = checkDigests(digests, keys);
  const walk = new ChainWalk(check.trusted);
  const where = new Map([...stand].filter(([, e]) => e).map(([position, e]) => [e!.id, position]));
  for (const entry of entries) {
    const event = stand.get(entry.position);
    const actual: WalkEntry['actual'] = event && {
      eventHash: hashAt(event.id + (event.edited ?? ''), entry.position),
      eventId: event.id,
      occurredAt: event.occurredAt,
    };
    walk.push({ ...entry, seq: entry.ledgerSeq, actual });
  }
  const result = walk.finish();
  const lookups: Lookups = {
    seqOfEntryHash: async (hash) => entries.find((e) => e.entryHash === hash)?.ledgerSeq,
    seqOfPosition: async (position) => entries.find((e) => e.position === position)?.ledgerSeq,
    seqAfter: async () => undefined,
    eventNow: async (id, position) => {
      const there = where.get(id);
      return there === undefined
        ? undefined
        : { position: there, hashThere: hashAt(id, there), hashHere: hashAt(id, position) };
    },
  };
  const findings = [...check.findings];
  for (const problem of result.problems)
    findings.push(
      problem.type === 'entry' ? await classifyEntry(problem, lookups) : await classifyDigestRange(problem, lookups),
    );
  const last = digests[digests.length - 1];
  findings.push(...tailFindings(result, last, last !== undefined && check.trusted.includes(last)));
  return findings.sort((a, b) => a.ledgerSeq - b.ledgerSeq);
}

describe('the chain walk and its classification', () => {
  it('finds nothing in an untouched ledger', async () => {
    const { entries, digests, stand } = ledger();
    expect(await verify(entries, digests, stand)).toEqual([]);
  });

  it('an event edited in place', async () => {
    const { entries, digests, stand } = ledger();
    stand.set('50', { ...stand.get('50')!, edited: '*' });
    expect((await verify(entries, digests, stand))[0]).toMatchObject({ kind: 'edited', ledgerSeq: 5, scope: 'entry' });
  });

  it('an event gone', async () => {
    const { entries, digests, stand } = ledger();
    stand.set('50', undefined);
    expect((await verify(entries, digests, stand))[0]).toMatchObject({ kind: 'deleted', ledgerSeq: 5 });
  });

  it('two events that swapped positions', async () => {
    const { entries, digests, stand } = ledger();
    const [a, b] = [stand.get('50'), stand.get('80')];
    stand.set('50', b);
    stand.set('80', a);
    const findings = await verify(entries, digests, stand);
    expect(findings.map((x) => [x.kind, x.ledgerSeq])).toEqual([
      ['reordered', 5],
      ['reordered', 8],
    ]);
  });

  it('an entry taken out of the ledger, or out and the rest renumbered', async () => {
    const { entries, digests, stand } = ledger();
    expect(
      (
        await verify(
          entries.filter((e) => e.ledgerSeq !== 6),
          digests,
          stand,
        )
      )[0],
    ).toMatchObject({ kind: 'deleted', ledgerSeq: 6 });
    const renumbered = entries
      .filter((e) => e.ledgerSeq !== 6)
      .map((e) => (e.ledgerSeq > 6 ? { ...e, ledgerSeq: e.ledgerSeq - 1 } : e));
    expect((await verify(renumbered, digests, stand))[0]).toMatchObject({ kind: 'deleted', ledgerSeq: 6 });
  });

  it('an entry put in, chained properly, the rest renumbered', async () => {
    const { entries, digests, stand } = ledger();
    const before = entries[5]!;
    const forgedHash = hashAt('forged', '999');
    const forged: LedgerEntry = {
      ...before,
      ledgerSeq: 7,
      position: '999',
      eventId: 'forged',
      eventHash: forgedHash,
      prevHash: before.entryHash,
      entryHash: entryHash(before.entryHash, forgedHash),
    };
    stand.set('999', { id: 'forged', occurredAt: 0 });
    const spliced = [
      ...entries.slice(0, 6),
      forged,
      ...entries.slice(6).map((e) => ({ ...e, ledgerSeq: e.ledgerSeq + 1 })),
    ];
    expect((await verify(spliced, digests, stand))[0]).toMatchObject({ kind: 'inserted', ledgerSeq: 7 });
  });

  it('entries in another order', async () => {
    const { entries, digests, stand } = ledger();
    const swapped = [...entries];
    [swapped[3], swapped[4]] = [swapped[4]!, swapped[3]!];
    expect((await verify(swapped, digests, stand))[0]).toMatchObject({ kind: 'reordered', ledgerSeq: 4 });
  });

  it('a ledger recomputed over an edited event: only the signed digest disagrees, over its range', async () => {
    const { entries, digests, stand } = ledger();
    stand.set('60', { ...stand.get('60')!, edited: '*' });
    const rechained = rechain(entries.map((e) => (e.ledgerSeq === 6 ? { ...e, eventHash: hashAt('e6*', '60') } : e)));
    expect((await verify(rechained, digests, stand))[0]).toMatchObject({
      kind: 'edited',
      ledgerSeq: 5,
      toLedgerSeq: 8,
      scope: 'digest-range',
      digestSeq: 2,
    });
  });

  it('digests missing, forged, or due and not there', async () => {
    const { entries, digests, stand } = ledger();
    expect(
      (
        await verify(
          entries,
          digests.filter((d) => d.digestSeq !== 2),
          stand,
        )
      )[0],
    ).toMatchObject({ kind: 'digest-missing', ledgerSeq: 5, digestSeq: 2 });
    const forged = digests.map((d) => (d.digestSeq === 2 ? { ...d, lastPosition: '70' } : d));
    expect((await verify(entries, forged, stand))[0]).toMatchObject({
      kind: 'digest-forged',
      ledgerSeq: 5,
      digestSeq: 2,
    });
    expect(
      (
        await verify(
          entries,
          digests.filter((d) => d.digestSeq !== 3),
          stand,
        )
      )[0],
    ).toMatchObject({ kind: 'digest-missing', ledgerSeq: 9, digestSeq: 3 });
  });
});

/** Recomputes prev and entry hashes from the entries' event hashes, as a forger without the key can. */
function rechain(entries: LedgerEntry[]): LedgerEntry[] {
  let prev = '0'.repeat(64);
  return entries.map((e) => {
    const next = { ...e, prevHash: prev, entryHash: entryHash(prev, e.eventHash) };
    prev = next.entryHash;
    return next;
  });
}
