import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { authorizeKms } from '../../authz/authorize';
import { keyArn } from '../domain/identifiers';
import { keyTag } from '../domain/kms-events';
import { decideRotateKeyOnDemand } from '../domain/rotation.decider';
import type { KmsRequest } from '../kms-request';
import type { CallRecord } from '../store/call-record';
import { keyMaterialIdOf } from '../store/key-materials';
import { KmsWriter } from '../store/kms-writer';
import { keyIdOnly } from './key-reference';
import type { KmsAnswer } from './kms-answer';
import type { KeyInput } from './on-key';

export class RotateKeyOnDemandCommand extends Command<KmsAnswer> {
  constructor(
    readonly request: KmsRequest,
    readonly input: KeyInput,
  ) {
    super();
  }
}

/**
 * RotateKeyOnDemand (docs/kms-behaviour.md#rotation): complete when it answers; the new material is
 * written in the transaction of its KeyMaterialRotated (KmsWriter), so the next Encrypt uses it.
 *
 * AWS records two things (docs/kms-behaviour.md#cloudtrail-records): the API call, and the material
 * switch as KMS's own RotateKey service event. So the rotation is the service's (its metadata says
 * invokedBy, with an id of its own: a row of its own in the audit trail), and the call is recorded
 * beside it by a KmsCallRecorded with the call's metadata, in the same transaction.
 */
@CommandHandler(RotateKeyOnDemandCommand)
export class RotateKeyOnDemandHandler implements ICommandHandler<RotateKeyOnDemandCommand> {
  constructor(private readonly writer: KmsWriter) {}
  async execute({ request, input }: RotateKeyOnDemandCommand): Promise<KmsAnswer> {
    const { scope } = request;
    const keyId = keyIdOnly(input.KeyId, scope);
    const arn = keyArn(scope, keyId);
    authorizeKms(request.principal, `kms:${request.operation}`, [arn]);
    // The call's record answers with the key ARN, as the API does
    // (docs/kms-behaviour.md#decisions-where-aws-is-ambiguous).
    const record: CallRecord = {
      ...scope,
      eventName: request.operation,
      readOnly: false,
      resources: [arn],
      responseElements: { keyId: arn },
    };
    const { position } = await this.writer.run(
      { service: true, onCall: { request, record } },
      [keyTag(scope.accountId, scope.region, keyId)],
      (state) => decideRotateKeyOnDemand(keyId, state, scope, (version) => keyMaterialIdOf(arn, version)),
    );
    return { output: { KeyId: arn }, position };
  }
}
