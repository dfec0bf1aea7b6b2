import { type CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { sleep } from './events';

/**
 * The caller's LookupEvents records of `eventName`, once there is at least one: calls that change
 * nothing are recorded a few milliseconds after they are answered (the audit recorder batches them).
 */
export async function waitForRecords(trail: CloudTrailClient, eventName: string, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { Events } = await trail.send(
      new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: eventName }] }),
    );
    if (Events && Events.length > 0) return Events;
    if (Date.now() > deadline) throw new Error(`no ${eventName} record after ${timeoutMs} ms`);
    await sleep(50);
  }
}
