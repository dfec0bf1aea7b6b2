import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { decideUpdateAlias } from '../kms/alias.decider';
import { checkAliasName } from '../kms/alias-name';
import { aliasTag, keyTag } from '../kms/kms-events';
import type { KmsRequest } from '../kms-api/kms-request';
import type { KmsState } from '../kms/kms-state';
import { KmsWriter } from '../kms-store/kms-writer';
import { parseTarget } from './create-alias.handler';

export class UpdateAliasCommand extends Command<undefined> {
  constructor(readonly request: KmsRequest) {
    super();
  }
}

/** Locks the alias, the key it points to now and the new key. */
@CommandHandler(UpdateAliasCommand)
export class UpdateAliasHandler implements ICommandHandler<UpdateAliasCommand> {
  constructor(private readonly writer: KmsWriter) {}

  async execute({ request }: UpdateAliasCommand): Promise<undefined> {
    const { accountId, region } = request.scope;
    const aliasName = request.params.AliasName as string;
    checkAliasName(aliasName);
    const target = parseTarget(request.params.TargetKeyId as string, request);
    const aliasKey = aliasTag(accountId, region, aliasName);
    const keys = (state: KmsState) =>
      [state.aliases.get(aliasName)?.keyId, 'keyId' in target ? target.keyId : undefined]
        .filter((id): id is string => id !== undefined)
        .map((id) => keyTag(accountId, region, id));
    await this.writer.runDiscovering(
      request,
      [aliasKey],
      (state) => [aliasKey, ...keys(state)],
      (state) => decideUpdateAlias({ aliasName, target }, state, request.scope),
    );
    return undefined;
  }
}
