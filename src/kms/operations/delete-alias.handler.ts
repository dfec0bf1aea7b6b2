import { authorizeKms } from '../../authz/authorize';
import { aliasArn, keyArn } from '../domain/identifiers';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { decideDeleteAlias } from '../domain/alias.decider';
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
      // The alias and the key it points to (read under the locks).
      const current = state.aliases.get(aliasName)?.keyId;
      authorizeKms(request.principal, 'kms:DeleteAlias', [
        aliasArn(request.scope, aliasName),
        ...(current === undefined ? [] : [keyArn(request.scope, current)]),
      ]);
      return decideDeleteAlias({ aliasName }, state, request.scope);
    });
    return { position };
  }
}
