import { authorizeKms } from '../../authz/authorize';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { IdGenerator } from '../../clock/id-generator';
import { generateDerKeyPair, isKeyPairSpec } from '../crypto/key-pairs';
import { checkKeySpecServed } from '../domain/asymmetric-checks';
import { decideCreateKey } from '../domain/key.decider';
import { policyDocument } from '../domain/key-policy';
import { type KeySpec, type KeyUsage, type Origin, resolveKeyUsage } from '../domain/key-spec';
import type { Tag } from '../domain/kms-events';
import { keyTag } from '../domain/kms-events';
import { KmsError } from '../domain/kms-error';
import type { KmsRequest } from '../kms-request';
import { keyMetadata } from './wire-format';
import { KmsReader } from '../store/kms-reader';
import { KmsWriter } from '../store/kms-writer';
import type { KmsAnswer } from './kms-answer';

/** The members of CreateKey that aliastrail acts on; the others are only recorded. */
export interface CreateKeyInput {
  readonly KeySpec?: KeySpec;
  readonly CustomerMasterKeySpec?: KeySpec;
  readonly KeyUsage?: KeyUsage;
  readonly Origin?: Origin;
  readonly Description?: string;
  readonly Tags?: readonly Tag[];
  readonly MultiRegion?: boolean;
  readonly Policy?: string;
}

export class CreateKeyCommand extends Command<KmsAnswer> {
  constructor(
    readonly request: KmsRequest,
    readonly input: CreateKeyInput,
  ) {
    super();
  }
}

@CommandHandler(CreateKeyCommand)
export class CreateKeyHandler implements ICommandHandler<CreateKeyCommand> {
  constructor(
    private readonly writer: KmsWriter,
    private readonly reader: KmsReader,
    private readonly ids: IdGenerator,
  ) {}

  async execute({ request, input }: CreateKeyCommand): Promise<KmsAnswer> {
    const { scope } = request;
    authorizeKms(request.principal, 'kms:CreateKey', ['*']);
    if (input.MultiRegion === true)
      throw new KmsError('UnsupportedOperationException', 'Multi-Region keys are not supported by aliastrail.');
    const keyId = this.ids.uuid();
    const command = {
      keyId,
      keySpec: input.KeySpec ?? input.CustomerMasterKeySpec ?? 'SYMMETRIC_DEFAULT',
      keyUsage: input.KeyUsage,
      origin: input.Origin ?? 'AWS_KMS',
      description: input.Description ?? '',
      tags: input.Tags ?? [],
      // Checked and pretty-printed as PutKeyPolicy's
      // (docs/kms-behaviour.md#tags-description-and-key-policy); none: the default policy.
      ...(input.Policy === undefined ? {} : { policy: policyDocument(input.Policy) }),
    };
    // The spec/usage pair first, as the decider checks it: no key pair is made for a refused call.
    resolveKeyUsage(command.keySpec, command.keyUsage);
    checkKeySpecServed(command.keySpec);
    // Made before the unit, which may run again: an RSA-4096 pair takes about a second.
    const pair =
      isKeyPairSpec(command.keySpec) && command.origin === 'AWS_KMS'
        ? await generateDerKeyPair(command.keySpec)
        : undefined;
    const pregenerated = pair && new Map([[keyId, pair.privateKey]]);
    try {
      const { position } = await this.writer.run(
        request,
        [keyTag(scope.accountId, scope.region, keyId)],
        () => decideCreateKey(command, scope),
        pregenerated,
      );
      return { output: { KeyMetadata: keyMetadata(scope, (await this.reader.key(scope, keyId))!) }, position };
    } finally {
      pair?.privateKey.fill(0);
    }
  }
}
