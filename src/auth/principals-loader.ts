import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { z } from 'zod';
import { policyDocumentSchema } from './policy-document';
import type { Principal } from './principal';

const principalSchema = z.object({
  accessKeyId: z.string().regex(/^[A-Z0-9]{16,128}$/, 'must be 16-128 upper-case letters and digits'),
  secretAccessKey: z.string().min(16),
  accountId: z.string().regex(/^\d{12}$/, 'must be 12 digits'),
  arn: z.string().regex(/^arn:aws[a-z-]*:(iam|sts)::\d{12}:\S+$/),
  userName: z.string().min(1),
  // The token's digest, not the token: see bearer-tokens.ts for why that is enough.
  bearerTokenSha256: z
    .string()
    .regex(/^[0-9a-fA-F]{64}$/, 'must be the SHA-256 of the token in hex (64 digits), e.g. from sha256sum')
    .transform((hex) => hex.toLowerCase())
    .optional(),
  // A token in the clear would otherwise be dropped silently, leaving its owner puzzled by 401s.
  bearerToken: z.never({ error: 'store bearerTokenSha256 (the SHA-256 of the token), never the token' }).optional(),
  policies: z.array(policyDocumentSchema).optional(),
});
const fileSchema = z.object({ principals: z.array(principalSchema) });

export interface PrincipalSources {
  readonly principalsFile: string | undefined;
  readonly bootstrap: { accessKeyId: string; secretAccessKey: string; accountId: string } | undefined;
  readonly dataDir: string;
}

export const GENERATED_CREDENTIAL_FILE = 'bootstrap-credentials.json';

/**
 * The principals the service accepts: those of the principals file, the bootstrap principal from the
 * environment, or, when neither is configured, a credential generated on first start and kept in the
 * data directory (mode 0600). `announce` receives the generated credential the first time only.
 */
export function loadPrincipals(
  sources: PrincipalSources,
  announce: (principal: Principal, file: string) => void,
): Principal[] {
  const principals: Principal[] = [];
  if (sources.principalsFile) {
    const parsed = fileSchema.safeParse(JSON.parse(fs.readFileSync(sources.principalsFile, 'utf8')));
    if (!parsed.success) {
      throw new Error(
        `${sources.principalsFile}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
      );
    }
    principals.push(...parsed.data.principals);
  }
  if (sources.bootstrap) principals.push(bootstrapPrincipal(sources.bootstrap));
  if (principals.length === 0) principals.push(generatedPrincipal(sources.dataDir, announce));
  const ids = principals.map((p) => p.accessKeyId);
  const duplicate = ids.find((id, i) => ids.indexOf(id) !== i);
  if (duplicate) throw new Error(`access key id ${duplicate} is configured twice`);
  const digests = principals.flatMap((p) => (p.bearerTokenSha256 ? [p.bearerTokenSha256] : []));
  const shared = digests.find((digest, i) => digests.indexOf(digest) !== i);
  if (shared) throw new Error(`two principals have the same bearer token (SHA-256 ${shared.slice(0, 8)}…)`);
  return principals;
}

function bootstrapPrincipal(b: { accessKeyId: string; secretAccessKey: string; accountId: string }): Principal {
  return { ...b, arn: `arn:aws:iam::${b.accountId}:user/admin`, userName: 'admin' };
}

function generatedPrincipal(dataDir: string, announce: (principal: Principal, file: string) => void): Principal {
  const file = path.join(dataDir, GENERATED_CREDENTIAL_FILE);
  if (fs.existsSync(file)) return principalSchema.parse(JSON.parse(fs.readFileSync(file, 'utf8')));
  const accountId = String(100_000_000_000 + (randomBytes(5).readUIntBE(0, 5) % 900_000_000_000));
  const principal: Principal = {
    accessKeyId: `AKIA${randomBytes(10).toString('hex').toUpperCase().slice(0, 16)}`,
    secretAccessKey: randomBytes(30).toString('base64').replace(/[+/=]/g, '').slice(0, 40),
    accountId,
    arn: `arn:aws:iam::${accountId}:user/admin`,
    userName: 'admin',
  };
  fs.mkdirSync(dataDir, { recursive: true });
  fs.writeFileSync(file, JSON.stringify(principal, null, 2), { mode: 0o600, flag: 'wx' });
  announce(principal, file);
  return principal;
}
