/**
 * Event times never go back within what a unit of work reads: when the clock is behind the latest
 * event time of the streams it locked (a clock step back, another instance's clock a little
 * ahead), the new events take that latest time. Point-in-time answers then never see an effect
 * before its cause.
 */
export function nextEventTime(latest: Date | undefined, now: Date): Date {
  return latest !== undefined && latest > now ? latest : now;
}
