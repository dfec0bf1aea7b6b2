import { denialOf } from '../authz/authorize';
import { bearerLookupKey, sha256Hex } from './bearer-tokens';
import type { Principal } from './principal';
import { PrincipalRegistry } from './principal.registry';

const alice: Principal = {
  accessKeyId: 'AKIAALICE00000000000',
  secretAccessKey: 'secret-secret-secret',
  accountId: '111122223333',
  arn: 'arn:aws:iam::111122223333:user/alice',
  userName: 'alice',
  bearerTokenSha256: sha256Hex('token-of-alice-0123456789'),
};

describe('PrincipalRegistry', () => {
  it('knows only the configured access keys by default', () => {
    const registry = new PrincipalRegistry([alice]);
    expect(registry.find(alice.accessKeyId)).toBe(alice);
    expect(registry.find('test')).toBeUndefined();
  });

  it('in permissive mode, makes an unchecked IAM user of any other well-formed access key', () => {
    const registry = new PrincipalRegistry([alice], { accountId: '000000000000' });
    expect(registry.find(alice.accessKeyId)).toBe(alice); // still checked: no signatureUnchecked
    expect(registry.find('test')).toMatchObject({
      accessKeyId: 'test',
      secretAccessKey: '',
      accountId: '000000000000',
      arn: 'arn:aws:iam::000000000000:user/permissive/test',
      userName: 'test',
      signatureUnchecked: true,
    });
    // KMS and its account's reads, never the service-wide actions.
    const test = registry.find('test')!;
    expect(denialOf(test, 'kms:Encrypt', ['arn:aws:kms:us-east-1:000000000000:key/x'])).toBeUndefined();
    expect(denialOf(test, 'aliastrail:ReadAudit', ['arn:aws:aliastrail:us-east-1:000000000000:audit'])).toBeUndefined();
    expect(denialOf(test, 'aliastrail:VerifyLedger', ['arn:aws:aliastrail:::ledger'])).toBeDefined();
    expect(denialOf(test, 'aliastrail:Rebuild', ['arn:aws:aliastrail::000000000000:projection/audit'])).toBeDefined();
    for (const odd of ['', 'with space', 'quote"d', 'a/b', 'x'.repeat(129), 'ünïcode'])
      expect(registry.find(odd)).toBeUndefined();
  });

  it('never makes a principal of a bearer token, permissive or not', () => {
    const registry = new PrincipalRegistry([alice], { accountId: '000000000000' });
    expect(registry.find(bearerLookupKey('token-of-alice-0123456789'))).toBe(alice);
    expect(registry.find(bearerLookupKey('made-up-token'))).toBeUndefined();
    expect(registry.findByBearerToken('made-up-token')).toBeUndefined();
  });
});
