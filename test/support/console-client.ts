/** A console session as a browser holds it: the cookie (which its scripts cannot read) and the CSRF token. */
export interface ConsoleSession {
  readonly cookie: string;
  readonly csrfToken: string;
}

export interface ConsoleAnswer {
  readonly status: number;
  readonly body: Record<string, unknown> | undefined;
  readonly headers: Headers;
}

async function answerOf(response: Response): Promise<ConsoleAnswer> {
  const text = await response.text();
  return {
    status: response.status,
    body: text ? (JSON.parse(text) as Record<string, unknown>) : undefined,
    headers: response.headers,
  };
}

/** POST /console/api/sign-in over real HTTP, as the console page sends it. */
export async function consoleSignIn(url: string, credentials: Record<string, unknown>): Promise<ConsoleAnswer> {
  return answerOf(
    await fetch(`${url}/console/api/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': 'test-browser/1.0' },
      body: JSON.stringify(credentials),
    }),
  );
}

/** Signs in and keeps what the browser would: the session cookie and the CSRF token. */
export async function consoleSession(url: string, credentials: Record<string, unknown>): Promise<ConsoleSession> {
  const answer = await consoleSignIn(url, credentials);
  if (answer.status !== 200) throw new Error(`sign-in answered ${answer.status}: ${JSON.stringify(answer.body)}`);
  const setCookie = answer.headers.get('set-cookie') ?? '';
  return { cookie: setCookie.split(';')[0]!, csrfToken: String(answer.body!.csrfToken) };
}

/** A KMS operation through the console's endpoint; `csrfToken: null` leaves the token out. */
export async function consoleKms(
  url: string,
  session: { cookie?: string; csrfToken?: string | null },
  operation: string,
  input: Record<string, unknown>,
  region: string | null = 'us-west-2',
): Promise<ConsoleAnswer> {
  const headers: Record<string, string> = {
    'content-type': 'application/x-amz-json-1.1',
    'x-amz-target': `TrentService.${operation}`,
    'user-agent': 'test-browser/1.0',
  };
  if (session.cookie) headers.cookie = session.cookie;
  if (session.csrfToken) headers['x-csrf-token'] = session.csrfToken;
  if (region !== null) headers['x-aliastrail-region'] = region;
  return answerOf(await fetch(`${url}/console/api/kms`, { method: 'POST', headers, body: JSON.stringify(input) }));
}

/** GET /console/api/session with the cookie. */
export async function consoleSessionInfo(url: string, cookie: string | undefined): Promise<ConsoleAnswer> {
  return answerOf(await fetch(`${url}/console/api/session`, { headers: cookie ? { cookie } : {} }));
}

/** POST /console/api/sign-out with the cookie and (unless null) the CSRF token. */
export async function consoleSignOut(
  url: string,
  session: { cookie: string; csrfToken: string | null },
): Promise<ConsoleAnswer> {
  const headers: Record<string, string> = { cookie: session.cookie };
  if (session.csrfToken) headers['x-csrf-token'] = session.csrfToken;
  return answerOf(await fetch(`${url}/console/api/sign-out`, { method: 'POST', headers }));
}
