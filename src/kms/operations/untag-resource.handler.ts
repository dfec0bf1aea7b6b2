import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { decideUntagResource } from '../domain/key-metadata.decider';
import type { KmsRequest } from '../kms-request';
import { KmsWriter } from '../store/kms-writer';
import type { KmsAnswer } from './kms-answer';
import { type KeyInput, onKey } from './on-key';

export interface UntagResourceInput extends KeyInput {
  readonly TagKeys: readonly string[];
}

export class UntagResourceCommand extends Command<KmsAnswer> {
  constructor(
    readonly request: KmsRequest,
    readonly input: UntagResourceInput,
  ) {
    super();
  }
}

/**
 * UntagResource (docs/kms-behaviour.md#tags-description-and-key-policy): removes the named tags; a key
 * the key does not have is no error.
 */
@CommandHandler(UntagResourceCommand)
export class UntagResourceHandler implements ICommandHandler<UntagResourceCommand> {
  constructor(private readonly writer: KmsWriter) {}
  async execute({ request, input }: UntagResourceCommand): Promise<KmsAnswer> {
    const { position } = await onKey(
      this.writer,
      request,
      input,
      (keyId) => (state) => decideUntagResource({ keyId, tagKeys: input.TagKeys }, state, request.scope),
    );
    return { position };
  }
}
