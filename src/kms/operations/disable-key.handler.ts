import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { decideDisableKey } from '../domain/key.decider';
import type { KmsRequest } from '../kms-request';
import { KmsWriter } from '../store/kms-writer';
import type { KmsAnswer } from './kms-answer';
import { type KeyInput, onKey } from './on-key';

export class DisableKeyCommand extends Command<KmsAnswer> {
  constructor(
    readonly request: KmsRequest,
    readonly input: KeyInput,
  ) {
    super();
  }
}

@CommandHandler(DisableKeyCommand)
export class DisableKeyHandler implements ICommandHandler<DisableKeyCommand> {
  constructor(private readonly writer: KmsWriter) {}
  async execute({ request, input }: DisableKeyCommand): Promise<KmsAnswer> {
    const { position } = await onKey(
      this.writer,
      request,
      input,
      (keyId) => (state) => decideDisableKey(keyId, state, request.scope),
    );
    return { position };
  }
}
