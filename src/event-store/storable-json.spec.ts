import fc from 'fast-check';
import { storableJson } from './append-sql';

describe('storableJson', () => {
  it('stores U+0000, which jsonb cannot hold, as U+FFFD, and leaves the literal text \\u0000 alone', () => {
    expect(JSON.parse(storableJson({ AliasName: 'alias/x\u0000y' }))).toEqual({ AliasName: 'alias/x\ufffdy' });
    expect(JSON.parse(storableJson({ text: '\\u0000' }))).toEqual({ text: '\\u0000' });
    expect(JSON.parse(storableJson({ text: '\\\u0000' }))).toEqual({ text: '\\\ufffd' });
  });

  it('changes nothing else', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const stored = JSON.parse(storableJson(value));
        const expected = JSON.parse(
          JSON.stringify(value, (_k, v) => (typeof v === 'string' ? v.replaceAll('\u0000', '\ufffd') : v)),
        );
        expect(stored).toEqual(expected);
      }),
    );
  });
});
