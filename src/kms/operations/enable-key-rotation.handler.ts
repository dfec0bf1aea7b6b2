import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { decideEnableKeyRotation } from '../domain/rotation.decider';
import type { KmsRequest } from '../kms-request';
import { KmsWriter } from '../store/kms-writer';
import type { KmsAnswer } from './kms-answer';
import { type KeyInput, onKey } from './on-key';

export interface EnableKeyRotationInput extends KeyInput {
  readonly RotationPeriodInDays?: number;
}

export class EnableKeyRotationCommand extends Command<KmsAnswer> {
  constructor(
    readonly request: KmsRequest,
    readonly input: EnableKeyRotationInput,
  ) {
    super();
  }
}

/** EnableKeyRotation (docs/kms-behaviour.md#rotation): enabling again sets the new period and date. */
@CommandHandler(EnableKeyRotationCommand)
export class EnableKeyRotationHandler implements ICommandHandler<EnableKeyRotationCommand> {
  constructor(private readonly writer: KmsWriter) {}
  async execute({ request, input }: EnableKeyRotationCommand): Promise<KmsAnswer> {
    const { position } = await onKey(
      this.writer,
      request,
      input,
      (keyId) => (state, now) =>
        decideEnableKeyRotation({ keyId, rotationPeriodInDays: input.RotationPeriodInDays }, state, request.scope, now),
    );
    return { position };
  }
}
