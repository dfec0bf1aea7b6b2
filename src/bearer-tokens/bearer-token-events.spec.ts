import type { HistoryEvent } from '../event-store/event.types';
import {
  BEARER_TOKEN_CREATED,
  BEARER_TOKEN_REVOKED,
  tokenCreatedEvent,
  tokenHistoryOf,
  tokenRevokedEvent,
  tokenTag,
} from './bearer-token-events';
import { newIssuedToken, tokenDigest } from './issued-token';
import { adminActor, cliActor } from './token-actors';

const OWNER = {
  accessKeyId: 'AKIAALIASTRAILTEST01',
  accountId: '111122223333',
  arn: 'arn:aws:iam::111122223333:user/admin',
  userName: 'admin',
  secretAccessKey: 'test-secret-access-key-0000000000000000',
};
const RECORD = {
  tokenId: '3f2504e0-4f89-11d3-9a0c-0305e82c3301',
  accessKeyId: OWNER.accessKeyId,
  description: 'grafana',
  createdAt: new Date('2026-03-01T12:00:00.000Z'),
  createdBy: OWNER.arn,
  expiresAt: new Date('2026-03-31T12:00:00.000Z'),
  revokedAt: null,
  revokedBy: null,
};

const asHistory = (event: ReturnType<typeof tokenCreatedEvent> | ReturnType<typeof tokenRevokedEvent>) =>
  ({ ...event, schemaVersion: 1 }) as HistoryEvent;

describe('bearer token events', () => {
  const actor = adminActor({ requestId: 'req-1', sourceIp: '10.0.0.1', userAgent: 'curl/8\u0000' }, OWNER);

  it('records who made which token for whom, under the token’s tag, without the token or its digest', () => {
    const token = newIssuedToken();
    const event = tokenCreatedEvent('e1', RECORD, OWNER, actor);
    expect(event).toEqual({
      eventId: 'e1',
      type: BEARER_TOKEN_CREATED,
      tags: ['bearer-token:3f2504e0-4f89-11d3-9a0c-0305e82c3301'],
      data: {
        tokenId: RECORD.tokenId,
        accessKeyId: OWNER.accessKeyId,
        accountId: OWNER.accountId,
        principalArn: OWNER.arn,
        description: 'grafana',
        expiresAt: '2026-03-31T12:00:00.000Z',
        createdBy: OWNER.arn,
      },
      metadata: {
        via: 'admin-api',
        requestId: 'req-1',
        userIdentity: expect.objectContaining({ arn: OWNER.arn, accessKeyId: OWNER.accessKeyId }),
        sourceIPAddress: '10.0.0.1',
        userAgent: 'curl/8\ufffd',
      },
      occurredAt: RECORD.createdAt,
    });
    const text = JSON.stringify(event);
    expect(text).not.toContain(token);
    expect(text).not.toContain(tokenDigest(token).toString('hex'));
    expect(text).not.toContain(OWNER.secretAccessKey);
  });

  it('reads a token’s history: made or not, revoked or not', () => {
    const created = tokenCreatedEvent('e1', RECORD, OWNER, actor);
    const revoked = tokenRevokedEvent('e2', created.data, cliActor('alice'), new Date('2026-03-02T00:00:00.000Z'));
    expect(revoked.type).toBe(BEARER_TOKEN_REVOKED);
    expect(revoked.tags).toEqual([tokenTag(RECORD.tokenId)]);
    expect(revoked.data).toEqual({
      tokenId: RECORD.tokenId,
      accessKeyId: OWNER.accessKeyId,
      accountId: OWNER.accountId,
      revokedBy: 'cli:alice',
    });
    expect(revoked.metadata).toEqual({ via: 'cli', osUser: 'alice' });
    expect(tokenHistoryOf([])).toEqual({ created: undefined, revoked: false });
    expect(tokenHistoryOf([asHistory(created)])).toEqual({ created: created.data, revoked: false });
    expect(tokenHistoryOf([asHistory(created), asHistory(revoked)])).toEqual({ created: created.data, revoked: true });
  });

  it('tags a token the same whatever the case of its id', () => {
    expect(tokenTag('3F2504E0-4F89-11D3-9A0C-0305E82C3301')).toBe(tokenTag(RECORD.tokenId));
  });
});
