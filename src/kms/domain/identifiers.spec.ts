import { aliasArn, keyArn, parseKeyReference, parseTargetKeyId } from './identifiers';
import type { KmsError } from './kms-error';

const scope = { accountId: '111122223333', region: 'us-west-2' };
const K = '1234abcd-12ab-34cd-56ef-1234567890ab';
const failure = (run: () => unknown) => {
  try {
    run();
  } catch (e) {
    return [(e as KmsError).code, (e as KmsError).detail];
  }
  return undefined;
};

describe('identifiers', () => {
  it('builds ARNs with the partition of the Region', () => {
    expect(keyArn(scope, K)).toBe(`arn:aws:kms:us-west-2:111122223333:key/${K}`);
    expect(aliasArn({ ...scope, region: 'cn-north-1' }, 'alias/x')).toBe(
      'arn:aws-cn:kms:cn-north-1:111122223333:alias/x',
    );
  });

  it('reads key ids, key ARNs, alias names and alias ARNs', () => {
    expect(parseKeyReference(K, scope)).toEqual({ kind: 'key', keyId: K });
    expect(parseKeyReference('mrk-1234abcd12ab34cd56ef1234567890ab', scope)).toEqual({
      kind: 'key',
      keyId: 'mrk-1234abcd12ab34cd56ef1234567890ab',
    });
    expect(parseKeyReference(keyArn(scope, K), scope)).toEqual({ kind: 'key', keyId: K });
    expect(parseKeyReference('alias/x', scope)).toEqual({ kind: 'alias', aliasName: 'alias/x' });
    expect(parseKeyReference(aliasArn(scope, 'alias/a/b'), scope)).toEqual({ kind: 'alias', aliasName: 'alias/a/b' });
  });

  it.each([
    ['fake-key-id', ['NotFoundException', "Invalid keyId 'fake-key-id'"]],
    ['134f2428cec14b25a1ae9048164dba47', ['NotFoundException', "Invalid keyId '134f2428cec14b25a1ae9048164dba47'"]],
    ['mrk-fake-key-id', ['NotFoundException', "Invalid keyId 'mrk-fake-key-id'"]],
    [K.toUpperCase(), ['NotFoundException', `Invalid keyId '${K.toUpperCase()}'`]],
    [`arn:aws:kms:us-east-1:111122223333:key/${K}`, ['NotFoundException', 'Invalid arn us-east-1']],
    [
      `arn:aws:kms:us-west-2:999999999999:key/${K}`,
      ['NotFoundException', `Key 'arn:aws:kms:us-west-2:999999999999:key/${K}' does not exist`],
    ],
  ])('refuses %s as AWS does', (value, expected) => {
    expect(failure(() => parseKeyReference(value, scope))).toEqual(expected);
  });

  it('refuses aliases as TargetKeyId, whether or not they exist', () => {
    for (const value of ['alias/x', aliasArn(scope, 'alias/x'), 'arn:aws:kms:us-east-1:111122223333:alias/x']) {
      expect(failure(() => parseTargetKeyId(value, scope))).toEqual([
        'ValidationException',
        'Aliases must refer to keys. Not aliases',
      ]);
    }
    expect(parseTargetKeyId(keyArn(scope, K), scope)).toBe(K);
  });
});
