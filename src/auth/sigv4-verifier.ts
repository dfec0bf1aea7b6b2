import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import { KmsError } from '../kms/domain/kms-error';
import type { Principal } from './principal';

export interface SignedRequest {
  readonly method: string;
  readonly path: string;
  readonly query: Record<string, string | string[]>;
  /** Lower-cased names. */
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: Buffer;
}

export interface VerifiedCaller {
  readonly principal: Principal;
  readonly region: string;
}

const AUTHORIZATION =
  /^AWS4-HMAC-SHA256 Credential=([^/\s,]+)\/(\d{8})\/([a-z0-9-]{1,32})\/([a-z0-9-]+)\/aws4_request, ?SignedHeaders=([a-z0-9;-]+), ?Signature=([0-9a-f]{64})$/;
const AMZ_DATE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;
const MAX_SKEW_MS = 15 * 60 * 1000;

const invalidSignature = (message: string) => new KmsError('InvalidSignatureException', message);

/** sha256 and HMAC-SHA256 in the shape @smithy/signature-v4 wants, over node:crypto. */
export class NodeSha256 {
  private readonly hash;
  constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
    this.hash = secret ? createHmac('sha256', toBytes(secret)) : createHash('sha256');
  }
  update(data: string | ArrayBuffer | ArrayBufferView): void {
    this.hash.update(toBytes(data));
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
}

function toBytes(data: string | ArrayBuffer | ArrayBufferView): string | Uint8Array {
  if (typeof data === 'string') return data;
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

const header = (request: SignedRequest, name: string) => {
  const value = request.headers[name];
  return Array.isArray(value) ? value.join(',') : value;
};

// One signer per principal, Region and service: each keeps a cache of its derived signing keys.
const signers = new Map<string, SignatureV4>();

function signerFor(principal: Principal, region: string, service: string): SignatureV4 {
  const id = `${principal.accessKeyId}\n${principal.secretAccessKey}\n${region}\n${service}`;
  let signer = signers.get(id);
  if (!signer) {
    if (signers.size > 1000) signers.clear();
    signer = new SignatureV4({
      credentials: { accessKeyId: principal.accessKeyId, secretAccessKey: principal.secretAccessKey },
      region,
      service,
      sha256: NodeSha256,
      uriEscapePath: true,
      applyChecksum: false,
    });
    signers.set(id, signer);
  }
  return signer;
}

const compact = (date: Date) =>
  date
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');

/**
 * Verifies an AWS Signature Version 4 `Authorization` header (what the AWS SDKs and CLI send) against
 * the configured principals: credential scope, date and clock skew (15 minutes), payload hash, and
 * the signature itself, recomputed over the signed headers only. Answers AWS's errors otherwise.
 */
export async function verifySigV4(
  request: SignedRequest,
  service: string,
  findPrincipal: (accessKeyId: string) => Principal | undefined,
  now: Date,
): Promise<VerifiedCaller> {
  const authorization = header(request, 'authorization');
  if (!authorization) throw new KmsError('MissingAuthenticationTokenException', 'Missing Authentication Token');
  const match = AUTHORIZATION.exec(authorization);
  if (!match) {
    throw new KmsError(
      'IncompleteSignatureException',
      'Authorization header requires Credential, SignedHeaders and Signature parameters of an AWS4-HMAC-SHA256 signature.',
    );
  }
  const [, accessKeyId, scopeDate, region, scopeService, signedHeaderList, signature] = match as unknown as string[];
  const principal = findPrincipal(accessKeyId!);
  if (!principal)
    throw new KmsError('UnrecognizedClientException', 'The security token included in the request is invalid.');
  if (scopeService !== service)
    throw invalidSignature(`Credential should be scoped to correct service: '${service}'. `);

  const amzDate = header(request, 'x-amz-date') ?? '';
  const parts = AMZ_DATE.exec(amzDate);
  if (!parts)
    throw new KmsError(
      'IncompleteSignatureException',
      "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.",
    );
  if (!amzDate.startsWith(scopeDate!)) {
    throw invalidSignature(
      `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${scopeDate}' != '${amzDate.slice(0, 8)}', from '${amzDate}'.`,
    );
  }
  const signedAt = new Date(Date.UTC(+parts[1]!, +parts[2]! - 1, +parts[3]!, +parts[4]!, +parts[5]!, +parts[6]!));
  if (signedAt.getTime() < now.getTime() - MAX_SKEW_MS) {
    throw invalidSignature(
      `Signature expired: ${amzDate} is now earlier than ${compact(new Date(now.getTime() - MAX_SKEW_MS))} (${compact(now)} - 15 min.)`,
    );
  }
  if (signedAt.getTime() > now.getTime() + MAX_SKEW_MS) {
    throw invalidSignature(
      `Signature not yet current: ${amzDate} is still later than ${compact(new Date(now.getTime() + MAX_SKEW_MS))} (${compact(now)} + 15 min.)`,
    );
  }

  // The signer trusts this header as the payload hash, so it is checked against the body here.
  const claimedHash = header(request, 'x-amz-content-sha256');
  if (claimedHash !== undefined && claimedHash !== createHash('sha256').update(request.body).digest('hex')) {
    throw invalidSignature("The provided 'x-amz-content-sha256' header does not match what was computed.");
  }

  const signedHeaders = signedHeaderList!.split(';');
  if (!signedHeaders.includes('host'))
    throw invalidSignature("'Host' must be a 'SignedHeader' in the AWS Authorization.");
  // Permissive mode (principal.registry.ts) knows no secret to recompute the signature with.
  if (principal.signatureUnchecked) return { principal, region: region! };
  const headers: Record<string, string> = {};
  for (const name of signedHeaders) headers[name] = header(request, name) ?? '';
  const signer = signerFor(principal, region!, service);
  const signed = await signer.sign(
    {
      method: request.method,
      protocol: 'http:',
      hostname: headers.host ?? '',
      path: request.path,
      query: request.query,
      headers,
      body: request.body,
    },
    { signingDate: signedAt, signableHeaders: new Set(signedHeaders), signingRegion: region, signingService: service },
  );
  const expected =
    /Signature=([0-9a-f]{64})/.exec(String(signed.headers.authorization ?? signed.headers.Authorization))?.[1] ?? '';
  if (expected.length !== 64 || !timingSafeEqual(Buffer.from(expected), Buffer.from(signature!))) {
    throw invalidSignature(
      'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
    );
  }
  return { principal, region: region! };
}

/**
 * Who a request claims to be and for which Region, read from its Authorization header without
 * checking anything: a rejected call by a known access key is still recorded in the audit trail.
 */
export function claimedCredential(
  headers: Record<string, string | string[] | undefined>,
): { accessKeyId: string; region: string } | undefined {
  const value = headers.authorization;
  const match = typeof value === 'string' ? AUTHORIZATION.exec(value) : null;
  return match ? { accessKeyId: match[1]!, region: match[3]! } : undefined;
}
