import { authorizeKms } from '../../authz/authorize';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { decideCreateAlias, type Target } from '../domain/alias.decider';
import { checkAliasName } from '../domain/alias-name';
import { aliasArn, keyArn, parseTargetKeyId } from '../domain/identifiers';
import { KmsError } from '../domain/kms-error';
import { aliasTag, keyTag } from '../domain/kms-events';
import type { KmsRequest } from '../kms-request';
import { KmsWriter } from '../store/kms-writer';
import type { KmsAnswer } from './kms-answer';

/** The input of CreateAlias and UpdateAlias. */
export interface AliasTargetInput {
  readonly AliasName: string;
  readonly TargetKeyId: string;
}

export class CreateAliasCommand extends Command<KmsAnswer> {
  constructor(
    readonly request: KmsRequest,
    readonly input: AliasTargetInput,
  ) {
    super();
  }
}

/** Parses TargetKeyId, keeping a parse error to report in AWS's order (after the duplicate check). */
export function parseTarget(value: string, request: KmsRequest): Target {
  try {
    return { keyId: parseTargetKeyId(value, request.scope) };
  } catch (error) {
    if (error instanceof KmsError) return { error };
    throw error;
  }
}

@CommandHandler(CreateAliasCommand)
export class CreateAliasHandler implements ICommandHandler<CreateAliasCommand> {
  constructor(private readonly writer: KmsWriter) {}

  async execute({ request, input }: CreateAliasCommand): Promise<KmsAnswer> {
    const { accountId, region } = request.scope;
    const aliasName = input.AliasName;
    checkAliasName(aliasName);
    const target = parseTarget(input.TargetKeyId, request);
    // IAM first (AWS checks the caller's policies before the request's effect): the alias and the key.
    authorizeKms(request.principal, 'kms:CreateAlias', [
      aliasArn(request.scope, aliasName),
      ...('keyId' in target ? [keyArn(request.scope, target.keyId)] : []),
    ]);
    const tags = [
      aliasTag(accountId, region, aliasName),
      ...('keyId' in target ? [keyTag(accountId, region, target.keyId)] : []),
    ];
    const { position } = await this.writer.run(request, tags, (state) =>
      decideCreateAlias({ aliasName, target }, state, request.scope),
    );
    return { position };
  }
}
