import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { privateKeyOf } from '../crypto/key-pairs';
import { verifyMessage } from '../crypto/signatures';
import { dryRunPassed } from '../domain/crypto-key-checks';
import { keyArn } from '../domain/identifiers';
import { invalidSignature } from '../domain/signing-checks';
import type { KmsRequest } from '../kms-request';
import { KeyMaterials } from '../store/key-materials';
import { KmsReader } from '../store/kms-reader';
import { resolveUsableKey } from './crypto-key';
import type { KmsAnswer } from './kms-answer';
import { type SignInput, checkSigningCall } from './sign.handler';

export interface VerifyInput extends SignInput {
  readonly Signature: Buffer;
}

export class VerifyQuery extends Query<KmsAnswer> {
  constructor(
    readonly request: KmsRequest,
    readonly input: VerifyInput,
  ) {
    super();
  }
}

/**
 * Verify (docs/kms-behaviour.md#cryptographic-operations): a signature that does not verify is
 * KMSInvalidSignatureException, never SignatureValid: false; through an alias that moved to another key
 * of the same spec, that is what the old key's signatures get. The comparison needs the material:
 * before DryRun.
 */
@QueryHandler(VerifyQuery)
export class VerifyHandler implements IQueryHandler<VerifyQuery> {
  constructor(
    private readonly reader: KmsReader,
    private readonly materials: KeyMaterials,
  ) {}

  async execute({ request, input }: VerifyQuery): Promise<KmsAnswer> {
    const { scope } = request;
    const key = await resolveUsableKey(this.reader, this.materials, request, input.KeyId);
    const messageType = checkSigningCall(request, key, input);
    const { material } = await this.materials.current(scope, key);
    const valid = verifyMessage(
      privateKeyOf(material),
      input.SigningAlgorithm,
      messageType,
      input.Message,
      input.Signature,
    );
    if (!valid) throw invalidSignature();
    if (input.DryRun === true) throw dryRunPassed();
    return {
      output: { KeyId: keyArn(scope, key.key_id), SignatureValid: true, SigningAlgorithm: input.SigningAlgorithm },
    };
  }
}
