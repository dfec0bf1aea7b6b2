import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { decideUpdateAlias } from '../kms/alias.decider';
import { checkAliasName } from '../kms/alias-name';
import { aliasTag, keyTag } from '../kms/kms-events';
import type { KmsRequest } from '../kms-api/kms-request';
import { KmsWriter, StaleRead } from '../kms-store/kms-writer';
import { parseTarget } from './create-alias.handler';

export class UpdateAliasCommand extends Command<undefined> {
  constructor(readonly request: KmsRequest) {
    super();
  }
}

/**
 * Locks the alias, its current key and the new key. The current key is learned from a read
 * without locks first; if the alias moved meanwhile, the unit starts over.
 */
@CommandHandler(UpdateAliasCommand)
export class UpdateAliasHandler implements ICommandHandler<UpdateAliasCommand> {
  constructor(private readonly writer: KmsWriter) {}

  async execute({ request }: UpdateAliasCommand): Promise<undefined> {
    const { accountId, region } = request.scope;
    const aliasName = request.params.AliasName as string;
    checkAliasName(aliasName);
    const target = parseTarget(request.params.TargetKeyId as string, request);
    const aliasKey = aliasTag(accountId, region, aliasName);
    for (let attempt = 0; ; attempt++) {
      const current = (await this.writer.peek([aliasKey])).aliases.get(aliasName)?.keyId;
      const tags = [
        aliasKey,
        ...[current, 'keyId' in target ? target.keyId : undefined]
          .filter((id): id is string => !!id)
          .map((id) => keyTag(accountId, region, id)),
      ];
      try {
        await this.writer.run(request, tags, (state) => {
          if (state.aliases.get(aliasName)?.keyId !== current) throw new StaleRead();
          return decideUpdateAlias({ aliasName, target }, state, request.scope);
        });
        return undefined;
      } catch (error) {
        if (!(error instanceof StaleRead) || attempt >= 5) throw error;
      }
    }
  }
}
