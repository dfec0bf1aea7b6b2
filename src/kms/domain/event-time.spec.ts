import { nextEventTime } from './event-time';

describe('nextEventTime', () => {
  const earlier = new Date('2026-03-01T14:00:00.000Z');
  const later = new Date('2026-03-01T14:00:00.001Z');

  it('takes the clock when it is ahead of the latest event', () => {
    expect(nextEventTime(earlier, later)).toBe(later);
  });

  it('keeps the latest event time when the clock is behind it', () => {
    expect(nextEventTime(later, earlier)).toBe(later);
  });

  it('takes the clock when nothing happened before', () => {
    expect(nextEventTime(undefined, earlier)).toBe(earlier);
  });

  it('takes either when they are equal', () => {
    expect(nextEventTime(earlier, new Date(earlier)).getTime()).toBe(earlier.getTime());
  });
});
