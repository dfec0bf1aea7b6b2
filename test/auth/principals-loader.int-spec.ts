import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { sha256Hex } from '../../src/auth/bearer-tokens';
import { PrincipalRegistry } from '../../src/auth/principal.registry';
import { GENERATED_CREDENTIAL_FILE, loadPrincipals } from '../../src/auth/principals-loader';

describe('loading principals', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aliastrail-principals-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('generates a credential on first start, stores it 0600, announces it once and reuses it', () => {
    const announced: string[] = [];
    const first = loadPrincipals({ principalsFile: undefined, bootstrap: undefined, dataDir: dir }, (p) =>
      announced.push(p.accessKeyId),
    );
    const file = path.join(dir, GENERATED_CREDENTIAL_FILE);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(first).toHaveLength(1);
    expect(first[0]!.accessKeyId).toMatch(/^AKIA[A-Z0-9]{16}$/);
    expect(first[0]!.accountId).toMatch(/^\d{12}$/);
    const again = loadPrincipals({ principalsFile: undefined, bootstrap: undefined, dataDir: dir }, (p) =>
      announced.push(p.accessKeyId),
    );
    expect(again).toEqual(first);
    expect(announced).toEqual([first[0]!.accessKeyId]);
  });

  it('reads a principals file beside the bootstrap principal, and generates nothing', () => {
    const file = path.join(dir, 'principals.json');
    const alice = {
      accessKeyId: 'AKIAALICEALICEALICE0',
      secretAccessKey: 'alice-secret-alice-secret',
      accountId: '111122223333',
      arn: 'arn:aws:iam::111122223333:user/Alice',
      userName: 'Alice',
    };
    fs.writeFileSync(file, JSON.stringify({ principals: [alice] }));
    const principals = loadPrincipals(
      {
        principalsFile: file,
        bootstrap: {
          accessKeyId: 'AKIABOOTBOOTBOOTBOOT',
          secretAccessKey: 'boot-secret-boot-secret',
          accountId: '444455556666',
        },
        dataDir: dir,
      },
      () => undefined,
    );
    expect(principals).toEqual([
      alice,
      expect.objectContaining({ accessKeyId: 'AKIABOOTBOOTBOOTBOOT', arn: 'arn:aws:iam::444455556666:user/admin' }),
    ]);
    expect(fs.existsSync(path.join(dir, GENERATED_CREDENTIAL_FILE))).toBe(false);
  });

  it('names what is wrong in a principals file, and refuses an access key twice', () => {
    const file = path.join(dir, 'principals.json');
    fs.writeFileSync(
      file,
      JSON.stringify({
        principals: [{ accessKeyId: 'lower', secretAccessKey: 'x', accountId: '12', arn: 'nope', userName: '' }],
      }),
    );
    expect(() => loadPrincipals({ principalsFile: file, bootstrap: undefined, dataDir: dir }, () => undefined)).toThrow(
      /principals\.0\.accessKeyId/,
    );
    const p = {
      accessKeyId: 'AKIADUPLICATEDUPLIC0',
      secretAccessKey: 'dup-secret-dup-secret',
      accountId: '111122223333',
      arn: 'arn:aws:iam::111122223333:user/D',
      userName: 'D',
    };
    fs.writeFileSync(file, JSON.stringify({ principals: [p, p] }));
    expect(() => loadPrincipals({ principalsFile: file, bootstrap: undefined, dataDir: dir }, () => undefined)).toThrow(
      /configured twice/,
    );
  });

  describe('bearer tokens', () => {
    const principal = (name: string, extra: Record<string, unknown>) => ({
      accessKeyId: `AKIA${name.toUpperCase().padEnd(16, 'X')}`,
      secretAccessKey: `${name}-secret-${name}-secret`,
      accountId: '111122223333',
      arn: `arn:aws:iam::111122223333:user/${name}`,
      userName: name,
      ...extra,
    });
    const load = (principals: unknown[]) => {
      const file = path.join(dir, 'principals.json');
      fs.writeFileSync(file, JSON.stringify({ principals }));
      return loadPrincipals({ principalsFile: file, bootstrap: undefined, dataDir: dir }, () => undefined);
    };

    it('reads a token’s SHA-256 in either case, and finds its principal by the token', () => {
      const token = 'a-long-random-token-for-carol-0123456789';
      const [carol, dave] = load([
        principal('carol', { bearerTokenSha256: sha256Hex(token).toUpperCase() }),
        principal('dave', {}),
      ]);
      expect(carol!.bearerTokenSha256).toBe(sha256Hex(token));
      expect(dave!.bearerTokenSha256).toBeUndefined();
      const registry = new PrincipalRegistry([carol!, dave!]);
      expect(registry.findByBearerToken(token)).toBe(carol);
      expect(registry.findByBearerToken(sha256Hex(token))).toBeUndefined();
    });

    it('refuses a token in the clear, a malformed digest, and one token for two principals', () => {
      expect(() => load([principal('erin', { bearerToken: 'in-the-clear' })])).toThrow(
        /principals\.0\.bearerToken: store bearerTokenSha256/,
      );
      expect(() => load([principal('erin', { bearerTokenSha256: 'abc' })])).toThrow(/principals\.0\.bearerTokenSha256/);
      const digest = sha256Hex('shared-token-shared-token-shared');
      expect(() =>
        load([principal('erin', { bearerTokenSha256: digest }), principal('fred', { bearerTokenSha256: digest })]),
      ).toThrow(/same bearer token/);
    });
  });
});
