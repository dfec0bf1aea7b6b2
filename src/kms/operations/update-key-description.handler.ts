import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { decideUpdateKeyDescription } from '../domain/key-metadata.decider';
import type { KmsRequest } from '../kms-request';
import { KmsWriter } from '../store/kms-writer';
import type { KmsAnswer } from './kms-answer';
import { type KeyInput, onKey } from './on-key';

export interface UpdateKeyDescriptionInput extends KeyInput {
  readonly Description: string;
}

export class UpdateKeyDescriptionCommand extends Command<KmsAnswer> {
  constructor(
    readonly request: KmsRequest,
    readonly input: UpdateKeyDescriptionInput,
  ) {
    super();
  }
}

/**
 * UpdateKeyDescription (docs/kms-behaviour.md#tags-description-and-key-policy): `""` clears it;
 * DescribeKey shows it.
 */
@CommandHandler(UpdateKeyDescriptionCommand)
export class UpdateKeyDescriptionHandler implements ICommandHandler<UpdateKeyDescriptionCommand> {
  constructor(private readonly writer: KmsWriter) {}
  async execute({ request, input }: UpdateKeyDescriptionCommand): Promise<KmsAnswer> {
    const { position } = await onKey(
      this.writer,
      request,
      input,
      (keyId) => (state) => decideUpdateKeyDescription({ keyId, description: input.Description }, state, request.scope),
    );
    return { position };
  }
}
