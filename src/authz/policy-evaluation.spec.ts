import fc from 'fast-check';
import { policyDocumentSchema } from '../auth/policy-document';
import { evaluate, wildcardMatches } from './policy-evaluation';

const ALIAS = 'arn:aws:kms:us-east-1:111122223333:alias/finance-project';
const KEY = 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const policy = (...Statement: unknown[]) => policyDocumentSchema.parse({ Version: '2012-10-17', Statement });

describe('IAM policy evaluation', () => {
  it('allows what an Allow names, with wildcards in actions and resources', () => {
    const p = [
      policy({ Effect: 'Allow', Action: 'kms:*Alias', Resource: 'arn:aws:kms:us-east-1:111122223333:alias/*' }),
    ];
    expect(evaluate(p, 'kms:CreateAlias', ALIAS)).toBe('Allow');
    expect(evaluate(p, 'kms:UpdateAlias', ALIAS)).toBe('Allow');
    expect(evaluate(p, 'kms:ListAliases', ALIAS)).toBe('ImplicitDeny'); // *Alias does not match …Aliases
    expect(evaluate(p, 'kms:CreateAlias', KEY)).toBe('ImplicitDeny');
  });

  it('denies by default, and an explicit Deny wins over any Allow', () => {
    expect(evaluate([], 'kms:CreateAlias', ALIAS)).toBe('ImplicitDeny');
    const p = [
      policy({ Effect: 'Allow', Action: '*', Resource: '*' }),
      policy({ Effect: 'Deny', Action: ['kms:DeleteAlias'], Resource: ALIAS }),
    ];
    expect(evaluate(p, 'kms:DeleteAlias', ALIAS)).toBe('ExplicitDeny');
    expect(evaluate(p, 'kms:DeleteAlias', `${ALIAS}-2`)).toBe('Allow');
  });

  it('matches actions case-insensitively and resources case-sensitively, ? as one character', () => {
    const p = [
      policy({
        Effect: 'Allow',
        Action: 'KMS:createalias',
        Resource: 'arn:aws:kms:us-east-1:111122223333:alias/finance-projec?',
      }),
    ];
    expect(evaluate(p, 'kms:CreateAlias', ALIAS)).toBe('Allow');
    expect(evaluate(p, 'kms:CreateAlias', ALIAS.replace('finance', 'Finance'))).toBe('ImplicitDeny');
    expect(evaluate(p, 'kms:CreateAlias', `${ALIAS}s`)).toBe('ImplicitDeny');
  });

  it('understands NotAction and NotResource', () => {
    const p = [policy({ Effect: 'Allow', NotAction: 'kms:Delete*', NotResource: KEY })];
    expect(evaluate(p, 'kms:CreateAlias', ALIAS)).toBe('Allow');
    expect(evaluate(p, 'kms:DeleteAlias', ALIAS)).toBe('ImplicitDeny');
    expect(evaluate(p, 'kms:CreateAlias', KEY)).toBe('ImplicitDeny');
  });

  it('refuses documents it cannot evaluate faithfully rather than guess', () => {
    const parse = (statement: unknown) => policyDocumentSchema.safeParse({ Statement: [statement] }).success;
    expect(
      parse({ Effect: 'Allow', Action: '*', Resource: '*', Condition: { Bool: { 'aws:SecureTransport': 'true' } } }),
    ).toBe(false);
    expect(parse({ Effect: 'Allow', Action: '*' })).toBe(false);
    expect(parse({ Effect: 'Allow', Action: '*', NotAction: 'kms:x', Resource: '*' })).toBe(false);
    expect(parse({ Effect: 'allow', Action: '*', Resource: '*' })).toBe(false);
  });

  it('treats regular-expression characters in patterns literally', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 20 }), (text) => {
        const literal = text.replace(/[*?]/g, '');
        expect(wildcardMatches(literal, literal, false)).toBe(true);
        expect(wildcardMatches(literal, `${literal}x`, false)).toBe(false);
        expect(wildcardMatches(`${literal}*`, `${literal}anything`, false)).toBe(true);
      }),
    );
  });
});
