import type { NewEvent } from '../../src/event-store/event.types';
import { aliasArn, keyArn, type Scope } from '../../src/kms/domain/identifiers';
import { anEvent } from './events';
import { type Ids, at, changed, deletion, onDemandRotation, recorded, signedIn } from './audit-call-builders';

/** everyKindOfCall's scopes by default. */
export const eu: Scope = { accountId: '111122223333', region: 'eu-west-1' };
export const cn: Scope = { accountId: '111122223333', region: 'cn-north-1' };
export const K1 = '1234abcd-12ab-34cd-56ef-1234567890ab';
export const K2 = '0987dcba-09ba-87dc-65fe-0987654321ba';
const G1 = '0c237476b39f8bc44e45212e08498fbe3151305030726c0590dd8d3e9f3d6a60';
/**
 * Every kind of call the audit trail records, and events it does not, as the KMS writers, the
 * AuditRecorder and the deletion scheduler append them, in `accountId` (Regions eu-west-1 and
 * cn-north-1). Ids start with `tag`, so that each call of this makes other calls.
 */
export function everyKindOfCall(tag: string, accountId = '111122223333'): NewEvent[] {
  const eu: Scope = { accountId, region: 'eu-west-1' };
  const cn: Scope = { accountId, region: 'cn-north-1' };
  const ids: Ids = { tag, calls: 0, eu };
  const key = {
    keySpec: 'SYMMETRIC_DEFAULT',
    keyUsage: 'ENCRYPT_DECRYPT',
    keyManager: 'CUSTOMER',
    description: '',
    tags: [],
  };
  return [
    changed(ids, 'KeyCreated', { ...key, keyId: K1, origin: 'AWS_KMS' }, 'CreateKey', {}),
    changed(
      ids,
      'KeyCreated',
      { ...key, keyId: K2, origin: 'EXTERNAL', tags: [{ TagKey: 't', TagValue: 'v' }] },
      'CreateKey',
      { Origin: 'EXTERNAL' },
    ),
    changed(ids, 'AliasCreated', { aliasName: 'alias/finance', keyId: K1 }, 'CreateAlias', {
      AliasName: 'alias/finance',
      TargetKeyId: K1,
    }),
    changed(ids, 'AliasRetargeted', { aliasName: 'alias/finance', fromKeyId: K1, toKeyId: K2 }, 'UpdateAlias', {
      AliasName: 'alias/finance',
      TargetKeyId: keyArn(eu, K2),
    }),
    changed(ids, 'AliasDeleted', { aliasName: 'alias/finance', keyId: K2, reason: 'api' }, 'DeleteAlias', {
      AliasName: 'alias/finance',
    }),
    changed(ids, 'KeyDisabled', { keyId: K1 }, 'DisableKey', { KeyId: K1 }),
    changed(ids, 'KeyEnabled', { keyId: K1 }, 'EnableKey', { KeyId: 'alias/finance' }),
    changed(
      ids,
      'KeyDeletionScheduled',
      { keyId: K1, deletionDate: at(40).toISOString(), pendingWindowInDays: 7 },
      'ScheduleKeyDeletion',
      {
        KeyId: K1,
        PendingWindowInDays: 7,
      },
    ),
    changed(ids, 'KeyDeletionCanceled', { keyId: K1 }, 'CancelKeyDeletion', { KeyId: K1 }),
    // Key metadata and rotation (kms-crypto §8.2), and an automatic rotation (§8.4).
    changed(ids, 'KeyTagged', { keyId: K1, tags: [{ TagKey: 'a', TagValue: 'b' }] }, 'TagResource', {
      KeyId: K1,
      Tags: [{ TagKey: 'a', TagValue: 'b' }],
    }),
    changed(ids, 'KeyPolicyPut', { keyId: K1, policy: '{ }' }, 'PutKeyPolicy', {
      KeyId: K1,
      Policy: '{}',
      BypassPolicyLockoutSafetyCheck: false,
    }),
    // An on-demand rotation as logs before its RotateKey service event hold it: the call's event only.
    changed(
      ids,
      'KeyMaterialRotated',
      { keyId: K1, rotationType: 'ON_DEMAND', version: 2, keyMaterialId: 'm2' },
      'RotateKeyOnDemand',
      { KeyId: K1 },
    ),
    // And as RotateKeyOnDemandHandler writes it now: the call's record, then the service's switch.
    ...onDemandRotation(ids, K1, 3),
    anEvent({
      type: 'KeyMaterialRotated',
      data: { ...eu, keyId: K1, rotationType: 'AUTOMATIC', version: 4, keyMaterialId: 'm4' },
      metadata: { invokedBy: 'AWS Internal', callId: `${tag}-rotation`, eventTime: at(51).toISOString() },
      occurredAt: at(51),
    }),
    changed(
      ids,
      'AliasCreated',
      { aliasName: 'alias/china', keyId: K1 },
      'CreateAlias',
      { AliasName: 'alias/china', TargetKeyId: K1 },
      cn,
    ),
    recorded(
      ids,
      'CreateAlias',
      { AliasName: 'alias/finance', TargetKeyId: K2 },
      { errorCode: 'AlreadyExistsException', errorMessage: 'exists' },
    ),
    recorded(ids, 'DeleteAlias', { AliasName: 'alias/missing' }, { errorCode: 'NotFoundException', errorMessage: '' }),
    recorded(
      ids,
      'CreateAlias',
      { AliasName: 'alias/x', TargetKeyId: K1 },
      { errorCode: 'InvalidSignatureException', errorMessage: 'bad' },
    ),
    recorded(ids, 'ListAliases', { Limit: 5 }, {}),
    recorded(ids, 'DescribeKey', { KeyId: 'alias/finance' }, {}, { KeyMetadata: { Arn: keyArn(eu, K2), KeyId: K2 } }),
    recorded(
      ids,
      'DescribeKey',
      { KeyId: aliasArn(eu, 'alias/gone') },
      { errorCode: 'NotFoundException', errorMessage: 'gone' },
    ),
    recorded(ids, 'EnableKey', { KeyId: K1 }, { readOnly: false, responseElements: { done: true } }),
    // Crypto calls list the key they resolved, never the alias they named (kms-crypto §8.1).
    recorded(ids, 'Encrypt', { KeyId: 'alias/finance' }, {}, { KeyId: keyArn(eu, K2) }),
    recorded(
      ids,
      'GenerateDataKey',
      { KeyId: aliasArn(eu, 'alias/finance'), KeySpec: 'AES_256' },
      {},
      {
        KeyId: keyArn(eu, K1),
      },
    ),
    recorded(ids, 'Decrypt', { EncryptionAlgorithm: 'SYMMETRIC_DEFAULT' }, {}, { KeyId: keyArn(eu, K1) }),
    recorded(
      ids,
      'ReEncrypt',
      { SourceKeyId: 'alias/a', DestinationKeyId: aliasArn(eu, 'alias/b') },
      {},
      {
        KeyId: keyArn(eu, K2),
      },
    ),
    recorded(ids, 'Encrypt', { KeyId: 'alias/missing' }, { errorCode: 'NotFoundException', errorMessage: 'gone' }),
    // Another account's alias ARN, and an alias name too long to be one, name no alias of the scope.
    recorded(
      ids,
      'Encrypt',
      { KeyId: 'arn:aws:kms:eu-west-1:444455556666:alias/finance' },
      {
        errorCode: 'NotFoundException',
        errorMessage: 'other',
      },
    ),
    recorded(ids, 'Encrypt', { KeyId: `alias/${'x'.repeat(251)}` }, { errorCode: 'ValidationException' }),
    // Grants (kms-crypto §8.2): the token is in no parameter; RetireGrant shows none at all.
    changed(
      ids,
      'GrantCreated',
      { keyId: K1, grantId: G1, granteePrincipal: 'app', operations: ['Decrypt'] },
      'CreateGrant',
      {
        KeyId: K1,
        GranteePrincipal: 'app',
        Operations: ['Decrypt'],
      },
    ),
    changed(ids, 'GrantRetired', { keyId: K1, grantId: G1 }, 'RetireGrant', {}),
    changed(ids, 'GrantRevoked', { keyId: K1, grantId: G1 }, 'RevokeGrant', { KeyId: K1, GrantId: G1 }),
    recorded(
      ids,
      'CreateGrant',
      { KeyId: K1, GranteePrincipal: 'app', Operations: ['Decrypt'], Name: 'n' },
      { readOnly: false, responseElements: { grantId: G1 } },
      {},
    ),
    recorded(ids, 'RetireGrant', {}, { readOnly: false, errorCode: 'InvalidGrantTokenException', errorMessage: '' }),
    recorded(ids, 'ListGrants', { KeyId: K1 }, {}),
    // The console's sign-ins: ConsoleLogin, from signin.amazonaws.com, in us-east-1.
    signedIn(ids, 'Success'),
    signedIn(ids, 'Failure'),
    ...deletion(eu, `${tag}-deletion-1`, K2, ['alias/b', 'alias/a']),
    ...deletion(eu, `${tag}-deletion-2`, K1, []),
    // Provisioning AWS managed keys is no call of the caller's: in no record.
    anEvent({
      type: 'KeyCreated',
      data: { ...eu, ...key, keyId: 'k-aws', origin: 'AWS_KMS', keyManager: 'AWS' },
      metadata: { invokedBy: 'AWS Internal', callId: `${tag}-p1` },
    }),
    anEvent({
      type: 'AliasCreated',
      data: { ...eu, aliasName: 'alias/aws/s3', keyId: 'k-aws' },
      metadata: { invokedBy: 'AWS Internal', callId: `${tag}-p1` },
    }),
    // Metadata that lacks parts: no source IP, no user name, no event time (the event's time
    // counts), no request id (the event id groups it), and an event time finer than milliseconds.
    anEvent({
      type: 'KeyEnabled',
      data: { ...eu, keyId: K1 },
      metadata: { eventName: 'EnableKey', userIdentity: { type: 'AssumedRole', userName: 7 } },
      occurredAt: at(55),
    }),
    anEvent({
      type: 'KeyDisabled',
      data: { ...eu, keyId: K1 },
      metadata: {
        requestId: `${tag}-r-fine`,
        eventName: 'DisableKey',
        eventTime: '2026-03-01T14:00:56.123987Z',
        sourceIPAddress: '198.51.100.1',
      },
    }),
    // Not KMS records: another type, a KMS event whose metadata names no operation, a KeyDeleted no service made.
    anEvent({ type: 'Noted', data: eu, metadata: { requestId: `${tag}-n1`, eventName: 'Noted' } }),
    anEvent({ type: 'KeyEnabled', data: { ...eu, keyId: K1 }, metadata: { requestId: `${tag}-n2` } }),
    anEvent({
      type: 'KeyDeleted',
      data: { ...eu, keyId: K1 },
      metadata: { requestId: `${tag}-n3`, eventName: 'DeleteKey' },
    }),
  ];
}
