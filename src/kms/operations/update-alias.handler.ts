import { authorizeKms } from '../../authz/authorize';
import { aliasArn, keyArn } from '../domain/identifiers';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { decideUpdateAlias } from '../domain/alias.decider';
import { checkAliasName } from '../domain/alias-name';
import type { KmsRequest } from '../kms-request';
import { KmsWriter } from '../store/kms-writer';
import { type AliasTargetInput, parseTarget } from './create-alias.handler';
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
    const target = parseTarget(input.TargetKeyId, request);
    const { position } = await this.writer.runOnAlias(
      request,
      aliasName,
      'keyId' in target ? [target.keyId] : [],
      (state) => {
        // The alias, the key it points to now and the new key, as AWS requires (read under the locks).
        const current = state.aliases.get(aliasName)?.keyId;
        authorizeKms(request.principal, 'kms:UpdateAlias', [
          aliasArn(request.scope, aliasName),
          ...[current, 'keyId' in target ? target.keyId : undefined].flatMap((id) =>
            id === undefined ? [] : [keyArn(request.scope, id)],
          ),
        ]);
        return decideUpdateAlias({ aliasName, target }, state, request.scope);
      },
    );
    return { position };
  }
}
