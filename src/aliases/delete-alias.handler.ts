import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { decideDeleteAlias } from '../kms/alias.decider';
import { checkAliasName } from '../kms/alias-name';
import { aliasTag, keyTag } from '../kms/kms-events';
import type { KmsRequest } from '../kms-api/kms-request';
import { KmsWriter, StaleRead } from '../kms-store/kms-writer';

export class DeleteAliasCommand extends Command<undefined> {
  constructor(readonly request: KmsRequest) {
    super();
  }
}

/** Locks the alias and the key it points to (learned first without locks; retried if it moved). */
@CommandHandler(DeleteAliasCommand)
export class DeleteAliasHandler implements ICommandHandler<DeleteAliasCommand> {
  constructor(private readonly writer: KmsWriter) {}

  async execute({ request }: DeleteAliasCommand): Promise<undefined> {
    const { accountId, region } = request.scope;
    const aliasName = request.params.AliasName as string;
    checkAliasName(aliasName);
    const aliasKey = aliasTag(accountId, region, aliasName);
    for (let attempt = 0; ; attempt++) {
      const current = (await this.writer.peek([aliasKey])).aliases.get(aliasName)?.keyId;
      const tags = current ? [aliasKey, keyTag(accountId, region, current)] : [aliasKey];
      try {
        await this.writer.run(request, tags, (state) => {
          if (state.aliases.get(aliasName)?.keyId !== current) throw new StaleRead();
          return decideDeleteAlias({ aliasName }, state, request.scope);
        });
        return undefined;
      } catch (error) {
        if (!(error instanceof StaleRead) || attempt >= 5) throw error;
      }
    }
  }
}
