import { KEY_SPECS, KEY_USAGES, ORIGINS } from '../kms/domain/key-spec';
import type { Member, Shape } from './coral-validation';
import { MAX_ALIAS_NAME_LENGTH } from '../kms/domain/alias-name';
import { GRANT_OPERATION_NAMES } from '../kms/domain/grant.decider';
import { ignoresCiphertext } from '../kms/domain/ciphertext-members';

const ALIAS_NAME = {
  kind: 'string',
  required: true,
  min: 1,
  max: MAX_ALIAS_NAME_LENGTH,
  pattern: '^[a-zA-Z0-9:/_-]+$',
} as const satisfies Member;
const KEY_ID = { kind: 'string', required: true, min: 1, max: 2048 } as const satisfies Member;
const LIMIT = { kind: 'integer', minValue: 1, maxValue: 1000 } as const satisfies Member;
const MARKER = { kind: 'string', min: 1, max: 1024, pattern: '^[\\u0020-\\u00FF]*$' } as const satisfies Member;

const ENCRYPTION_CONTEXT = { kind: 'stringMap' } as const satisfies Member;
/** 0–10 tokens of 1–8192 characters; the controller then refuses any aliastrail did not issue. */
const GRANT_TOKENS = {
  kind: 'stringList',
  max: 10,
  member: { kind: 'string', min: 1, max: 8192, sensitive: true },
} as const satisfies Member;
const ENCRYPTION_ALGORITHM = {
  kind: 'string',
  enum: ['SYMMETRIC_DEFAULT', 'RSAES_OAEP_SHA_1', 'RSAES_OAEP_SHA_256', 'SM2PKE'],
} as const satisfies Member;

/**
 * Decrypt and ReEncrypt: IGNORE_CIPHERTEXT makes a DryRun skip the ciphertext
 * (docs/kms-behaviour.md#dryrun).
 */
/**
 * Optional in the model; the service requires it unless a DryRun ignores it
 * (docs/kms-behaviour.md#cryptographic-operations, #dryrun).
 */
const CIPHERTEXT_BLOB = {
  kind: 'blob',
  required: (input) => !ignoresCiphertext(input),
  min: 1,
  max: 6144,
} as const satisfies Member;
const DRY_RUN_MODIFIERS = {
  kind: 'stringList',
  member: { kind: 'string', enum: ['IGNORE_CIPHERTEXT'] },
} as const satisfies Member;

const TAGS = {
  kind: 'structureList',
  member: {
    TagKey: { kind: 'string', required: true, min: 1, max: 128 },
    TagValue: { kind: 'string', required: true, min: 0, max: 256 },
  },
} as const satisfies Member;
/** The model's PolicyType: printable Latin-1 and tab, newline, return. */
const POLICY = {
  kind: 'string',
  min: 1,
  max: 131072,
  pattern: '^[\\u0009\\u000A\\u000D\\u0020-\\u00FF]+$',
} as const satisfies Member;
const POLICY_NAME = { kind: 'string', min: 1, max: 128, pattern: '^[\\w]+$' } as const satisfies Member;

const DATA_KEY = {
  KeyId: KEY_ID,
  EncryptionContext: ENCRYPTION_CONTEXT,
  NumberOfBytes: { kind: 'integer', minValue: 1, maxValue: 1024 },
  KeySpec: { kind: 'string', enum: ['AES_256', 'AES_128'] },
  GrantTokens: GRANT_TOKENS,
  DryRun: { kind: 'boolean' },
} as const satisfies Shape;

const DATA_KEY_PAIR = {
  KeyId: KEY_ID,
  KeyPairSpec: {
    kind: 'string',
    required: true,
    enum: [
      'RSA_2048',
      'RSA_3072',
      'RSA_4096',
      'ECC_NIST_P256',
      'ECC_NIST_P384',
      'ECC_NIST_P521',
      'ECC_SECG_P256K1',
      'SM2',
      'ECC_NIST_EDWARDS25519',
    ],
  },
  EncryptionContext: ENCRYPTION_CONTEXT,
  GrantTokens: GRANT_TOKENS,
  DryRun: { kind: 'boolean' },
} as const satisfies Shape;
const MESSAGE = { kind: 'blob', required: true, min: 1, max: 4096 } as const satisfies Member;
const SIGNING = {
  KeyId: KEY_ID,
  Message: MESSAGE,
  MessageType: { kind: 'string', enum: ['RAW', 'DIGEST', 'EXTERNAL_MU'] },
  SigningAlgorithm: {
    kind: 'string',
    required: true,
    enum: [
      'RSASSA_PSS_SHA_256',
      'RSASSA_PSS_SHA_384',
      'RSASSA_PSS_SHA_512',
      'RSASSA_PKCS1_V1_5_SHA_256',
      'RSASSA_PKCS1_V1_5_SHA_384',
      'RSASSA_PKCS1_V1_5_SHA_512',
      'ECDSA_SHA_256',
      'ECDSA_SHA_384',
      'ECDSA_SHA_512',
      'SM2DSA',
      'ML_DSA_SHAKE_256',
      'ED25519_SHA_512',
      'ED25519_PH_SHA_512',
    ],
  },
  GrantTokens: GRANT_TOKENS,
  DryRun: { kind: 'boolean' },
} as const satisfies Shape;
const MAC = {
  KeyId: KEY_ID,
  Message: MESSAGE,
  // In the order AWS lists them in its enum message, as real answers show it.
  MacAlgorithm: {
    kind: 'string',
    required: true,
    enum: ['HMAC_SHA_384', 'HMAC_SHA_256', 'HMAC_SHA_224', 'HMAC_SHA_512'],
  },
  GrantTokens: GRANT_TOKENS,
  DryRun: { kind: 'boolean' },
} as const satisfies Shape;
// Grants (docs/kms-behaviour.md#grants).
const PRINCIPAL = { kind: 'string', min: 1, max: 256, pattern: '^[\\w+=,.@:/-]+$' } as const satisfies Member;
const GRANT_ID = { kind: 'string', min: 1, max: 128 } as const satisfies Member;
const GRANT_LIMIT = { Limit: LIMIT, Marker: MARKER } as const satisfies Shape;
const GRANT_OPERATIONS = {
  CreateGrant: {
    KeyId: KEY_ID,
    GranteePrincipal: { ...PRINCIPAL, required: true as const },
    RetiringPrincipal: PRINCIPAL,
    Operations: {
      kind: 'stringList',
      required: true,
      min: 1,
      member: { kind: 'string', enum: GRANT_OPERATION_NAMES },
    },
    Constraints: {
      kind: 'structure',
      member: { EncryptionContextSubset: ENCRYPTION_CONTEXT, EncryptionContextEquals: ENCRYPTION_CONTEXT },
    },
    GrantTokens: GRANT_TOKENS,
    Name: { kind: 'string', min: 1, max: 256, pattern: '^[a-zA-Z0-9:/_-]+$' },
    DryRun: { kind: 'boolean' },
  },
  ListGrants: {
    KeyId: KEY_ID,
    ...GRANT_LIMIT,
    GrantId: GRANT_ID,
    GranteePrincipal: PRINCIPAL,
  },
  ListRetirableGrants: { RetiringPrincipal: { ...PRINCIPAL, required: true as const }, ...GRANT_LIMIT },
  RetireGrant: {
    GrantToken: { kind: 'string', min: 1, max: 8192, sensitive: true },
    KeyId: { ...KEY_ID, required: false as const },
    GrantId: GRANT_ID,
    DryRun: { kind: 'boolean' },
  },
  RevokeGrant: { KeyId: KEY_ID, GrantId: { ...GRANT_ID, required: true as const }, DryRun: { kind: 'boolean' } },
} as const satisfies Record<string, Shape>;

/**
 * The KMS operations served, with their input shapes from the service model
 * (docs/kms-behaviour.md#aliases, #cryptographic-operations).
 */
export const OPERATIONS = {
  CreateAlias: { AliasName: ALIAS_NAME, TargetKeyId: KEY_ID },
  UpdateAlias: { AliasName: ALIAS_NAME, TargetKeyId: KEY_ID },
  DeleteAlias: { AliasName: ALIAS_NAME },
  ListAliases: { KeyId: { ...KEY_ID, required: false as const }, Limit: LIMIT, Marker: MARKER },
  CreateKey: {
    Policy: { kind: 'string', min: 1, max: 131072 },
    Description: { kind: 'string', min: 0, max: 8192 },
    KeyUsage: { kind: 'string', enum: KEY_USAGES },
    CustomerMasterKeySpec: {
      kind: 'string',
      enum: KEY_SPECS.filter((spec) => !spec.startsWith('ML_DSA') && spec !== 'ECC_NIST_EDWARDS25519'),
    },
    KeySpec: { kind: 'string', enum: KEY_SPECS },
    Origin: { kind: 'string', enum: ORIGINS },
    CustomKeyStoreId: { kind: 'string', min: 1, max: 64 },
    BypassPolicyLockoutSafetyCheck: { kind: 'boolean' },
    Tags: TAGS,
    MultiRegion: { kind: 'boolean' },
    XksKeyId: { kind: 'string', min: 1, max: 128 },
  },
  DescribeKey: { KeyId: KEY_ID, GrantTokens: GRANT_TOKENS },
  ListKeys: { Limit: LIMIT, Marker: MARKER },
  ScheduleKeyDeletion: { KeyId: KEY_ID, PendingWindowInDays: { kind: 'integer', minValue: 1, maxValue: 365 } },
  CancelKeyDeletion: { KeyId: KEY_ID },
  EnableKey: { KeyId: KEY_ID },
  DisableKey: { KeyId: KEY_ID },
  Encrypt: {
    KeyId: KEY_ID,
    Plaintext: { kind: 'blob', required: true, min: 1, max: 4096 },
    EncryptionContext: ENCRYPTION_CONTEXT,
    GrantTokens: GRANT_TOKENS,
    EncryptionAlgorithm: ENCRYPTION_ALGORITHM,
    DryRun: { kind: 'boolean' },
  },
  GenerateDataKey: DATA_KEY,
  GenerateDataKeyWithoutPlaintext: DATA_KEY,
  Decrypt: {
    CiphertextBlob: CIPHERTEXT_BLOB,
    EncryptionContext: ENCRYPTION_CONTEXT,
    GrantTokens: GRANT_TOKENS,
    KeyId: { ...KEY_ID, required: false as const },
    EncryptionAlgorithm: ENCRYPTION_ALGORITHM,
    DryRun: { kind: 'boolean' },
    DryRunModifiers: DRY_RUN_MODIFIERS,
  },
  // Asymmetric, HMAC and key-less crypto (docs/kms-behaviour.md#cryptographic-operations).
  ReEncrypt: {
    CiphertextBlob: CIPHERTEXT_BLOB,
    SourceEncryptionContext: ENCRYPTION_CONTEXT,
    SourceKeyId: { ...KEY_ID, required: false as const },
    DestinationKeyId: KEY_ID,
    DestinationEncryptionContext: ENCRYPTION_CONTEXT,
    SourceEncryptionAlgorithm: ENCRYPTION_ALGORITHM,
    DestinationEncryptionAlgorithm: ENCRYPTION_ALGORITHM,
    GrantTokens: GRANT_TOKENS,
    DryRun: { kind: 'boolean' },
    DryRunModifiers: DRY_RUN_MODIFIERS,
  },
  GenerateDataKeyPair: DATA_KEY_PAIR,
  GenerateDataKeyPairWithoutPlaintext: DATA_KEY_PAIR,
  GenerateRandom: {
    NumberOfBytes: { kind: 'integer', minValue: 1, maxValue: 1024 },
    CustomKeyStoreId: { kind: 'string', min: 1, max: 64 },
  },
  GetPublicKey: { KeyId: KEY_ID, GrantTokens: GRANT_TOKENS },
  Sign: SIGNING,
  Verify: { ...SIGNING, Signature: { kind: 'blob', required: true, min: 1, max: 6144 } },
  GenerateMac: MAC,
  VerifyMac: { ...MAC, Mac: { kind: 'blob', required: true, min: 1, max: 6144 } },
  ...GRANT_OPERATIONS,
  // Key metadata and rotation (docs/kms-behaviour.md#rotation, #tags-description-and-key-policy): key
  // id or key ARN only.
  UpdateKeyDescription: { KeyId: KEY_ID, Description: { kind: 'string', required: true, min: 0, max: 8192 } },
  TagResource: { KeyId: KEY_ID, Tags: { ...TAGS, required: true } },
  UntagResource: { KeyId: KEY_ID, TagKeys: { kind: 'stringList', required: true } },
  ListResourceTags: { KeyId: KEY_ID, Limit: { kind: 'integer', minValue: 1, maxValue: 50 }, Marker: MARKER },
  GetKeyPolicy: { KeyId: KEY_ID, PolicyName: POLICY_NAME },
  PutKeyPolicy: {
    KeyId: KEY_ID,
    PolicyName: POLICY_NAME,
    Policy: { ...POLICY, required: true },
    BypassPolicyLockoutSafetyCheck: { kind: 'boolean' },
  },
  ListKeyPolicies: { KeyId: KEY_ID, Limit: LIMIT, Marker: MARKER },
  EnableKeyRotation: { KeyId: KEY_ID, RotationPeriodInDays: { kind: 'integer', minValue: 90, maxValue: 2560 } },
  DisableKeyRotation: { KeyId: KEY_ID },
  GetKeyRotationStatus: { KeyId: KEY_ID },
  RotateKeyOnDemand: { KeyId: KEY_ID },
  ListKeyRotations: {
    KeyId: KEY_ID,
    Limit: LIMIT,
    Marker: MARKER,
    IncludeKeyMaterial: { kind: 'string', enum: ['ALL_KEY_MATERIAL', 'ROTATIONS_ONLY'] },
  },
} satisfies Record<string, Shape>;

export type OperationName = keyof typeof OPERATIONS;

export const isOperation = (name: string): name is OperationName => Object.hasOwn(OPERATIONS, name);
