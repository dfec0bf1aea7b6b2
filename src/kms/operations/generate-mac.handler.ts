import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { macMatches, macOf } from '../crypto/hmac';
import { checkCryptoKey, dryRunPassed } from '../domain/crypto-key-checks';
import { keyArn } from '../domain/identifiers';
import { invalidMac } from '../domain/signing-checks';
import type { KmsRequest } from '../kms-request';
import { KeyMaterials } from '../store/key-materials';
import { KmsReader } from '../store/kms-reader';
import { cryptoKeyOf, resolveUsableKey } from './crypto-key';
import type { KmsAnswer } from './kms-answer';

export interface MacInput {
  readonly KeyId: string;
  readonly Message: Buffer;
  readonly MacAlgorithm: string;
  /** VerifyMac only (required there by its shape): the MAC to compare with. */
  readonly Mac?: Buffer;
  readonly DryRun?: boolean;
}

export class MacQuery extends Query<KmsAnswer> {
  constructor(
    readonly request: KmsRequest,
    readonly input: MacInput,
  ) {
    super();
  }
}

/**
 * GenerateMac and VerifyMac (docs/kms-behaviour.md#cryptographic-operations): HMAC with the key's
 * material. An algorithm of another size is InvalidKeyUsageException (`Algorithm HMAC_SHA_512 is
 * incompatible with key spec HMAC_256.`); a MAC that does not match is KMSInvalidMacException with no
 * message, checked before DryRun.
 */
@QueryHandler(MacQuery)
export class MacHandler implements IQueryHandler<MacQuery> {
  constructor(
    private readonly reader: KmsReader,
    private readonly materials: KeyMaterials,
  ) {}

  async execute({ request, input }: MacQuery): Promise<KmsAnswer> {
    const { scope } = request;
    const key = await resolveUsableKey(this.reader, this.materials, request, input.KeyId);
    checkCryptoKey(scope, cryptoKeyOf(key), {
      operation: request.operation,
      usage: 'GENERATE_VERIFY_MAC',
      macAlgorithm: input.MacAlgorithm,
    });
    const { material } = await this.materials.current(scope, key);
    const arn = keyArn(scope, key.key_id);
    // The operation decides, never the members: a GenerateMac with a stray Mac is still GenerateMac.
    if (request.operation === 'VerifyMac') {
      if (!macMatches(material, input.MacAlgorithm, input.Message, input.Mac!)) throw invalidMac();
      if (input.DryRun === true) throw dryRunPassed();
      return { output: { KeyId: arn, MacValid: true, MacAlgorithm: input.MacAlgorithm } };
    }
    if (input.DryRun === true) throw dryRunPassed();
    const mac = macOf(material, input.MacAlgorithm, input.Message);
    return { output: { Mac: mac.toString('base64'), MacAlgorithm: input.MacAlgorithm, KeyId: arn } };
  }
}
