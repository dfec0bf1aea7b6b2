import { randomBytes } from 'node:crypto';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { authorizeKms } from '../../authz/authorize';
import { KmsError, validation } from '../domain/kms-error';
import type { KmsRequest } from '../kms-request';
import type { KmsAnswer } from './kms-answer';

export class GenerateRandomQuery extends Query<KmsAnswer> {
  constructor(
    readonly request: KmsRequest,
    readonly input: { readonly NumberOfBytes?: number; readonly CustomKeyStoreId?: string },
  ) {
    super();
  }
}

/**
 * GenerateRandom (docs/kms-behaviour.md#cryptographic-operations): fresh random bytes, no key.
 * NumberOfBytes is optional in the model and required by the service; aliastrail has no custom key
 * stores (CloudHSM), so any CustomKeyStoreId names none.
 */
@QueryHandler(GenerateRandomQuery)
export class GenerateRandomHandler implements IQueryHandler<GenerateRandomQuery> {
  execute({ request, input }: GenerateRandomQuery): Promise<KmsAnswer> {
    if (input.NumberOfBytes === undefined) throw validation('NumberOfBytes is required.');
    authorizeKms(request.principal, 'kms:GenerateRandom', ['*']);
    if (input.CustomKeyStoreId !== undefined)
      throw new KmsError(
        'CustomKeyStoreNotFoundException',
        `Custom key store ${input.CustomKeyStoreId} does not exist.`,
      );
    return Promise.resolve({ output: { Plaintext: randomBytes(input.NumberOfBytes).toString('base64') } });
  }
}
