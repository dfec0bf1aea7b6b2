import { authorizeKms } from '../../authz/authorize';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { decideUpdateAlias } from '../domain/alias.decider';
import { updateAliasResources } from '../domain/alias-resources';
import { parseTarget, targetKeyIds } from '../domain/alias-target';
import { checkAliasName } from '../domain/alias-name';
import type { KmsRequest } from '../kms-request';
import { KmsWriter } from '../store/kms-writer';
import type { AliasTargetInput } from './create-alias.handler';
import type { KmsAnswer } from './kms-answer';

export class UpdateAliasCommand extends Command<KmsAnswer> {
  constructor(
    readonly request: KmsRequest,
    readonly input: AliasTargetInput,
  ) {
    super();
  }
}

/** Locks the alias, the key it points to now and the new key. */
@CommandHandler(UpdateAliasCommand)
export class UpdateAliasHandler implements ICommandHandler<UpdateAliasCommand> {
  constructor(private readonly writer: KmsWriter) {}

  async execute({ request, input }: UpdateAliasCommand): Promise<KmsAnswer> {
    const aliasName = input.AliasName;
    checkAliasName(aliasName);
    const target = parseTarget(input.TargetKeyId, request.scope);
    const { position } = await this.writer.runOnAlias(request, aliasName, targetKeyIds(target), (state) => {
      authorizeKms(request.principal, 'kms:UpdateAlias', updateAliasResources(request.scope, aliasName, state, target));
      return decideUpdateAlias({ aliasName, target }, state, request.scope);
    });
    return { position };
  }
}
