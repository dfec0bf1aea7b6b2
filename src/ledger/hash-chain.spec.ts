import { createHash } from 'node:crypto';
import { GENESIS_HASH, entryHash, eventHash } from './hash-chain';

describe('the hash chain', () => {
  it('hashes an event as SHA-256 of its canonical text (UTF-8)', () => {
    expect(eventHash('{"a":"€"}')).toBe(createHash('sha256').update(Buffer.from('{"a":"€"}', 'utf8')).digest('hex'));
  });

  it('chains SHA-256 over the raw bytes of the previous hash and the event hash', () => {
    const event = eventHash('{}');
    const expected = createHash('sha256').update(Buffer.alloc(32)).update(Buffer.from(event, 'hex')).digest('hex');
    expect(entryHash(GENESIS_HASH, event)).toBe(expected);
    expect(entryHash(expected, event)).not.toBe(expected);
  });
});
