/**
 * The console's calls to its server: the session (sign-in, sign-out) and KMS operations made as the
 * signed-in principal (POST /console/api/kms). The page holds no credential: the session id is in an
 * HttpOnly cookie, and only the CSRF token, which is no secret to this page, is kept here, in memory.
 */
export interface Session {
  readonly principal: { readonly arn: string; readonly accountId: string; readonly userName: string };
  readonly csrfToken: string;
}

/**
 * An error a KMS operation answered, in AWS's words: shown verbatim. Some come without a message
 * (MalformedPolicyDocumentException): then the exception's name is what there is to show.
 */
export class KmsCallError extends Error {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message || type);
  }
}

/** A query or admin API's refusal, with its HTTP status (403: the principal may not). */
export class RestCallError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** The session ended (expired, signed out elsewhere): the page goes back to sign-in. */
export class SessionEnded extends Error {}

let csrfToken = '';
const sessionListeners = new Set<() => void>();

/** Called when any call finds the session gone. */
export function onSessionEnded(listener: () => void): () => void {
  sessionListeners.add(listener);
  return () => sessionListeners.delete(listener);
}

async function json(response: Response): Promise<Record<string, unknown>> {
  const text = await response.text();
  try {
    return text ? (JSON.parse(text) as Record<string, unknown>) : {};
  } catch {
    return { error: { code: 'BadAnswer', message: text.slice(0, 200) } };
  }
}

const errorMessage = (body: Record<string, unknown>) =>
  String((body.error as { message?: string } | undefined)?.message ?? 'The request failed.');

export async function currentSession(): Promise<Session | undefined> {
  const response = await fetch('/console/api/session', { credentials: 'same-origin' });
  if (response.status === 401) return undefined;
  const body = await json(response);
  if (!response.ok) throw new Error(errorMessage(body));
  csrfToken = String(body.csrfToken);
  return body as unknown as Session;
}

export async function signIn(
  credentials: { accessKeyId: string; secretAccessKey: string } | { bearerToken: string },
): Promise<Session> {
  const response = await fetch('/console/api/sign-in', {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(credentials),
  });
  const body = await json(response);
  if (!response.ok) throw new Error(errorMessage(body));
  csrfToken = String(body.csrfToken);
  return body as unknown as Session;
}

/**
 * Ends the session on the server. A token this page holds may be stale (the user signed in again
 * in another tab): then the current one is fetched and the sign-out tried again, so that it never
 * fails silently and leaves the session open.
 */
export async function signOut(): Promise<void> {
  const attempt = () =>
    fetch('/console/api/sign-out', {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'x-csrf-token': csrfToken },
    });
  let response = await attempt();
  if (response.status === 403 && (await currentSession())) response = await attempt();
  csrfToken = '';
  if (!response.ok) throw new Error(errorMessage(await json(response)));
}

/** A KMS operation in `region`, as the signed-in principal; throws KmsCallError with AWS's message. */
export async function kms<T = Record<string, unknown>>(
  operation: string,
  input: Record<string, unknown>,
  region: string,
): Promise<T> {
  const response = await fetch('/console/api/kms', {
    method: 'POST',
    credentials: 'same-origin',
    headers: {
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': `TrentService.${operation}`,
      'x-aliastrail-region': region,
      'x-csrf-token': csrfToken,
    },
    body: JSON.stringify(input),
  });
  const body = await json(response);
  if (response.ok) return body as T;
  if (response.status === 401) {
    sessionListeners.forEach((listener) => listener());
    throw new SessionEnded(errorMessage(body));
  }
  if (typeof body.__type === 'string') throw new KmsCallError(body.__type, String(body.message ?? ''));
  throw new Error(errorMessage(body));
}

/** A GET of the REST query API (/api/…) with the session's cookie; its error message when it fails. */
export async function restGet<T>(path: string): Promise<T> {
  return restAnswer<T>(await fetch(path, { credentials: 'same-origin' }));
}

/** A query or admin API's answer: its body, else its error (a 401 ends the page's session). */
async function restAnswer<T>(response: Response): Promise<T> {
  const body = await json(response);
  if (response.status === 401) {
    sessionListeners.forEach((listener) => listener());
    throw new SessionEnded(errorMessage(body));
  }
  if (!response.ok) throw new RestCallError(response.status, errorMessage(body));
  return body as T;
}

/** A POST to the query or admin APIs with the session's cookie and its CSRF token. */
export async function restPost<T>(path: string): Promise<T> {
  return restAnswer<T>(
    await fetch(path, { method: 'POST', credentials: 'same-origin', headers: { 'x-csrf-token': csrfToken } }),
  );
}
