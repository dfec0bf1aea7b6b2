/**
 * Moves the service's controllable clock (ALIASTRAIL_CLOCK=controllable) on by `seconds`; answers
 * its new time, which the events written next are dated with.
 */
export async function advanceClock(url: string, seconds: number): Promise<Date> {
  const response = await fetch(`${url}/admin/clock`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ advanceSeconds: seconds }),
  });
  if (response.status !== 200) throw new Error(`the clock refused to move: ${response.status}`);
  return new Date(((await response.json()) as { now: number }).now * 1000);
}
