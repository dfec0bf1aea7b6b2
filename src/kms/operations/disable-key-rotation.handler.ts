import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { decideDisableKeyRotation } from '../domain/rotation.decider';
import type { KmsRequest } from '../kms-request';
import { KmsWriter } from '../store/kms-writer';
import type { KmsAnswer } from './kms-answer';
import { type KeyInput, onKey } from './on-key';

export class DisableKeyRotationCommand extends Command<KmsAnswer> {
  constructor(
    readonly request: KmsRequest,
    readonly input: KeyInput,
  ) {
    super();
  }
}

/** DisableKeyRotation (docs/kms-behaviour.md#rotation): the period and the next date go. */
@CommandHandler(DisableKeyRotationCommand)
export class DisableKeyRotationHandler implements ICommandHandler<DisableKeyRotationCommand> {
  constructor(private readonly writer: KmsWriter) {}
  async execute({ request, input }: DisableKeyRotationCommand): Promise<KmsAnswer> {
    const { position } = await onKey(
      this.writer,
      request,
      input,
      (keyId) => (state) => decideDisableKeyRotation(keyId, state, request.scope),
    );
    return { position };
  }
}
