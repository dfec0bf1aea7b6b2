import { createHash } from 'node:crypto';
import { KMS_CALL_RECORDED } from '../../src/audit/kms-call-recorded';
import type { NewEvent } from '../../src/event-store/event.types';
import { type KmsEvent, tagsOf } from '../../src/kms/domain/kms-events';

/** mulberry32: a small seeded generator, so a failing history can be replayed exactly. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface KeyState {
  readonly id: string;
  state: 'Enabled' | 'Disabled' | 'PendingDeletion';
  readonly aliases: Set<string>;
  /** Its material version (rotations). */
  version: number;
}

type Scoped = { accountId: string; region: string };

/** One metadata event of a key (description, tags, policy, rotation: db/migrations/0015), drawn by `roll`. */
function metadataEvent(roll: number, scope: Scoped, key: KeyState, time: number, n: number): [KmsEvent, string] {
  const keyId = key.id;
  const tag = (i: number) => ({ TagKey: `t${i % 7}`, TagValue: `v${n}` });
  if (roll < 0.15)
    return [{ type: 'KeyDescriptionUpdated', data: { ...scope, keyId, description: `u${n}` } }, 'UpdateKeyDescription'];
  if (roll < 0.4) return [{ type: 'KeyTagged', data: { ...scope, keyId, tags: [tag(n), tag(n + 3)] } }, 'TagResource'];
  if (roll < 0.55)
    return [{ type: 'KeyUntagged', data: { ...scope, keyId, tagKeys: [`t${n % 7}`, 'absent'] } }, 'UntagResource'];
  if (roll < 0.65)
    return [
      { type: 'KeyPolicyPut', data: { ...scope, keyId, policy: `{\n  "Statement" : [ ${n} ]\n}` } },
      'PutKeyPolicy',
    ];
  if (roll < 0.75) {
    const nextRotationDate = new Date(time + 90 * 86_400_000).toISOString();
    return [
      { type: 'KeyRotationEnabled', data: { ...scope, keyId, rotationPeriodInDays: 90, nextRotationDate } },
      'EnableKeyRotation',
    ];
  }
  if (roll < 0.82) return [{ type: 'KeyRotationDisabled', data: { ...scope, keyId } }, 'DisableKeyRotation'];
  key.version += 1;
  const rotation = { ...scope, keyId, version: key.version, keyMaterialId: `m-${keyId}-${key.version}` };
  if (roll < 0.92)
    return [{ type: 'KeyMaterialRotated', data: { ...rotation, rotationType: 'ON_DEMAND' } }, 'RotateKeyOnDemand'];
  const nextRotationDate = new Date(time + 180 * 86_400_000).toISOString();
  return [
    { type: 'KeyMaterialRotated', data: { ...rotation, rotationType: 'AUTOMATIC', nextRotationDate } },
    'RotateKey',
  ];
}

export interface HistoryOptions {
  readonly seed: number;
  /** Units of work, each appended in one transaction (a key's deletion with its aliases is one). */
  readonly units: number;
  readonly accountId: string;
  readonly region?: string;
  /** Alias names to draw from: fewer names, more re-creations after deletion. */
  readonly aliasNames?: number;
  readonly start?: Date;
}

/**
 * A valid random history of one account and Region: keys created (some with tags and a policy),
 * disabled, enabled, scheduled for deletion, canceled and deleted (with AliasDeleted{key-deleted} for
 * their aliases in the same unit), their description, tags, policy and rotation changed, aliases
 * created, retargeted and deleted (names re-used), and a few events of another kind.
 * Event times never decrease and sometimes repeat. Histories of different accounts share nothing,
 * so writers may append them concurrently, each its own in order.
 */
export function kmsHistory(options: HistoryOptions): NewEvent[][] {
  const next = random(options.seed);
  const pick = <T>(items: readonly T[]): T | undefined => items[Math.floor(next() * items.length)];
  const scope = { accountId: options.accountId, region: options.region ?? 'eu-west-1' };
  const keys = new Map<string, KeyState>();
  const aliases = new Map<string, string>();
  let time = (options.start ?? new Date('2026-02-01T00:00:00Z')).getTime();
  let counter = 0;
  const units: NewEvent[][] = [];
  const usable = () => [...keys.values()].filter((k) => k.state !== 'PendingDeletion');
  const event = (e: KmsEvent | { type: 'Noted'; data: object }, eventName: string): NewEvent => ({
    eventId: uuidOf(`${options.seed}:${options.accountId}:${counter++}`),
    type: e.type,
    tags: e.type === 'Noted' ? [] : tagsOf(e),
    data: e.data,
    metadata: {
      requestId: `req-${options.accountId}-${counter}`,
      eventName,
      userIdentity: { type: 'IAMUser', accountId: options.accountId, userName: `user-${counter % 5}` },
      sourceIPAddress: `10.0.0.${counter % 250}`,
      userAgent: 'rebuild-test',
    },
    occurredAt: new Date(time),
  });
  while (units.length < options.units) {
    time += Math.floor(next() * 3) * 500;
    const roll = next();
    const key = pick([...keys.values()]);
    const name = `alias/n${Math.floor(next() * (options.aliasNames ?? 40))}`;
    const target = aliases.get(name);
    if (roll < 0.15 || !key) {
      const keyId = `k-${options.accountId}-${counter}`;
      keys.set(keyId, { id: keyId, state: 'Enabled', aliases: new Set(), version: 1 });
      const data = { ...scope, keyId, keySpec: 'SYMMETRIC_DEFAULT', keyUsage: 'ENCRYPT_DECRYPT' };
      const created = {
        ...data,
        keyManager: 'CUSTOMER' as const,
        origin: 'AWS_KMS',
        description: `d${counter}`,
        tags:
          counter % 3 === 0
            ? [
                { TagKey: 'b', TagValue: '1' },
                { TagKey: 'a', TagValue: '2' },
              ]
            : [],
        ...(counter % 4 === 0 ? { policy: `{\n  "Statement" : [ ]\n}` } : {}),
      };
      units.push([event({ type: 'KeyCreated', data: created }, 'CreateKey')]);
    } else if (roll < 0.45 && target === undefined) {
      const onto = pick(usable());
      if (!onto) continue;
      aliases.set(name, onto.id);
      onto.aliases.add(name);
      units.push([event({ type: 'AliasCreated', data: { ...scope, aliasName: name, keyId: onto.id } }, 'CreateAlias')]);
    } else if (roll < 0.7 && target !== undefined) {
      const onto = pick(usable().filter((k) => k.id !== target));
      if (!onto) continue;
      keys.get(target)!.aliases.delete(name);
      onto.aliases.add(name);
      aliases.set(name, onto.id);
      const data = { ...scope, aliasName: name, fromKeyId: target, toKeyId: onto.id };
      units.push([event({ type: 'AliasRetargeted', data }, 'UpdateAlias')]);
    } else if (roll < 0.8 && target !== undefined) {
      keys.get(target)!.aliases.delete(name);
      aliases.delete(name);
      const data = { ...scope, aliasName: name, keyId: target, reason: 'api' as const };
      units.push([event({ type: 'AliasDeleted', data }, 'DeleteAlias')]);
    } else if (roll < 0.86 && key.state !== 'PendingDeletion') {
      key.state = key.state === 'Enabled' ? 'Disabled' : 'Enabled';
      const type = key.state === 'Enabled' ? 'KeyEnabled' : 'KeyDisabled';
      units.push([
        event({ type, data: { ...scope, keyId: key.id } }, type === 'KeyEnabled' ? 'EnableKey' : 'DisableKey'),
      ]);
    } else if (roll < 0.9 && key.state !== 'PendingDeletion') {
      key.state = 'PendingDeletion';
      const deletionDate = new Date(time + 7 * 86_400_000).toISOString();
      const data = { ...scope, keyId: key.id, deletionDate, pendingWindowInDays: 7 };
      units.push([event({ type: 'KeyDeletionScheduled', data }, 'ScheduleKeyDeletion')]);
    } else if (roll < 0.93 && key.state === 'PendingDeletion') {
      key.state = 'Disabled';
      units.push([event({ type: 'KeyDeletionCanceled', data: { ...scope, keyId: key.id } }, 'CancelKeyDeletion')]);
    } else if (roll < 0.97 && key.state === 'PendingDeletion') {
      const unit = [...key.aliases].map((aliasName) => {
        aliases.delete(aliasName);
        const data = { ...scope, aliasName, keyId: key.id, reason: 'key-deleted' as const };
        return event({ type: 'AliasDeleted', data }, 'DeleteKey');
      });
      keys.delete(key.id);
      units.push([...unit, event({ type: 'KeyDeleted', data: { ...scope, keyId: key.id } }, 'DeleteKey')]);
    } else if (roll >= 0.97 && roll < 0.985) {
      units.push([event({ type: 'Noted', data: scope }, 'Noted')]); // neither projection reads it
    } else if (roll >= 0.985 || (roll >= 0.93 && key.state !== 'PendingDeletion')) {
      // Metadata events, also of a key pending deletion: the projections apply whatever the log holds.
      const [metadata, eventName] = metadataEvent(next(), scope, key, time, counter);
      const onDemand = metadata.type === 'KeyMaterialRotated' && metadata.data.rotationType === 'ON_DEMAND';
      // Every other on-demand rotation as RotateKeyOnDemandHandler writes it now (the call's record,
      // then the service's switch with an id of its own); the rest as logs written before that.
      if (onDemand && counter % 2 === 0) {
        const keyArn = `arn:aws:kms:${scope.region}:${scope.accountId}:key/${key.id}`;
        const record = {
          ...scope,
          eventName,
          readOnly: false,
          resources: [keyArn],
          responseElements: { keyId: keyArn },
        };
        // Untagged, as a Noted is: no unit reads a call's record.
        const call = { ...event({ type: 'Noted', data: record }, eventName), type: KMS_CALL_RECORDED };
        const switched = event(metadata, eventName);
        const service = { invokedBy: 'AWS Internal', callId: `svc-${switched.eventId}` };
        units.push([call, { ...switched, metadata: service }]);
      } else units.push([event(metadata, eventName)]);
    }
  }
  return units;
}

/** A uuid made from a name: histories are the same on every run. */
function uuidOf(name: string): string {
  const h = createHash('sha256').update(name).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
