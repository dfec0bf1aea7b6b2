import { authorizeKms } from '../../authz/authorize';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { decideCreateAlias } from '../domain/alias.decider';
import { createAliasResources } from '../domain/alias-resources';
import { parseTarget, targetKeyIds } from '../domain/alias-target';
import { checkAliasName } from '../domain/alias-name';
import { aliasAndKeyTags } from '../domain/kms-events';
import type { KmsRequest } from '../kms-request';
import { KmsWriter } from '../store/kms-writer';
import type { KmsAnswer } from './kms-answer';

/** The input of CreateAlias and UpdateAlias. */
export interface AliasTargetInput {
  readonly AliasName: string;
  readonly TargetKeyId: string;
}

export class CreateAliasCommand extends Command<KmsAnswer> {
  constructor(
    readonly request: KmsRequest,
    readonly input: AliasTargetInput,
  ) {
    super();
  }
}

@CommandHandler(CreateAliasCommand)
export class CreateAliasHandler implements ICommandHandler<CreateAliasCommand> {
  constructor(private readonly writer: KmsWriter) {}

  async execute({ request, input }: CreateAliasCommand): Promise<KmsAnswer> {
    const aliasName = input.AliasName;
    checkAliasName(aliasName);
    const target = parseTarget(input.TargetKeyId, request.scope);
    // IAM first (AWS checks the caller's policies before the request's effect): the alias and the key.
    authorizeKms(request.principal, 'kms:CreateAlias', createAliasResources(request.scope, aliasName, target));
    const tags = aliasAndKeyTags(request.scope, aliasName, targetKeyIds(target));
    const { position } = await this.writer.run(request, tags, (state) =>
      decideCreateAlias({ aliasName, target }, state, request.scope),
    );
    return { position };
  }
}
