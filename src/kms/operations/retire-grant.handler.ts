import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { authorizeKms } from '../../authz/authorize';
import { decideRetireGrant } from '../domain/grant.decider';
import { keyArn } from '../domain/identifiers';
import { validation } from '../domain/kms-error';
import type { KmsRequest } from '../kms-request';
import { GrantWriter } from '../store/grant-writer';
import { GrantsReader } from '../store/grants-reader';
import { checkGrantId } from './grant-list-entry';
import { GrantTokens, invalidGrantToken } from './grant-tokens';
import { keyIdOnly } from './key-reference';
import type { KmsAnswer } from './kms-answer';

export interface RetireGrantInput {
  readonly GrantToken?: string;
  readonly KeyId?: string;
  readonly GrantId?: string;
  readonly DryRun?: boolean;
}

export class RetireGrantCommand extends Command<KmsAnswer> {
  constructor(
    readonly request: KmsRequest,
    readonly input: RetireGrantInput,
  ) {
    super();
  }
}

/**
 * RetireGrant (docs/kms-behaviour.md#grants, #decisions-where-aws-is-ambiguous): by a token (it names
 * the grant, whose key the grants model knows) or by KeyId and GrantId. Its record shows no request
 * parameters and the grant id apart.
 */
@CommandHandler(RetireGrantCommand)
export class RetireGrantHandler implements ICommandHandler<RetireGrantCommand> {
  constructor(
    private readonly writer: GrantWriter,
    private readonly grants: GrantsReader,
    private readonly tokens: GrantTokens,
  ) {}

  async execute({ request, input }: RetireGrantCommand): Promise<KmsAnswer> {
    const { scope } = request;
    const target = await this.target(request, input);
    authorizeKms(request.principal, 'kms:RetireGrant', [keyArn(scope, target.keyId)]);
    const { position } = await this.writer.run(request, target.keyId, (of) => ({
      events: decideRetireGrant({ ...target, dryRun: input.DryRun === true }, of, scope),
      result: undefined,
    }));
    return { position };
  }

  private async target(
    request: KmsRequest,
    input: RetireGrantInput,
  ): Promise<{ keyId: string; grantId: string; byToken: boolean }> {
    if (input.GrantToken !== undefined) {
      const grantId = this.tokens.grantIdOf(input.GrantToken);
      // The grant's key never changes, so this read outside the unit's locks cannot go stale; the
      // unit checks under them that the grant is still there.
      const grant = await this.grants.grant(request.scope, grantId);
      if (!grant) throw invalidGrantToken();
      return { keyId: grant.key_id, grantId, byToken: true };
    }
    if (input.KeyId === undefined || input.GrantId === undefined)
      throw validation('Grant token OR (grant ID, key ID) must be specified');
    return { keyId: keyIdOnly(input.KeyId, request.scope), grantId: checkGrantId(input.GrantId), byToken: false };
  }
}
