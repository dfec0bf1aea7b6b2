import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { decidePutKeyPolicy } from '../domain/key-metadata.decider';
import type { KmsRequest } from '../kms-request';
import { KmsWriter } from '../store/kms-writer';
import type { KmsAnswer } from './kms-answer';
import { type KeyInput, onKey } from './on-key';

export interface PutKeyPolicyInput extends KeyInput {
  readonly Policy: string;
  readonly PolicyName?: string;
  /**
   * Recorded only: aliastrail has no lockout check to bypass
   * (docs/kms-behaviour.md#tags-description-and-key-policy).
   */
  readonly BypassPolicyLockoutSafetyCheck?: boolean;
}

export class PutKeyPolicyCommand extends Command<KmsAnswer> {
  constructor(
    readonly request: KmsRequest,
    readonly input: PutKeyPolicyInput,
  ) {
    super();
  }
}

/**
 * PutKeyPolicy (docs/kms-behaviour.md#tags-description-and-key-policy): the `default` policy, stored
 * pretty-printed.
 */
@CommandHandler(PutKeyPolicyCommand)
export class PutKeyPolicyHandler implements ICommandHandler<PutKeyPolicyCommand> {
  constructor(private readonly writer: KmsWriter) {}
  async execute({ request, input }: PutKeyPolicyCommand): Promise<KmsAnswer> {
    const { position } = await onKey(
      this.writer,
      request,
      input,
      (keyId) => (state) =>
        decidePutKeyPolicy({ keyId, policy: input.Policy, policyName: input.PolicyName }, state, request.scope),
    );
    return { position };
  }
}
