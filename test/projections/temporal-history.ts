import type { NewEvent } from '../../src/event-store/event.types';
import { anEvent } from '../support/events';

/** Random but valid alias histories for the temporal projection's tests, and folds to check them by. */

export const REGION = 'eu-west-1';
export const ALIASES = ['alias/a', 'alias/b', 'alias/c'];
export const KEYS = ['k-0', 'k-1', 'k-2'];
export const BASE = Date.parse('2026-03-01T14:00:00.000Z');

export interface Step {
  readonly alias: number;
  readonly key: number;
  readonly dtMs: number;
  readonly remove: boolean;
}

/** Turns random steps into a valid alias history: create when absent, else retarget or delete. */
export function historyOf(accountId: string, steps: readonly Step[]): NewEvent[] {
  const live = new Map<string, string>();
  let time = BASE;
  return steps.map((step) => {
    time += step.dtMs; // equal instants included: "at T" must take the later of two events at T
    const aliasName = ALIASES[step.alias]!;
    const current = live.get(aliasName);
    const scope = { accountId, region: REGION, aliasName };
    const tags = [`alias:${accountId}:${REGION}:${aliasName}`];
    const occurredAt = new Date(time);
    const metadata = { requestId: `r-${time}-${step.alias}`, eventName: 'Test' };
    if (current === undefined) {
      live.set(aliasName, KEYS[step.key]!);
      return anEvent({ type: 'AliasCreated', tags, occurredAt, metadata, data: { ...scope, keyId: KEYS[step.key] } });
    }
    if (step.remove) {
      live.delete(aliasName);
      return anEvent({
        type: 'AliasDeleted',
        tags,
        occurredAt,
        metadata,
        data: { ...scope, keyId: current, reason: 'api' },
      });
    }
    const toKeyId = KEYS[step.key] === current ? KEYS[(step.key + 1) % KEYS.length]! : KEYS[step.key]!;
    live.set(aliasName, toKeyId);
    return anEvent({
      type: 'AliasRetargeted',
      tags,
      occurredAt,
      metadata,
      data: { ...scope, fromKeyId: current, toKeyId },
    });
  });
}

/** The aliases at T by folding, from scratch, the events whose time is <= T. */
export function foldAt(events: readonly NewEvent[], at: number): Map<string, string> {
  return fold(events.filter((event) => event.occurredAt.getTime() <= at));
}

/** The aliases after `events`, folded in the order given. */
export function fold(events: readonly NewEvent[]): Map<string, string> {
  const live = new Map<string, string>();
  for (const event of events) {
    const data = event.data as { aliasName: string; keyId?: string; toKeyId?: string };
    if (event.type === 'AliasCreated') live.set(data.aliasName, data.keyId!);
    else if (event.type === 'AliasRetargeted') live.set(data.aliasName, data.toKeyId!);
    else live.delete(data.aliasName);
  }
  return live;
}
