import { type QueryOptions, queryHeaders } from './query-client';

/**
 * POST /admin/clock {"advanceSeconds": seconds} on a service with ALIASTRAIL_CLOCK=controllable,
 * signed like the other admin routes (the test credentials unless `options` say otherwise); the
 * answer as it comes, for tests of the route itself.
 */
export async function clockRequest(url: string, seconds: number, options: QueryOptions = {}): Promise<Response> {
  const target = new URL('/admin/clock', url);
  const body = JSON.stringify({ advanceSeconds: seconds });
  const headers = await queryHeaders('POST', target, { 'content-type': 'application/json' }, body, options);
  return fetch(target, { method: 'POST', headers, body });
}

/**
 * Moves the service's controllable clock (ALIASTRAIL_CLOCK=controllable) on by `seconds`; answers
 * its new time, which the events written next are dated with.
 */
export async function advanceClock(url: string, seconds: number, options: QueryOptions = {}): Promise<Date> {
  const response = await clockRequest(url, seconds, options);
  if (response.status !== 200) throw new Error(`the clock refused to move: ${response.status}`);
  return new Date(((await response.json()) as { now: number }).now * 1000);
}
