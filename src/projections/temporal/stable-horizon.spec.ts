import { SnapshotMoments, finalBefore, isFinal } from './stable-horizon';

const at = (iso: string) => new Date(`2026-03-01T${iso}Z`);

describe('finalBefore', () => {
  const facts = {
    capMs: 10_000,
    unapplied: { count: 0, oldestOccurredAt: undefined },
    unappliedLimit: 1000,
  };
  const settled = { at: at('14:00:05'), xmax: 105n };

  it('is the settled moment less the cap when nothing older is unapplied', () => {
    expect(finalBefore(facts, settled)).toEqual(at('13:59:55'));
  });

  it('stops before the oldest event the projection has not applied yet', () => {
    const unapplied = { count: 3, oldestOccurredAt: at('13:59:50') };
    expect(finalBefore({ ...facts, unapplied }, settled)).toEqual(at('13:59:50'));
    expect(finalBefore({ ...facts, unapplied: { count: 3, oldestOccurredAt: at('14:00:00') } }, settled)).toEqual(
      at('13:59:55'),
    );
  });

  it('says nothing is final without a cap, a settled moment, or when too many events are unapplied', () => {
    expect(finalBefore({ ...facts, capMs: undefined }, settled)).toBeUndefined();
    expect(finalBefore(facts, undefined)).toBeUndefined();
    expect(
      finalBefore({ ...facts, unapplied: { count: 1001, oldestOccurredAt: at('14:00:00') } }, settled),
    ).toBeUndefined();
  });
});

describe('isFinal', () => {
  it('holds strictly before the horizon', () => {
    expect(isFinal(at('13:59:54.999'), at('13:59:55'))).toBe(true);
    expect(isFinal(at('13:59:55'), at('13:59:55'))).toBe(false);
    expect(isFinal(at('00:00:00'), undefined)).toBe(false);
  });
});

describe('SnapshotMoments', () => {
  it('picks the latest moment whose transactions have all ended by the snapshot', () => {
    const moments = new SnapshotMoments(10, 0);
    moments.record({ at: at('14:00:00'), xmax: 100n });
    moments.record({ at: at('14:00:01'), xmax: 105n });
    moments.record({ at: at('14:00:02'), xmax: 110n });
    expect(moments.settledBy(99n)).toBeUndefined();
    expect(moments.settledBy(107n)).toEqual({ at: at('14:00:01'), xmax: 105n });
    // The older moment is dropped once a later one was picked: it can never be better.
    expect(moments.settledBy(100n)).toBeUndefined();
    expect(moments.settledBy(110n)).toEqual({ at: at('14:00:02'), xmax: 110n });
  });

  it('keeps moments spaced out and bounded', () => {
    const moments = new SnapshotMoments(2, 50);
    moments.record({ at: at('14:00:00.000'), xmax: 1n });
    moments.record({ at: at('14:00:00.010'), xmax: 2n }); // too close: skipped
    expect(moments.settledBy(2n)).toEqual({ at: at('14:00:00.000'), xmax: 1n });
    moments.record({ at: at('14:00:00.100'), xmax: 3n });
    moments.record({ at: at('14:00:00.200'), xmax: 4n }); // the first one falls out
    expect(moments.settledBy(2n)).toBeUndefined();
    expect(moments.settledBy(3n)).toEqual({ at: at('14:00:00.100'), xmax: 3n });
  });
});
