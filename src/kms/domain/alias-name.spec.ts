import { checkAliasName } from './alias-name';
import type { KmsError } from './kms-error';

const failure = (name: string) => {
  try {
    checkAliasName(name);
  } catch (e) {
    return [(e as KmsError).code, (e as KmsError).detail];
  }
  return undefined;
};

describe('checkAliasName', () => {
  it('accepts names AWS accepts', () => {
    for (const name of ['alias/x', 'alias/aws', 'alias/awsfoo', 'alias/a/b_c-d', 'alias//x', 'alias/x/'])
      expect(failure(name)).toBeUndefined();
  });

  it('refuses a missing prefix with the AWS message', () => {
    expect(failure('example')).toEqual([
      'ValidationException',
      'Alias must start with the prefix "alias/". Please see https://docs.aws.amazon.com/kms/latest/developerguide/kms-alias.html',
    ]);
    expect(failure('arn:aws:kms:us-west-2:111122223333:alias/x')![0]).toBe('ValidationException');
  });

  it('refuses a colon', () => {
    expect(failure('alias/Service:Test')).toEqual([
      'ValidationException',
      'alias/Service:Test contains invalid characters for an alias',
    ]);
  });

  it('refuses the reserved prefix with a bare NotAuthorizedException, case-sensitively', () => {
    expect(failure('alias/aws/s3')).toEqual(['NotAuthorizedException', undefined]);
    expect(failure('alias/aws/anything')).toEqual(['NotAuthorizedException', undefined]);
    expect(failure('alias/AWS/s3')).toBeUndefined();
  });

  it('refuses an empty name after the prefix', () => {
    expect(failure('alias/')![0]).toBe('InvalidAliasNameException');
  });
});
