import { authorizeKms } from '../../authz/authorize';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { IdGenerator } from '../../clock/id-generator';
import { decideCreateKey } from '../key.decider';
import type { KeySpec, KeyUsage, Origin } from '../key-spec';
import type { Tag } from '../kms-events';
import { keyTag } from '../kms-events';
import { KmsError } from '../kms-error';
import type { KmsRequest } from '../kms-request';
import { keyMetadata } from './wire-format';
import { KmsReader } from '../store/kms-reader';
import { KmsWriter } from '../store/kms-writer';

export class CreateKeyCommand extends Command<Record<string, unknown>> {
  constructor(readonly request: KmsRequest) {
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

  async execute({ request }: CreateKeyCommand): Promise<Record<string, unknown>> {
    const { params, scope } = request;
    authorizeKms(request.principal, 'kms:CreateKey', ['*']);
    if (params.MultiRegion === true)
      throw new KmsError('UnsupportedOperationException', 'Multi-Region keys are not supported by aliastrail.');
    const keyId = this.ids.uuid();
    const command = {
      keyId,
      keySpec: (params.KeySpec ?? params.CustomerMasterKeySpec ?? 'SYMMETRIC_DEFAULT') as KeySpec,
      keyUsage: params.KeyUsage as KeyUsage | undefined,
      origin: (params.Origin ?? 'AWS_KMS') as Origin,
      description: (params.Description as string | undefined) ?? '',
      tags: (params.Tags as Tag[] | undefined) ?? [],
    };
    await this.writer.run(request, [keyTag(scope.accountId, scope.region, keyId)], () =>
      decideCreateKey(command, scope),
    );
    return { KeyMetadata: keyMetadata(scope, (await this.reader.key(scope, keyId))!) };
  }
}
