import { BearerTokens, bearerLookupKey, bearerTokenOf, sha256Hex, tokenOfLookupKey } from './bearer-tokens';
import { PrincipalRegistry } from './principal.registry';
import type { Principal } from './principal';

const principal = (name: string, token?: string): Principal => ({
  accessKeyId: `AKIA${name.toUpperCase().padEnd(16, '0')}`,
  secretAccessKey: 'secret-secret-secret',
  accountId: '111122223333',
  arn: `arn:aws:iam::111122223333:user/${name}`,
  userName: name,
  bearerTokenSha256: token === undefined ? undefined : sha256Hex(token),
});

describe('bearer tokens', () => {
  it('reads the token of a Bearer authorization header only', () => {
    expect(bearerTokenOf('Bearer abc.DEF-123_~+/=')).toBe('abc.DEF-123_~+/=');
    expect(bearerTokenOf('bearer  tok')).toBe('tok');
    expect(bearerTokenOf('Bearer ')).toBeUndefined();
    expect(bearerTokenOf('Bearer two words')).toBeUndefined();
    expect(bearerTokenOf('AWS4-HMAC-SHA256 Credential=x')).toBeUndefined();
    expect(bearerTokenOf(undefined)).toBeUndefined();
  });

  it('finds the principal whose token hashes to the stored digest, and no other', () => {
    const alice = principal('alice', 'token-of-alice-0123456789');
    const tokens = new BearerTokens([alice, principal('bob', 'token-of-bob-0123456789'), principal('carol')]);
    expect(tokens.find('token-of-alice-0123456789')).toBe(alice);
    expect(tokens.find('token-of-alice-012345678')).toBeUndefined();
    expect(tokens.find(alice.bearerTokenSha256!)).toBeUndefined(); // the digest is not the token
    expect(tokens.find('')).toBeUndefined();
  });

  it('hashes to the hex digest sha256sum prints', () => {
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('looks tokens up through the access-key lookup, under a key no access key id can be', () => {
    const alice = principal('alice', 'token-of-alice-0123456789');
    const registry = new PrincipalRegistry([alice]);
    expect(registry.find(bearerLookupKey('token-of-alice-0123456789'))).toBe(alice);
    expect(registry.find(alice.accessKeyId)).toBe(alice);
    expect(registry.find('token-of-alice-0123456789')).toBeUndefined();
    expect(registry.find(bearerLookupKey(alice.accessKeyId))).toBeUndefined();
    expect(bearerLookupKey('t')).toMatch(/\s/); // SigV4 credentials and access key ids never contain one
    expect(tokenOfLookupKey(alice.accessKeyId)).toBeUndefined();
  });
});
