import { START, checkpointOf, compareCheckpoints, formatCheckpoint, parseCheckpoint } from './checkpoint';

describe('checkpoints', () => {
  it('order by transaction id first, then position', () => {
    const early = { transactionId: 5n, position: 900n };
    const late = { transactionId: 6n, position: 1n };
    expect(compareCheckpoints(early, late)).toBe(-1);
    expect(compareCheckpoints(late, early)).toBe(1);
    expect(compareCheckpoints(early, { transactionId: 5n, position: 901n })).toBe(-1);
    expect(compareCheckpoints(early, { ...early })).toBe(0);
    expect(compareCheckpoints(START, early)).toBe(-1);
  });

  it('format to strings that sort like the checkpoints and parse back', () => {
    const points = [
      { transactionId: 10n, position: 2n },
      { transactionId: 9n, position: 100n },
      { transactionId: 18446744073709551615n, position: 9223372036854775807n },
      START,
    ];
    const sortedByText = points.map(formatCheckpoint).sort();
    const sortedByValue = [...points].sort(compareCheckpoints).map(formatCheckpoint);
    expect(sortedByText).toEqual(sortedByValue);
    for (const point of points) expect(parseCheckpoint(formatCheckpoint(point))).toEqual(point);
  });

  it('rejects malformed text', () => {
    expect(() => parseCheckpoint('12')).toThrow(/not a checkpoint/);
    expect(() => parseCheckpoint('a:1')).toThrow(/not a checkpoint/);
  });

  it('takes the checkpoint of an event', () => {
    expect(checkpointOf({ transactionId: 3n, position: 4n })).toEqual({ transactionId: 3n, position: 4n });
  });
});
