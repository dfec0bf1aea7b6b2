import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { decideEnableKey } from '../domain/key.decider';
import type { KmsRequest } from '../kms-request';
import { KmsWriter } from '../store/kms-writer';
import type { KmsAnswer } from './kms-answer';
import { type KeyInput, onKey } from './on-key';

export class EnableKeyCommand extends Command<KmsAnswer> {
  constructor(
    readonly request: KmsRequest,
    readonly input: KeyInput,
  ) {
    super();
  }
}

@CommandHandler(EnableKeyCommand)
export class EnableKeyHandler implements ICommandHandler<EnableKeyCommand> {
  constructor(private readonly writer: KmsWriter) {}
  async execute({ request, input }: EnableKeyCommand): Promise<KmsAnswer> {
    const { position } = await onKey(
      this.writer,
      request,
      input,
      (keyId) => (state) => decideEnableKey(keyId, state, request.scope),
    );
    return { position };
  }
}
