import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { decideDeleteAlias } from '../kms/alias.decider';
import { checkAliasName } from '../kms/alias-name';
import type { KmsRequest } from '../kms-api/kms-request';
import { KmsWriter } from '../kms-store/kms-writer';

export class DeleteAliasCommand extends Command<undefined> {
  constructor(readonly request: KmsRequest) {
    super();
  }
}

/** Locks the alias and the key it points to now. */
@CommandHandler(DeleteAliasCommand)
export class DeleteAliasHandler implements ICommandHandler<DeleteAliasCommand> {
  constructor(private readonly writer: KmsWriter) {}

  async execute({ request }: DeleteAliasCommand): Promise<undefined> {
    const aliasName = request.params.AliasName as string;
    checkAliasName(aliasName);
    await this.writer.runOnAlias(request, aliasName, [], (state) =>
      decideDeleteAlias({ aliasName }, state, request.scope),
    );
    return undefined;
  }
}
