import { authorizeKms } from '../../authz/authorize';
import { aliasArn, keyArn } from '../identifiers';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { decideUpdateAlias } from '../alias.decider';
import { checkAliasName } from '../alias-name';
import type { KmsRequest } from '../kms-request';
import { KmsWriter } from '../store/kms-writer';
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
    const aliasName = request.params.AliasName as string;
    checkAliasName(aliasName);
    const target = parseTarget(request.params.TargetKeyId as string, request);
    await this.writer.runOnAlias(request, aliasName, 'keyId' in target ? [target.keyId] : [], (state) => {
      // The alias, the key it points to now and the new key, as AWS requires (read under the locks).
      const current = state.aliases.get(aliasName)?.keyId;
      authorizeKms(request.principal, 'kms:UpdateAlias', [
        aliasArn(request.scope, aliasName),
        ...[current, 'keyId' in target ? target.keyId : undefined].flatMap((id) =>
          id === undefined ? [] : [keyArn(request.scope, id)],
        ),
      ]);
      return decideUpdateAlias({ aliasName, target }, state, request.scope);
    });
    return undefined;
  }
}
