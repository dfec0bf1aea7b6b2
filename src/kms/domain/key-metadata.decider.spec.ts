import {
  decidePutKeyPolicy,
  decideTagResource,
  decideUntagResource,
  decideUpdateKeyDescription,
} from './key-metadata.decider';
import { defaultKeyPolicy, policyDocument, prettyJson } from './key-policy';
import type { KmsEvent, Tag } from './kms-events';
import { K1, SCOPE, keyCreated, stateOf, thrown } from './kms-history.fixture';

const KEY_ARN = `arn:aws:kms:us-west-2:111122223333:key/${K1}`;
const tags = (...keys: string[]): Tag[] => keys.map((TagKey) => ({ TagKey, TagValue: `v-${TagKey}` }));
const tagged = (...keys: string[]): KmsEvent => ({
  type: 'KeyTagged',
  data: { ...SCOPE, keyId: K1, tags: tags(...keys) },
});
const pending: KmsEvent = {
  type: 'KeyDeletionScheduled',
  data: { ...SCOPE, keyId: K1, deletionDate: '2026-02-01T00:00:00.000Z', pendingWindowInDays: 30 },
};

describe('the key-metadata deciders', () => {
  it('tags: a key tagged again takes the new value, and the fold keeps them in TagKey byte order', () => {
    const state = stateOf(keyCreated(K1), tagged('b', 'a'), {
      type: 'KeyTagged',
      data: {
        ...SCOPE,
        keyId: K1,
        tags: [
          { TagKey: 'a', TagValue: 'new' },
          { TagKey: 'B', TagValue: '' },
        ],
      },
    });
    expect(state.keys.get(K1)!.tags).toEqual([
      { TagKey: 'B', TagValue: '' },
      { TagKey: 'a', TagValue: 'new' },
      { TagKey: 'b', TagValue: 'v-b' },
    ]);
    const untagged = stateOf(keyCreated(K1), tagged('b', 'a'), {
      type: 'KeyUntagged',
      data: { ...SCOPE, keyId: K1, tagKeys: ['a', 'zz'] },
    });
    expect(untagged.keys.get(K1)!.tags.map((t) => t.TagKey)).toEqual(['b']);
  });

  it('counts the 50-tag limit on the result: re-tagging existing keys fits, a 51st key does not', () => {
    const full = stateOf(keyCreated(K1), tagged(...Array.from({ length: 50 }, (_, i) => `k${i}`)));
    expect(decideTagResource({ keyId: K1, tags: tags('k0', 'k49') }, full, SCOPE)).toHaveLength(1);
    expect(thrown(() => decideTagResource({ keyId: K1, tags: tags('k50') }, full, SCOPE))).toMatchObject({
      code: 'TagException',
      detail: 'Too many tags',
    });
  });

  it('refuses duplicate and reserved tag keys, and tag or description changes while pending deletion', () => {
    const state = stateOf(keyCreated(K1));
    expect(thrown(() => decideTagResource({ keyId: K1, tags: tags('a', 'a') }, state, SCOPE)).detail).toBe(
      'Duplicate tag keys',
    );
    expect(thrown(() => decideUntagResource({ keyId: K1, tagKeys: ['Aws:x'] }, state, SCOPE)).detail).toBe(
      'Tags beginning with aws: are reserved',
    );
    const doomed = stateOf(keyCreated(K1), pending);
    for (const decide of [
      () => decideTagResource({ keyId: K1, tags: tags('a') }, doomed, SCOPE),
      () => decideUntagResource({ keyId: K1, tagKeys: ['a'] }, doomed, SCOPE),
      () => decideUpdateKeyDescription({ keyId: K1, description: 'x' }, doomed, SCOPE),
    ])
      expect(thrown(decide)).toMatchObject({
        code: 'KMSInvalidStateException',
        detail: `${KEY_ARN} is pending deletion.`,
      });
    // The policy changes in every state.
    expect(decidePutKeyPolicy({ keyId: K1, policy: '{"Statement":[]}' }, doomed, SCOPE)[0]).toMatchObject({
      type: 'KeyPolicyPut',
      data: { policy: '{\n  "Statement" : [ ]\n}' },
    });
  });

  it('refuses AWS managed keys', () => {
    const state = stateOf(keyCreated(K1, 'SYMMETRIC_DEFAULT', 'ENCRYPT_DECRYPT', 'AWS'));
    expect(thrown(() => decideUpdateKeyDescription({ keyId: K1, description: 'x' }, state, SCOPE)).code).toBe(
      'NotAuthorizedException',
    );
  });
});

describe('key policies', () => {
  it('pretty-prints as Jackson does, member order kept', () => {
    expect(prettyJson({ b: [1, { c: 'x' }], a: {}, e: [] })).toBe(
      '{\n  "b" : [ 1, {\n    "c" : "x"\n  } ],\n  "a" : { },\n  "e" : [ ]\n}',
    );
  });

  it('checks size before shape, and a policy is an object with a Statement', () => {
    expect(thrown(() => policyDocument(`[${' '.repeat(40_000)}`)).code).toBe('LimitExceededException');
    for (const text of ['[', '[]', 'null', '{"Version":"2012-10-17"}'])
      expect(thrown(() => policyDocument(text)).code).toBe('MalformedPolicyDocumentException');
    expect(policyDocument('{"Statement":[],"Id":"x"}')).toBe('{\n  "Statement" : [ ],\n  "Id" : "x"\n}');
  });

  it('names the account and partition of the caller in the default policy', () => {
    expect(defaultKeyPolicy({ accountId: '123456789012', region: 'us-gov-west-1' })).toContain(
      '"AWS" : "arn:aws-us-gov:iam::123456789012:root"',
    );
  });
});
