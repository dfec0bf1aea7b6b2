import { randomUUID } from 'node:crypto';
import { type KmsEvent, tagsOf } from '../../src/kms/domain/kms-events';
import {
  type Caller,
  HISTORY_SCOPES,
  type Random,
  apiMetadata,
  callersOf,
  pick,
  pickCaller,
  randomFrom,
} from './history-callers';
import { LiveSet } from './history-live-set';
import { unchangedCall } from './history-unchanged-call';

/** An event as the service would append it. */
export interface SeedEvent {
  readonly eventId: string;
  readonly type: string;
  readonly tags: readonly string[];
  readonly data: unknown;
  readonly metadata: Record<string, unknown>;
  readonly occurredAt: Date;
}

const DAY_MS = 86_400_000;
const TEAMS = ['payments', 'search', 'identity', 'ledger', 'platform', 'data', 'mobile', 'web'];
const ENVS = ['prod', 'staging', 'dev', 'test'];
/** Share of the log's steps over which keys and aliases keep being created. */
const CREATION_SPAN = 0.9;
/** Of the other steps: a call that changed nothing, an alias deleted, a deleted name created again, a key deletion scheduled. */
const P_CALL = 0.05;
const P_DELETE = 0.012;
const P_RECREATE = 0.006;
const P_SCHEDULE = 0.00017;

interface Key {
  readonly scope: number;
  readonly keyId: string;
  pending: boolean;
  readonly aliases: Set<number>;
}

interface Alias {
  readonly scope: number;
  readonly name: string;
  key: number; // -1 while deleted
}

/**
 * A year of KMS traffic over HISTORY_SCOPES, one event per step (a key's deletion takes 1 + its
 * aliases), as the service would have written it: keys and aliases created all along, aliases
 * retargeted (most of the log), deleted and created again, a few keys scheduled for deletion and
 * deleted with their aliases by the service, and failed and read-only calls as KmsCallRecorded.
 * Event times rise through the log, so they never go back for any entity (invariant 5); the
 * invariants hold (one live alias per name, at most 50 per key, nothing onto a key pending deletion).
 */
export class HistoryScenario {
  readonly keyCount: number;
  readonly aliasCount: number;
  readonly start: Date;
  readonly end: Date;
  readonly counts = new Map<string, number>();
  private readonly random: Random = randomFrom(20260301);
  private readonly callers = HISTORY_SCOPES.map((s) => callersOf(s.accountId));
  private readonly keys: Key[] = [];
  private readonly aliases: Alias[] = [];
  private readonly keysByScope: number[][] = HISTORY_SCOPES.map(() => []);
  private readonly live: LiveSet[] = HISTORY_SCOPES.map(() => new LiveSet());
  private readonly deleted: LiveSet[] = HISTORY_SCOPES.map(() => new LiveSet());
  private readonly pendingDeletions: { key: number; due: number }[] = [];
  private step = 0;

  constructor(
    readonly events: number,
    end = new Date(Date.now() - DAY_MS),
  ) {
    this.keyCount = Math.max(HISTORY_SCOPES.length, Math.round(events / 100));
    this.aliasCount = Math.round(events / 10);
    this.end = end;
    this.start = new Date(end.getTime() - 365 * DAY_MS);
  }

  /**
   * The events in log order: `events` of them (a few more only in a log too short for a key's
   * deletion, which is one unit, to end two days before the last event).
   */
  *generate(): Generator<SeedEvent> {
    while (this.step < this.events) {
      const at = this.timeOf(this.step);
      for (const event of this.dueDeletion(at) ?? this.next(at)) {
        this.step += 1;
        this.counts.set(event.type, (this.counts.get(event.type) ?? 0) + 1);
        yield event;
      }
    }
  }

  /** Every alias name ever created in a scope (by index into HISTORY_SCOPES). */
  aliasNames(scope: number): string[] {
    return this.aliases.filter((a) => a.scope === scope).map((a) => a.name);
  }

  /** The scope's state at the end: live aliases and their keys, and keys aliases may move to. */
  finalState(scope: number): { aliases: Map<string, string>; keys: Map<string, number> } {
    const aliases = new Map(
      this.live[scope]!.items.map((i) => [this.aliases[i]!.name, this.keys[this.aliases[i]!.key]!.keyId]),
    );
    const keys = new Map(
      this.keysByScope[scope]!.filter((k) => !this.keys[k]!.pending).map((k) => [
        this.keys[k]!.keyId,
        this.keys[k]!.aliases.size,
      ]),
    );
    return { aliases, keys };
  }

  /** Monotone: step i lies in [i, i + 1) steps of the span. */
  private timeOf(step: number): Date {
    const width = (this.end.getTime() - this.start.getTime()) / this.events;
    return new Date(Math.floor(this.start.getTime() + width * (step + this.random())));
  }

  private next(at: Date): SeedEvent[] {
    const due = (total: number) => Math.ceil((total * (this.step + 1)) / (this.events * CREATION_SPAN));
    if (this.keys.length < Math.min(this.keyCount, Math.max(HISTORY_SCOPES.length, due(this.keyCount))))
      return [this.createKey(at)];
    if (this.aliases.length < Math.min(this.aliasCount, due(this.aliasCount))) {
      const created = this.createAlias(this.aliases.length % HISTORY_SCOPES.length, at);
      if (created) return [created];
    }
    const scope = Math.floor(this.random() * HISTORY_SCOPES.length);
    const r = this.random();
    const action =
      r < P_CALL
        ? this.failedOrReadCall(scope, at)
        : r < P_CALL + P_DELETE
          ? this.deleteAlias(scope, at)
          : r < P_CALL + P_DELETE + P_RECREATE
            ? this.recreateAlias(scope, at)
            : r < P_CALL + P_DELETE + P_RECREATE + P_SCHEDULE
              ? this.scheduleDeletion(scope, at)
              : this.retarget(scope, at);
    return [action ?? this.failedOrReadCall(scope, at)];
  }

  private api(scope: number, event: KmsEvent, operation: string, params: Record<string, unknown>, at: Date): SeedEvent {
    const caller: Caller = pickCaller(this.random, this.callers[scope]!);
    const metadata = apiMetadata(this.random, caller, HISTORY_SCOPES[scope]!, operation, params, at);
    return { eventId: randomUUID(), type: event.type, tags: tagsOf(event), data: event.data, metadata, occurredAt: at };
  }

  private createKey(at: Date): SeedEvent {
    const scope = this.keys.length % HISTORY_SCOPES.length;
    const keyId = randomUUID();
    const team = pick(this.random, TEAMS);
    const description = `${team} ${pick(this.random, ENVS)} data key`;
    const tags = this.random() < 0.5 ? [{ TagKey: 'team', TagValue: team }] : [];
    this.keysByScope[scope]!.push(this.keys.length);
    this.keys.push({ scope, keyId, pending: false, aliases: new Set() });
    const data = { ...HISTORY_SCOPES[scope]!, keyId, keySpec: 'SYMMETRIC_DEFAULT', keyUsage: 'ENCRYPT_DECRYPT' };
    const event: KmsEvent = {
      type: 'KeyCreated',
      data: { ...data, keyManager: 'CUSTOMER', origin: 'AWS_KMS', description, tags },
    };
    return this.api(
      scope,
      event,
      'CreateKey',
      { Description: description, ...(tags.length ? { Tags: tags } : {}) },
      at,
    );
  }

  /** A key of the scope an alias may point to (not pending deletion, room left), other than `not`. */
  private usableKey(scope: number, not = -1): number | undefined {
    const keys = this.keysByScope[scope]!;
    for (let attempt = 0; attempt < 20 && keys.length > 0; attempt++) {
      const k = pick(this.random, keys);
      if (k !== not && !this.keys[k]!.pending && this.keys[k]!.aliases.size < 50) return k;
    }
    return undefined;
  }

  private createAlias(scope: number, at: Date): SeedEvent | undefined {
    const key = this.usableKey(scope);
    if (key === undefined) return undefined;
    const n = this.aliases.length;
    const name = `alias/${pick(this.random, TEAMS)}/${pick(this.random, ENVS)}-service-${String(n).padStart(6, '0')}`;
    this.aliases.push({ scope, name, key: -1 });
    return this.attach(n, key, at, 'CreateAlias');
  }

  private recreateAlias(scope: number, at: Date): SeedEvent | undefined {
    const deleted = this.deleted[scope]!;
    if (deleted.size === 0) return undefined;
    const key = this.usableKey(scope);
    if (key === undefined) return undefined;
    const alias = deleted.random(this.random);
    deleted.remove(alias);
    return this.attach(alias, key, at, 'CreateAlias');
  }

  private attach(alias: number, key: number, at: Date, operation: string): SeedEvent {
    const a = this.aliases[alias]!;
    const { keyId } = this.keys[key]!;
    a.key = key;
    this.keys[key]!.aliases.add(alias);
    this.live[a.scope]!.add(alias);
    const event: KmsEvent = { type: 'AliasCreated', data: { ...HISTORY_SCOPES[a.scope]!, aliasName: a.name, keyId } };
    return this.api(a.scope, event, operation, { AliasName: a.name, TargetKeyId: keyId }, at);
  }

  private retarget(scope: number, at: Date): SeedEvent | undefined {
    if (this.live[scope]!.size === 0) return undefined;
    const alias = this.live[scope]!.random(this.random);
    const a = this.aliases[alias]!;
    const to = this.usableKey(scope, a.key);
    if (to === undefined) return undefined;
    const [fromKeyId, toKeyId] = [this.keys[a.key]!.keyId, this.keys[to]!.keyId];
    this.keys[a.key]!.aliases.delete(alias);
    this.keys[to]!.aliases.add(alias);
    a.key = to;
    const event: KmsEvent = {
      type: 'AliasRetargeted',
      data: { ...HISTORY_SCOPES[scope]!, aliasName: a.name, fromKeyId, toKeyId },
    };
    return this.api(scope, event, 'UpdateAlias', { AliasName: a.name, TargetKeyId: toKeyId }, at);
  }

  private deleteAlias(scope: number, at: Date): SeedEvent | undefined {
    if (this.live[scope]!.size === 0) return undefined;
    const alias = this.live[scope]!.random(this.random);
    const a = this.aliases[alias]!;
    const keyId = this.keys[a.key]!.keyId;
    this.detach(alias);
    const event: KmsEvent = {
      type: 'AliasDeleted',
      data: { ...HISTORY_SCOPES[scope]!, aliasName: a.name, keyId, reason: 'api' },
    };
    return this.api(scope, event, 'DeleteAlias', { AliasName: a.name }, at);
  }

  private detach(alias: number): void {
    const a = this.aliases[alias]!;
    this.keys[a.key]!.aliases.delete(alias);
    a.key = -1;
    this.live[a.scope]!.remove(alias);
    this.deleted[a.scope]!.add(alias);
  }

  /** Only while the deletion (7-30 days on) still falls inside the history, so none is left due for the service. */
  private scheduleDeletion(scope: number, at: Date): SeedEvent | undefined {
    const key = this.usableKey(scope);
    const days = 7 + Math.floor(this.random() * 24);
    const due = at.getTime() + days * DAY_MS;
    if (key === undefined || due > this.end.getTime() - 2 * DAY_MS) return undefined;
    this.keys[key]!.pending = true;
    this.pendingDeletions.push({ key, due });
    const { keyId } = this.keys[key]!;
    const deletionDate = new Date(due).toISOString();
    const event: KmsEvent = {
      type: 'KeyDeletionScheduled',
      data: { ...HISTORY_SCOPES[scope]!, keyId, deletionDate, pendingWindowInDays: days },
    };
    return this.api(scope, event, 'ScheduleKeyDeletion', { KeyId: keyId, PendingWindowInDays: days }, at);
  }

  /** The service's unit for a key whose date has passed: KeyDeleted and an AliasDeleted per alias, one call id. */
  private dueDeletion(at: Date): SeedEvent[] | undefined {
    const index = this.pendingDeletions.findIndex((p) => p.due <= at.getTime());
    if (index < 0) return undefined;
    const { key } = this.pendingDeletions.splice(index, 1)[0]!;
    const k = this.keys[key]!;
    const scope = HISTORY_SCOPES[k.scope]!;
    const metadata = { invokedBy: 'AWS Internal', callId: randomUUID(), eventTime: at.toISOString() };
    const service = (event: KmsEvent): SeedEvent => ({
      eventId: randomUUID(),
      type: event.type,
      tags: tagsOf(event),
      data: event.data,
      metadata,
      occurredAt: at,
    });
    const aliases = [...k.aliases].sort((x, y) => (this.aliases[x]!.name < this.aliases[y]!.name ? -1 : 1));
    const events = [service({ type: 'KeyDeleted', data: { ...scope, keyId: k.keyId } })];
    for (const alias of aliases) {
      const aliasName = this.aliases[alias]!.name;
      this.detach(alias);
      events.push(
        service({ type: 'AliasDeleted', data: { ...scope, aliasName, keyId: k.keyId, reason: 'key-deleted' } }),
      );
    }
    this.keysByScope[k.scope] = this.keysByScope[k.scope]!.filter((other) => other !== key);
    return events;
  }

  private failedOrReadCall(scope: number, at: Date): SeedEvent {
    const caller = pickCaller(this.random, this.callers[scope]!);
    const keyId = this.keys[pick(this.random, this.keysByScope[scope]!)]!.keyId;
    const live = this.live[scope]!;
    const taken = live.size > 0 ? this.aliases[live.random(this.random)]!.name : undefined;
    return unchangedCall(this.random, HISTORY_SCOPES[scope]!, caller, keyId, taken, at);
  }
}
