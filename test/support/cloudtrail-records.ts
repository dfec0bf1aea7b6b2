import { type CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { sleep } from './events';

/** Several of the audit recorder's flush delays (50 ms). */
const STABLE_MS = 250;

/**
 * The caller's LookupEvents records of `eventName`, once there are at least `atLeast` and no more
 * arrive: calls that change nothing are recorded about 50 ms after they are answered (the audit
 * recorder batches them), so the records of calls answered together may land in different writes.
 * The count must hold for STABLE_MS, several flush delays, before the records are returned.
 */
export async function waitForRecords(trail: CloudTrailClient, eventName: string, atLeast = 1, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  const lookup = async () =>
    (
      await trail.send(
        new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: eventName }] }),
      )
    ).Events ?? [];
  for (;;) {
    const events = await lookup();
    if (events.length >= atLeast) {
      await sleep(STABLE_MS);
      const again = await lookup();
      // Still arriving: look again, unless time is up (then what is there is the answer).
      if (again.length === events.length || Date.now() > deadline) return again;
    } else if (Date.now() > deadline) {
      throw new Error(`${events.length} ${eventName} records after ${timeoutMs} ms, expected at least ${atLeast}`);
    } else await sleep(50);
  }
}
