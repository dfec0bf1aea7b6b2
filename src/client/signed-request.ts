import { createHash, createHmac } from 'node:crypto';
import * as http from 'node:http';
import * as https from 'node:https';
import { SignatureV4 } from '@smithy/signature-v4';
import type { SigningCredentials } from './client-credentials';
import { OperationalError } from './client-errors';
import type { RequestTarget } from './request-target';

/** The SigV4 service name of the query, GraphQL and admin APIs (src/callers/query-caller.ts). */
export const SIGNING_SERVICE = 'aliastrail';

/** How long to wait for a connection: an address that drops packets would otherwise hang for minutes. */
const CONNECT_TIMEOUT_MS = 10_000;

export interface ClientRequest {
  readonly method: 'GET' | 'POST' | 'DELETE';
  readonly target: RequestTarget;
  /** Sent as application/json; undefined: no body and no content type. */
  readonly body?: string;
}

export interface ClientAnswer {
  readonly status: number;
  readonly contentType: string;
  readonly body: Buffer;
}

export type RequestAuth =
  | { readonly kind: 'bearer'; readonly token: string }
  | { readonly kind: 'sigv4'; readonly credentials: SigningCredentials; readonly region: string };

/**
 * sha256 and HMAC-SHA256 over node:crypto, in the shape @smithy/signature-v4 takes: the service's
 * own (NodeSha256) is not imported, since the client shares none of the service's code.
 */
class Sha256 {
  private readonly hash;
  constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
    this.hash = secret === undefined ? createHash('sha256') : createHmac('sha256', bytes(secret));
  }
  update(data: string | ArrayBuffer | ArrayBufferView): void {
    this.hash.update(bytes(data));
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
}

function bytes(data: string | ArrayBuffer | ArrayBufferView): string | Uint8Array {
  if (typeof data === 'string') return data;
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

/**
 * The headers of `request`: signed with SigV4 for the service `aliastrail` (host, x-amz-date,
 * x-amz-content-sha256 over the body, the session token if any, the content type), over the path
 * and query exactly as they are sent; or carrying the bearer token.
 */
export async function headersFor(request: ClientRequest, auth: RequestAuth): Promise<Record<string, string>> {
  const { url, path, query } = request.target;
  const headers: Record<string, string> = { host: url.host, accept: 'application/json' };
  if (request.body !== undefined) headers['content-type'] = 'application/json';
  if (auth.kind === 'bearer') return { ...headers, authorization: `Bearer ${auth.token}` };
  const signer = new SignatureV4({
    credentials: auth.credentials,
    region: auth.region,
    service: SIGNING_SERVICE,
    sha256: Sha256,
  });
  const signed = await signer.sign({
    method: request.method,
    protocol: url.protocol,
    hostname: url.hostname,
    path,
    query,
    headers,
    body: request.body,
  });
  return signed.headers as Record<string, string>;
}

/** Why a connection failed, for the one line that says so; undefined for anything else. */
function connectionProblem(error: NodeJS.ErrnoException): string | undefined {
  const codes = ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNRESET', 'EHOSTUNREACH', 'ENETUNREACH', 'ETIMEDOUT'];
  if (error.code && codes.includes(error.code)) return error.code;
  if (error.code?.startsWith('ERR_TLS') || error.code?.includes('CERT')) return error.code;
  return undefined;
}

function unreachable(endpoint: string, why: string): OperationalError {
  return new OperationalError(
    `the service is not reachable at ${endpoint} (${why}); start it (npm start), or say where it listens ` +
      'with --endpoint-url URL or ALIASTRAIL_ENDPOINT_URL',
  );
}

/**
 * Sends `request` with `auth` and reads the whole answer; OperationalError when the service cannot
 * be reached. One connection, closed after the answer, so that the command exits at once.
 */
export async function send(request: ClientRequest, auth: RequestAuth, endpoint: string): Promise<ClientAnswer> {
  const headers = await headersFor(request, auth);
  const { url } = request.target;
  const body = request.body === undefined ? undefined : Buffer.from(request.body, 'utf8');
  if (body !== undefined) headers['content-length'] = String(body.length);
  const transport = url.protocol === 'https:' ? https : http;
  return new Promise<ClientAnswer>((resolve, reject) => {
    const outgoing = transport.request(
      {
        method: request.method,
        // An IPv6 literal comes bracketed in a URL, and without brackets in a socket address.
        hostname: url.hostname.replace(/^\[(.*)\]$/, '$1'),
        port: url.port,
        path: `${request.target.path}${url.search}`,
        headers,
        agent: false,
      },
      (answer) => {
        const chunks: Buffer[] = [];
        answer.on('data', (chunk: Buffer) => chunks.push(chunk));
        answer.on('error', reject);
        answer.on('end', () =>
          resolve({
            status: answer.statusCode ?? 0,
            contentType: String(answer.headers['content-type'] ?? ''),
            body: Buffer.concat(chunks),
          }),
        );
      },
    );
    const timer = setTimeout(
      () => outgoing.destroy(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' })),
      CONNECT_TIMEOUT_MS,
    );
    outgoing.on('socket', (socket) => {
      if (!socket.connecting) clearTimeout(timer);
      else socket.once('connect', () => clearTimeout(timer));
    });
    outgoing.on('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      const why = connectionProblem(error);
      reject(why === undefined ? error : unreachable(endpoint, why));
    });
    outgoing.end(body);
  });
}
