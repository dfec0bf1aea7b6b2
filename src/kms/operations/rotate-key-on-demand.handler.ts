import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { keyArn } from '../domain/identifiers';
import { decideRotateKeyOnDemand } from '../domain/rotation.decider';
import type { KmsRequest } from '../kms-request';
import { keyMaterialIdOf } from '../store/key-materials';
import { KmsWriter } from '../store/kms-writer';
import type { KmsAnswer } from './kms-answer';
import { type KeyInput, onKey } from './on-key';

export class RotateKeyOnDemandCommand extends Command<KmsAnswer> {
  constructor(
    readonly request: KmsRequest,
    readonly input: KeyInput,
  ) {
    super();
  }
}

/**
 * RotateKeyOnDemand (kms-crypto §6.1): complete when it answers; the new material is written in the
 * transaction of its KeyMaterialRotated (KmsWriter), so the next Encrypt uses it.
 */
@CommandHandler(RotateKeyOnDemandCommand)
export class RotateKeyOnDemandHandler implements ICommandHandler<RotateKeyOnDemandCommand> {
  constructor(private readonly writer: KmsWriter) {}
  async execute({ request, input }: RotateKeyOnDemandCommand): Promise<KmsAnswer> {
    const { scope } = request;
    const { keyId, position } = await onKey(
      this.writer,
      request,
      input,
      (id) => (state) =>
        decideRotateKeyOnDemand(id, state, scope, (version) => keyMaterialIdOf(keyArn(scope, id), version)),
    );
    return { output: { KeyId: keyArn(scope, keyId) }, position };
  }
}
