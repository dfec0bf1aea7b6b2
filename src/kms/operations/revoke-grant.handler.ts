import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { authorizeKms } from '../../authz/authorize';
import { decideRevokeGrant } from '../domain/grant.decider';
import { keyArn } from '../domain/identifiers';
import type { KmsRequest } from '../kms-request';
import { GrantWriter } from '../store/grant-writer';
import { checkGrantId } from './grant-list-entry';
import { keyIdOnly } from './key-reference';
import type { KmsAnswer } from './kms-answer';

export interface RevokeGrantInput {
  readonly KeyId: string;
  readonly GrantId: string;
  readonly DryRun?: boolean;
}

export class RevokeGrantCommand extends Command<KmsAnswer> {
  constructor(
    readonly request: KmsRequest,
    readonly input: RevokeGrantInput,
  ) {
    super();
  }
}

/** RevokeGrant (docs/kms-behaviour.md#grants): the key's grant of that id ends, in any key state. */
@CommandHandler(RevokeGrantCommand)
export class RevokeGrantHandler implements ICommandHandler<RevokeGrantCommand> {
  constructor(private readonly writer: GrantWriter) {}

  async execute({ request, input }: RevokeGrantCommand): Promise<KmsAnswer> {
    const { scope } = request;
    const keyId = keyIdOnly(input.KeyId, scope);
    authorizeKms(request.principal, 'kms:RevokeGrant', [keyArn(scope, keyId)]);
    const grantId = checkGrantId(input.GrantId);
    const { position } = await this.writer.run(request, keyId, (of) => ({
      events: decideRevokeGrant({ keyId, grantId, dryRun: input.DryRun === true }, of, scope),
      result: undefined,
    }));
    return { position };
  }
}
