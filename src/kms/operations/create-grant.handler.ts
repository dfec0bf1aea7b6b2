import { createHash } from 'node:crypto';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { authorizeKms } from '../../authz/authorize';
import { IdGenerator } from '../../clock/id-generator';
import type { GrantConstraints } from '../domain/grant-events';
import { decideCreateGrant } from '../domain/grant.decider';
import { keyArn } from '../domain/identifiers';
import type { KmsRequest } from '../kms-request';
import { GrantWriter } from '../store/grant-writer';
import { GrantTokens } from './grant-tokens';
import { keyIdOnly } from './key-reference';
import type { KmsAnswer } from './kms-answer';

export interface CreateGrantInput {
  readonly KeyId: string;
  readonly GranteePrincipal: string;
  readonly Operations: readonly string[];
  readonly RetiringPrincipal?: string;
  readonly Constraints?: GrantConstraints;
  readonly Name?: string;
  readonly DryRun?: boolean;
}

export class CreateGrantCommand extends Command<KmsAnswer> {
  constructor(
    readonly request: KmsRequest,
    readonly input: CreateGrantInput,
  ) {
    super();
  }
}

/**
 * CreateGrant (docs/kms-behaviour.md#grants): a grant on a key named by id or ARN, and a new token for it on
 * every call, also when Name idempotency answers with the grant an earlier call created.
 */
@CommandHandler(CreateGrantCommand)
export class CreateGrantHandler implements ICommandHandler<CreateGrantCommand> {
  constructor(
    private readonly writer: GrantWriter,
    private readonly tokens: GrantTokens,
    private readonly ids: IdGenerator,
  ) {}

  async execute({ request, input }: CreateGrantCommand): Promise<KmsAnswer> {
    const { scope } = request;
    const keyId = keyIdOnly(input.KeyId, scope);
    authorizeKms(request.principal, 'kms:CreateGrant', [keyArn(scope, keyId)]);
    // 64 lowercase hex digits (docs/kms-behaviour.md#decisions-where-aws-is-ambiguous), from the
    // injected generator.
    const newGrantId = createHash('sha256').update(this.ids.uuid()).digest('hex');
    const { result: grantId, position } = await this.writer.run(request, keyId, (of) => {
      const decided = decideCreateGrant(
        {
          keyId,
          newGrantId,
          granteePrincipal: input.GranteePrincipal,
          retiringPrincipal: input.RetiringPrincipal,
          operations: input.Operations,
          constraints: input.Constraints,
          name: input.Name,
          dryRun: input.DryRun === true,
        },
        of,
        scope,
      );
      return { events: decided.events, result: decided.grantId };
    });
    return { output: { GrantToken: this.tokens.issue(grantId), GrantId: grantId }, position };
  }
}
