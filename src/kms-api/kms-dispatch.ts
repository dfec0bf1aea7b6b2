import type { Command, Query } from '@nestjs/cqrs';
import type { KmsRequest } from '../kms/kms-request';
import type { KmsAnswer } from '../kms/operations/kms-answer';
import { CancelKeyDeletionCommand } from '../kms/operations/cancel-key-deletion.handler';
import { CreateAliasCommand } from '../kms/operations/create-alias.handler';
import { CreateKeyCommand } from '../kms/operations/create-key.handler';
import { DecryptQuery } from '../kms/operations/decrypt.handler';
import { DeleteAliasCommand } from '../kms/operations/delete-alias.handler';
import { DescribeKeyQuery } from '../kms/operations/describe-key.handler';
import { DisableKeyCommand } from '../kms/operations/disable-key.handler';
import { EnableKeyCommand } from '../kms/operations/enable-key.handler';
import { EncryptQuery } from '../kms/operations/encrypt.handler';
import { GenerateDataKeyQuery } from '../kms/operations/generate-data-key.handler';
import { GenerateDataKeyPairQuery } from '../kms/operations/generate-data-key-pair.handler';
import { GenerateRandomQuery } from '../kms/operations/generate-random.handler';
import { GetPublicKeyQuery } from '../kms/operations/get-public-key.handler';
import { MacQuery } from '../kms/operations/generate-mac.handler';
import { ReEncryptQuery } from '../kms/operations/re-encrypt.handler';
import { SignQuery } from '../kms/operations/sign.handler';
import { VerifyQuery } from '../kms/operations/verify.handler';
import { ListAliasesQuery } from '../kms/operations/list-aliases.handler';
import { ListKeysQuery } from '../kms/operations/list-keys.handler';
import { ScheduleKeyDeletionCommand } from '../kms/operations/schedule-key-deletion.handler';
import { UpdateAliasCommand } from '../kms/operations/update-alias.handler';
import { CreateGrantCommand } from '../kms/operations/create-grant.handler';
import { ListGrantsQuery } from '../kms/operations/list-grants.handler';
import { ListRetirableGrantsQuery } from '../kms/operations/list-retirable-grants.handler';
import { RetireGrantCommand } from '../kms/operations/retire-grant.handler';
import { RevokeGrantCommand } from '../kms/operations/revoke-grant.handler';
import { DisableKeyRotationCommand } from '../kms/operations/disable-key-rotation.handler';
import { EnableKeyRotationCommand } from '../kms/operations/enable-key-rotation.handler';
import { GetKeyPolicyQuery } from '../kms/operations/get-key-policy.handler';
import { GetKeyRotationStatusQuery } from '../kms/operations/get-key-rotation-status.handler';
import { ListKeyPoliciesQuery } from '../kms/operations/list-key-policies.handler';
import { ListKeyRotationsQuery } from '../kms/operations/list-key-rotations.handler';
import { ListResourceTagsQuery } from '../kms/operations/list-resource-tags.handler';
import { PutKeyPolicyCommand } from '../kms/operations/put-key-policy.handler';
import { RotateKeyOnDemandCommand } from '../kms/operations/rotate-key-on-demand.handler';
import { TagResourceCommand } from '../kms/operations/tag-resource.handler';
import { UntagResourceCommand } from '../kms/operations/untag-resource.handler';
import { UpdateKeyDescriptionCommand } from '../kms/operations/update-key-description.handler';
import type { InputOf } from './coral-validation';
import type { OPERATIONS, OperationName } from './operations';

export type Dispatched = { command: Command<KmsAnswer> } | { query: Query<KmsAnswer> };

/**
 * Which command or query each operation becomes, built from its validated input: the input's type
 * follows from the operation's shape, so each command gets its members typed, without casts.
 */
const DISPATCH: { [O in OperationName]: (request: KmsRequest, input: InputOf<(typeof OPERATIONS)[O]>) => Dispatched } =
  {
    CreateAlias: (r, input) => ({ command: new CreateAliasCommand(r, input) }),
    UpdateAlias: (r, input) => ({ command: new UpdateAliasCommand(r, input) }),
    DeleteAlias: (r, input) => ({ command: new DeleteAliasCommand(r, input) }),
    ListAliases: (r, input) => ({ query: new ListAliasesQuery(r, input) }),
    CreateKey: (r, input) => ({ command: new CreateKeyCommand(r, input) }),
    DescribeKey: (r, input) => ({ query: new DescribeKeyQuery(r, input) }),
    ListKeys: (r, input) => ({ query: new ListKeysQuery(r, input) }),
    ScheduleKeyDeletion: (r, input) => ({ command: new ScheduleKeyDeletionCommand(r, input) }),
    CancelKeyDeletion: (r, input) => ({ command: new CancelKeyDeletionCommand(r, input) }),
    EnableKey: (r, input) => ({ command: new EnableKeyCommand(r, input) }),
    DisableKey: (r, input) => ({ command: new DisableKeyCommand(r, input) }),
    Encrypt: (r, input) => ({ query: new EncryptQuery(r, input) }),
    Decrypt: (r, input) => ({ query: new DecryptQuery(r, input) }),
    GenerateDataKey: (r, input) => ({ query: new GenerateDataKeyQuery(r, input) }),
    GenerateDataKeyWithoutPlaintext: (r, input) => ({ query: new GenerateDataKeyQuery(r, input, true) }),
    ReEncrypt: (r, input) => ({ query: new ReEncryptQuery(r, input) }),
    GenerateDataKeyPair: (r, input) => ({ query: new GenerateDataKeyPairQuery(r, input) }),
    GenerateDataKeyPairWithoutPlaintext: (r, input) => ({ query: new GenerateDataKeyPairQuery(r, input, true) }),
    GenerateRandom: (r, input) => ({ query: new GenerateRandomQuery(r, input) }),
    GetPublicKey: (r, input) => ({ query: new GetPublicKeyQuery(r, input) }),
    Sign: (r, input) => ({ query: new SignQuery(r, input) }),
    Verify: (r, input) => ({ query: new VerifyQuery(r, input) }),
    GenerateMac: (r, input) => ({ query: new MacQuery(r, input) }),
    VerifyMac: (r, input) => ({ query: new MacQuery(r, input) }),
    CreateGrant: (r, input) => ({ command: new CreateGrantCommand(r, input) }),
    ListGrants: (r, input) => ({ query: new ListGrantsQuery(r, input) }),
    ListRetirableGrants: (r, input) => ({ query: new ListRetirableGrantsQuery(r, input) }),
    RetireGrant: (r, input) => ({ command: new RetireGrantCommand(r, input) }),
    RevokeGrant: (r, input) => ({ command: new RevokeGrantCommand(r, input) }),
    // Key metadata and rotation.
    UpdateKeyDescription: (r, input) => ({ command: new UpdateKeyDescriptionCommand(r, input) }),
    TagResource: (r, input) => ({ command: new TagResourceCommand(r, input) }),
    UntagResource: (r, input) => ({ command: new UntagResourceCommand(r, input) }),
    ListResourceTags: (r, input) => ({ query: new ListResourceTagsQuery(r, input) }),
    GetKeyPolicy: (r, input) => ({ query: new GetKeyPolicyQuery(r, input) }),
    PutKeyPolicy: (r, input) => ({ command: new PutKeyPolicyCommand(r, input) }),
    ListKeyPolicies: (r, input) => ({ query: new ListKeyPoliciesQuery(r, input) }),
    EnableKeyRotation: (r, input) => ({ command: new EnableKeyRotationCommand(r, input) }),
    DisableKeyRotation: (r, input) => ({ command: new DisableKeyRotationCommand(r, input) }),
    GetKeyRotationStatus: (r, input) => ({ query: new GetKeyRotationStatusQuery(r, input) }),
    RotateKeyOnDemand: (r, input) => ({ command: new RotateKeyOnDemandCommand(r, input) }),
    ListKeyRotations: (r, input) => ({ query: new ListKeyRotationsQuery(r, input) }),
  };

export function dispatch<O extends OperationName>(
  operation: O,
  request: KmsRequest,
  input: InputOf<(typeof OPERATIONS)[O]>,
): Dispatched {
  return DISPATCH[operation](request, input);
}
