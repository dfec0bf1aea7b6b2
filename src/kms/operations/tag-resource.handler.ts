import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { decideTagResource } from '../domain/key-metadata.decider';
import type { Tag } from '../domain/kms-events';
import type { KmsRequest } from '../kms-request';
import { KmsWriter } from '../store/kms-writer';
import type { KmsAnswer } from './kms-answer';
import { type KeyInput, onKey } from './on-key';

export interface TagResourceInput extends KeyInput {
  readonly Tags: readonly Tag[];
}

export class TagResourceCommand extends Command<KmsAnswer> {
  constructor(
    readonly request: KmsRequest,
    readonly input: TagResourceInput,
  ) {
    super();
  }
}

/**
 * TagResource (docs/kms-behaviour.md#tags-description-and-key-policy): adds tags, or gives existing
 * ones new values; at most 50 on the key.
 */
@CommandHandler(TagResourceCommand)
export class TagResourceHandler implements ICommandHandler<TagResourceCommand> {
  constructor(private readonly writer: KmsWriter) {}
  async execute({ request, input }: TagResourceCommand): Promise<KmsAnswer> {
    const { position } = await onKey(
      this.writer,
      request,
      input,
      (keyId) => (state) => decideTagResource({ keyId, tags: input.Tags }, state, request.scope),
    );
    return { position };
  }
}
