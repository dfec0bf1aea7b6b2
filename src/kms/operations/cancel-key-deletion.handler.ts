import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { keyArn } from '../domain/identifiers';
import { decideCancelKeyDeletion } from '../domain/key.decider';
import type { KmsRequest } from '../kms-request';
import { KmsWriter } from '../store/kms-writer';
import type { KmsAnswer } from './kms-answer';
import { type KeyInput, onKey } from './on-key';

export class CancelKeyDeletionCommand extends Command<KmsAnswer> {
  constructor(
    readonly request: KmsRequest,
    readonly input: KeyInput,
  ) {
    super();
  }
}

@CommandHandler(CancelKeyDeletionCommand)
export class CancelKeyDeletionHandler implements ICommandHandler<CancelKeyDeletionCommand> {
  constructor(private readonly writer: KmsWriter) {}
  async execute({ request, input }: CancelKeyDeletionCommand): Promise<KmsAnswer> {
    const { keyId, position } = await onKey(
      this.writer,
      request,
      input,
      (id) => (state) => decideCancelKeyDeletion(id, state, request.scope),
    );
    return { output: { KeyId: keyArn(request.scope, keyId) }, position };
  }
}
