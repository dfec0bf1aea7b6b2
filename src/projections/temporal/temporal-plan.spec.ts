import type { StoredEvent } from '../../event-store/event.types';
import { TemporalMismatch, planTemporalBatch } from './temporal-plan';

const scope = { accountId: '111122223333', region: 'us-east-1', aliasName: 'alias/x' };
const KEY = `${scope.accountId}\n${scope.region}\n${scope.aliasName}`;
let position = 0n;
const event = (type: string, data: Record<string, unknown>, second: number): StoredEvent => ({
  position: ++position,
  transactionId: 1n,
  eventId: `00000000-0000-4000-8000-${position.toString().padStart(12, '0')}`,
  type,
  schemaVersion: 1,
  tags: [],
  data: { ...scope, ...data },
  metadata: { requestId: `r${position}`, eventName: type },
  occurredAt: new Date(Date.UTC(2026, 2, 1, 14, 0, second)),
  recordedAt: new Date(),
});

describe('planTemporalBatch', () => {
  it('ends the version open before the batch and chains the versions the batch begins', () => {
    const { closes, inserts, spans } = planTemporalBatch(
      [
        event('AliasRetargeted', { fromKeyId: 'k1', toKeyId: 'k2' }, 1),
        event('AliasDeleted', { keyId: 'k2', reason: 'key-deleted' }, 2),
        event('AliasCreated', { keyId: 'k3' }, 3),
      ],
      new Map([[KEY, { aliasId: 7, maxVersion: 4, open: true }]]),
    );
    expect(closes).toMatchObject([{ alias_id: 7, valid_to: '2026-03-01T14:00:01.000Z', ended_reason: 'retargeted' }]);
    expect(inserts).toMatchObject([
      { version: 5, key_id: 'k2', valid_to: '2026-03-01T14:00:02.000Z', ended_reason: 'key-deleted' },
      { version: 6, key_id: 'k3', valid_from: '2026-03-01T14:00:03.000Z', valid_to: null },
    ]);
    // Versions name the events that began and ended them by position (1, 2 and 3: the batch's events).
    expect(closes[0]!.to_position).toBe('1');
    expect(inserts.map((v) => [v.from_position, v.to_position])).toEqual([
      ['1', '2'],
      ['3', null],
    ]);
    // Versions begin 14:00:01 and 14:00:03, and end at 14:00:01 and 14:00:02; one is open after the batch.
    expect(spans).toEqual([
      { alias_id: 7, first_began: '2026-03-01T14:00:01.000Z', ended_max: '2026-03-01T14:00:02.000Z', open: true },
    ]);
  });

  it('takes the earliest start and latest end whatever the order of event times, and says when none is open', () => {
    const { spans } = planTemporalBatch(
      [
        event('AliasCreated', { keyId: 'k1' }, 9),
        event('AliasRetargeted', { fromKeyId: 'k1', toKeyId: 'k2' }, 5), // a writer with a slower clock
        event('AliasDeleted', { keyId: 'k2', reason: 'api' }, 7),
      ],
      new Map([[KEY, { aliasId: 3, maxVersion: 0, open: false }]]),
    );
    expect(spans).toEqual([
      { alias_id: 3, first_began: '2026-03-01T14:00:05.000Z', ended_max: '2026-03-01T14:00:07.000Z', open: false },
    ]);
  });

  it('refuses a batch that contradicts the model, rather than diverge', () => {
    const created = new Map([[KEY, { aliasId: 7, maxVersion: 1, open: true }]]);
    const gone = new Map([[KEY, { aliasId: 7, maxVersion: 1, open: false }]]);
    expect(() => planTemporalBatch([event('AliasCreated', { keyId: 'k1' }, 1)], created)).toThrow(TemporalMismatch);
    expect(() => planTemporalBatch([event('AliasDeleted', { keyId: 'k1', reason: 'api' }, 1)], gone)).toThrow(
      TemporalMismatch,
    );
    expect(() => planTemporalBatch([event('AliasCreated', { keyId: 'k1' }, 1)], new Map())).toThrow(TemporalMismatch);
  });

  it('ignores events that are not about aliases', () => {
    expect(planTemporalBatch([event('KeyCreated', { keyId: 'k1' }, 1)], new Map())).toEqual({
      closes: [],
      inserts: [],
      spans: [],
    });
  });
});
