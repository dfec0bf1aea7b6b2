import { authorizeKms } from '../../authz/authorize';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { decideDeleteAlias } from '../domain/alias.decider';
import { deleteAliasResources } from '../domain/alias-resources';
import { checkAliasName } from '../domain/alias-name';
import type { KmsRequest } from '../kms-request';
import { KmsWriter } from '../store/kms-writer';
import type { KmsAnswer } from './kms-answer';

export interface DeleteAliasInput {
  readonly AliasName: string;
}

export class DeleteAliasCommand extends Command<KmsAnswer> {
  constructor(
    readonly request: KmsRequest,
    readonly input: DeleteAliasInput,
  ) {
    super();
  }
}

/** Locks the alias and the key it points to now. */
@CommandHandler(DeleteAliasCommand)
export class DeleteAliasHandler implements ICommandHandler<DeleteAliasCommand> {
  constructor(private readonly writer: KmsWriter) {}

  async execute({ request, input }: DeleteAliasCommand): Promise<KmsAnswer> {
    const aliasName = input.AliasName;
    checkAliasName(aliasName);
    const { position } = await this.writer.runOnAlias(request, aliasName, [], (state) => {
      authorizeKms(request.principal, 'kms:DeleteAlias', deleteAliasResources(request.scope, aliasName, state));
      return decideDeleteAlias({ aliasName }, state, request.scope);
    });
    return { position };
  }
}
