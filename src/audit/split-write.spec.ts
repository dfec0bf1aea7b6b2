import fc from 'fast-check';
import { writeSplitting } from './split-write';
import type { WriteFailure } from './write-failure';

class Refused extends Error {}
class Unavailable extends Error {}
class Unknown extends Error {}
const classify = (error: unknown): WriteFailure =>
  error instanceof Refused ? 'refused' : error instanceof Unavailable ? 'unavailable' : 'unknown';

/** A database stand-in: refuses any chunk holding a bad record, keeps the rows it accepts. */
function database(bad: (n: number) => Error | undefined) {
  const rows: number[] = [];
  const writes: number[][] = [];
  const write = async (chunk: readonly number[]) => {
    writes.push([...chunk]);
    const error = chunk.map(bad).find((e) => e !== undefined);
    if (error) throw error;
    rows.push(...chunk);
  };
  return { rows, writes, write };
}

describe('writeSplitting', () => {
  it('writes at most maxChunk records a write, in order', async () => {
    const db = database(() => undefined);
    const items = Array.from({ length: 1203 }, (_, i) => i);
    expect(await writeSplitting(items, db.write, 500, classify)).toEqual({ written: items, setAside: [], held: [] });
    expect(db.writes.map((chunk) => chunk.length)).toEqual([500, 500, 203]);
  });

  it('holds the chunk the database was away for and every chunk after it, not those before', async () => {
    let writes = 0;
    const write = async () => {
      if (++writes === 2) throw new Unavailable();
    };
    const items = Array.from({ length: 12 }, (_, i) => i);
    const outcome = await writeSplitting(items, write, 5, classify);
    expect({ written: outcome.written, held: outcome.held }).toEqual({
      written: items.slice(0, 5),
      held: items.slice(5),
    });
  });

  it('writes a good batch in one write', async () => {
    const db = database(() => undefined);
    expect(await writeSplitting([1, 2, 3], db.write, undefined, classify)).toEqual({
      written: [1, 2, 3],
      setAside: [],
      held: [],
    });
    expect(db.writes).toHaveLength(1);
  });

  it('sets a refused record aside and writes every other one, in order, in few writes', async () => {
    const db = database((n) => (n === 137 ? new Refused('invalid input syntax for type json') : undefined));
    const batch = Array.from({ length: 500 }, (_, i) => i);
    const outcome = await writeSplitting(batch, db.write, undefined, classify);
    expect(outcome.setAside.map((s) => s.item)).toEqual([137]);
    expect(outcome.setAside[0]!.error).toBeInstanceOf(Refused);
    expect(outcome.written).toEqual(batch.filter((n) => n !== 137));
    expect(db.rows).toEqual(outcome.written);
    expect(outcome.held).toEqual([]);
    expect(db.writes.length).toBeLessThanOrEqual(2 * Math.ceil(Math.log2(500)) + 1);
  });

  it('holds the failing chunk and everything after it when the database is unavailable, trying nothing more', async () => {
    let calls = 0;
    const write = async (chunk: readonly number[]) => {
      calls += 1;
      if (chunk.includes(3)) throw new Refused();
      if (calls > 2) throw new Unavailable('Connection terminated unexpectedly');
    };
    const outcome = await writeSplitting([1, 2, 3, 4, 5, 6], write, undefined, classify);
    // [1..6] refused → [1,2,3] refused → [1,2] unavailable: hold [1,2], [3], [4,5,6]
    expect(outcome).toMatchObject({ written: [], setAside: [], held: [1, 2, 3, 4, 5, 6] });
    expect(outcome.unavailable).toBeInstanceOf(Unavailable);
    expect(calls).toBe(3);
  });

  it('holds rather than sets aside a record whose error is unknown, and writes the rest', async () => {
    const db = database((n) => (n === 2 ? new Unknown('permission denied') : undefined));
    expect(await writeSplitting([1, 2, 3], db.write, undefined, classify)).toEqual({
      written: [1, 3],
      setAside: [],
      held: [2],
    });
  });

  it('accounts for every record exactly once, keeping order, whatever records are bad', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.constantFrom<'good' | 'refused' | 'unknown'>('good', 'good', 'good', 'refused', 'unknown'), {
          maxLength: 64,
        }),
        async (kinds) => {
          const db = database((n) =>
            kinds[n] === 'refused' ? new Refused() : kinds[n] === 'unknown' ? new Unknown() : undefined,
          );
          const items = kinds.map((_, i) => i);
          const outcome = await writeSplitting(items, db.write, undefined, classify);
          expect(outcome.written).toEqual(items.filter((i) => kinds[i] === 'good'));
          expect(outcome.setAside.map((s) => s.item)).toEqual(items.filter((i) => kinds[i] === 'refused'));
          expect(outcome.held).toEqual(items.filter((i) => kinds[i] === 'unknown'));
          expect(db.rows).toEqual(outcome.written);
        },
      ),
    );
  });
});
