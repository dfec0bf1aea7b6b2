/**
 * An error KMS answers with: `{"__type": code, "message": message}`
 * (docs/kms-behaviour.md#answers-and-errors). `message` undefined means a body with `__type` only, as
 * AWS sends for NotAuthorizedException.
 */
export class KmsError extends Error {
  constructor(
    readonly code: string,
    readonly detail: string | undefined,
    readonly status = 400,
  ) {
    super(detail ?? code);
    this.name = code;
  }
}

export const notFound = (message: string) => new KmsError('NotFoundException', message);
export const validation = (message: string) => new KmsError('ValidationException', message);
export const invalidState = (message: string) => new KmsError('KMSInvalidStateException', message);
export const notAuthorized = () => new KmsError('NotAuthorizedException', undefined);
export const alreadyExists = (message: string) => new KmsError('AlreadyExistsException', message);
export const limitExceeded = (message: string) => new KmsError('LimitExceededException', message);
/** The system timed out while trying to fulfil the request: a server fault (503) the AWS SDKs retry. */
export const dependencyTimeout = () =>
  new KmsError(
    'DependencyTimeoutException',
    'The system timed out while trying to fulfill the request. You can retry the request.',
    503,
  );
