import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { decideDeleteAlias } from '../kms/alias.decider';
import { checkAliasName } from '../kms/alias-name';
import { aliasTag, keyTag } from '../kms/kms-events';
import type { KmsRequest } from '../kms-api/kms-request';
import type { KmsState } from '../kms/kms-state';
import { AliasTargetHints } from '../kms-store/alias-target-hints';
import { KmsReader } from '../kms-store/kms-reader';
import { KmsWriter } from '../kms-store/kms-writer';

export class DeleteAliasCommand extends Command<undefined> {
  constructor(readonly request: KmsRequest) {
    super();
  }
}

/** Locks the alias and the key it points to now. */
@CommandHandler(DeleteAliasCommand)
export class DeleteAliasHandler implements ICommandHandler<DeleteAliasCommand> {
  constructor(
    private readonly writer: KmsWriter,
    private readonly reader: KmsReader,
    private readonly hints: AliasTargetHints,
  ) {}

  async execute({ request }: DeleteAliasCommand): Promise<undefined> {
    const { accountId, region } = request.scope;
    const aliasName = request.params.AliasName as string;
    checkAliasName(aliasName);
    const aliasKey = aliasTag(accountId, region, aliasName);
    const tags = (keyId: string | undefined) => (keyId ? [aliasKey, keyTag(accountId, region, keyId)] : [aliasKey]);
    const current =
      this.hints.keyOf(request.scope, aliasName) ?? (await this.reader.alias(request.scope, aliasName))?.key_id;
    await this.writer.runDiscovering(
      request,
      tags(current),
      (state: KmsState) => tags(state.aliases.get(aliasName)?.keyId),
      (state) => decideDeleteAlias({ aliasName }, state, request.scope),
    );
    return undefined;
  }
}
