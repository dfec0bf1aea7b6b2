import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { privateKeyOf } from '../crypto/key-pairs';
import { type MessageType, signMessage } from '../crypto/signatures';
import { checkCryptoKey, dryRunPassed } from '../domain/crypto-key-checks';
import { keyArn } from '../domain/identifiers';
import { checkSigningMessage } from '../domain/signing-checks';
import type { KmsRequest } from '../kms-request';
import { KeyMaterials } from '../store/key-materials';
import { KmsReader } from '../store/kms-reader';
import { cryptoKeyOf, resolveUsableKey } from './crypto-key';
import type { KmsAnswer } from './kms-answer';

export interface SignInput {
  readonly KeyId: string;
  readonly Message: Buffer;
  readonly MessageType?: string;
  readonly SigningAlgorithm: string;
  readonly DryRun?: boolean;
}

export class SignQuery extends Query<KmsAnswer> {
  constructor(
    readonly request: KmsRequest,
    readonly input: SignInput,
  ) {
    super();
  }
}

/**
 * The checks Sign and Verify share, in AWS's order (docs/kms-behaviour.md#order-of-checks): the key's
 * state, usage SIGN_VERIFY, the algorithm in its list, the message type and digest length; DryRun comes
 * after.
 */
export function checkSigningCall(
  request: KmsRequest,
  key: Parameters<typeof cryptoKeyOf>[0],
  input: SignInput,
): MessageType {
  const messageType = input.MessageType ?? 'RAW';
  checkCryptoKey(request.scope, cryptoKeyOf(key), {
    operation: request.operation,
    usage: 'SIGN_VERIFY',
    signingAlgorithm: input.SigningAlgorithm,
  });
  checkSigningMessage(input.SigningAlgorithm, messageType, input.Message.length);
  return messageType as MessageType;
}

/**
 * Sign (docs/kms-behaviour.md#cryptographic-operations): with the private key of the asymmetric key the
 * KeyId names now. ECDSA signatures are DER; RSA ones as long as the modulus; PSS salts as long as the
 * digest.
 */
@QueryHandler(SignQuery)
export class SignHandler implements IQueryHandler<SignQuery> {
  constructor(
    private readonly reader: KmsReader,
    private readonly materials: KeyMaterials,
  ) {}

  async execute({ request, input }: SignQuery): Promise<KmsAnswer> {
    const { scope } = request;
    const key = await resolveUsableKey(this.reader, this.materials, request, input.KeyId);
    const messageType = checkSigningCall(request, key, input);
    if (input.DryRun === true) throw dryRunPassed();
    const { material } = await this.materials.current(scope, key);
    const signature = signMessage(privateKeyOf(material), input.SigningAlgorithm, messageType, input.Message);
    return {
      output: {
        KeyId: keyArn(scope, key.key_id),
        Signature: signature.toString('base64'),
        SigningAlgorithm: input.SigningAlgorithm,
      },
    };
  }
}
