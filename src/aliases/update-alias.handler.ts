import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { decideUpdateAlias } from '../kms/alias.decider';
import { checkAliasName } from '../kms/alias-name';
import { aliasTag, keyTag } from '../kms/kms-events';
import type { KmsRequest } from '../kms-api/kms-request';
import type { KmsState } from '../kms/kms-state';
import { AliasTargetHints } from '../kms-store/alias-target-hints';
import { KmsReader } from '../kms-store/kms-reader';
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
  constructor(
    private readonly writer: KmsWriter,
    private readonly reader: KmsReader,
    private readonly hints: AliasTargetHints,
  ) {}

  async execute({ request }: UpdateAliasCommand): Promise<undefined> {
    const { accountId, region } = request.scope;
    const aliasName = request.params.AliasName as string;
    checkAliasName(aliasName);
    const target = parseTarget(request.params.TargetKeyId as string, request);
    const aliasKey = aliasTag(accountId, region, aliasName);
    const tags = (currentKeyId: string | undefined) => [
      aliasKey,
      ...[currentKeyId, 'keyId' in target ? target.keyId : undefined]
        .filter((id): id is string => id !== undefined)
        .map((id) => keyTag(accountId, region, id)),
    ];
    const current =
      this.hints.keyOf(request.scope, aliasName) ?? (await this.reader.alias(request.scope, aliasName))?.key_id;
    await this.writer.runDiscovering(
      request,
      tags(current),
      (state: KmsState) => tags(state.aliases.get(aliasName)?.keyId),
      (state) => decideUpdateAlias({ aliasName, target }, state, request.scope),
    );
    return undefined;
  }
}
