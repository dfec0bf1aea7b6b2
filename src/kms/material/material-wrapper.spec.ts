import { randomBytes } from 'node:crypto';
import { MaterialUnavailable } from './material-unavailable';
import { RootKeyWrapper } from './material-wrapper';

const keyArn = 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const otherArn = 'arn:aws:kms:eu-west-1:111122223333:key/0987dcba-09fe-87dc-65ba-ab0987654321';

/** Catches what `work` throws, to look at it. */
function thrown(work: () => unknown): Error {
  try {
    work();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected it to throw');
}

describe('RootKeyWrapper', () => {
  const material = randomBytes(32);
  const wrapper = new RootKeyWrapper(randomBytes(32));
  const context = { keyArn, version: 1 };

  it('unwraps what it wrapped: IV ‖ ciphertext ‖ tag, a fresh IV each time', () => {
    const wrapped = wrapper.wrap(material, context);
    expect(wrapped).toHaveLength(12 + material.length + 16);
    expect(wrapped.includes(material)).toBe(false);
    expect(wrapper.unwrap(wrapped, context)).toEqual(material);
    expect(wrapper.wrap(material, context).subarray(0, 12)).not.toEqual(wrapped.subarray(0, 12));
    expect(wrapper.unwrap(wrapper.wrap(Buffer.alloc(0), context), context)).toEqual(Buffer.alloc(0));
  });

  it('refuses a row copied onto another key or another version', () => {
    const wrapped = wrapper.wrap(material, context);
    expect(() => wrapper.unwrap(wrapped, { keyArn: otherArn, version: 1 })).toThrow(MaterialUnavailable);
    expect(() => wrapper.unwrap(wrapped, { keyArn, version: 2 })).toThrow(MaterialUnavailable);
  });

  it('refuses an altered byte anywhere, a truncated row, and another root key', () => {
    const wrapped = wrapper.wrap(material, context);
    for (let i = 0; i < wrapped.length; i++) {
      const altered = Buffer.from(wrapped);
      altered[i] = altered[i]! ^ 0x01;
      expect(() => wrapper.unwrap(altered, context)).toThrow(MaterialUnavailable);
    }
    expect(() => wrapper.unwrap(wrapped.subarray(0, 27), context)).toThrow(MaterialUnavailable);
    expect(() => new RootKeyWrapper(randomBytes(32)).unwrap(wrapped, context)).toThrow(MaterialUnavailable);
  });

  it('names the key and version in its error, and nothing of the bytes', () => {
    const wrapped = wrapper.wrap(material, context);
    const error = thrown(() => wrapper.unwrap(wrapped, { keyArn, version: 7 })) as MaterialUnavailable;
    expect(error).toBeInstanceOf(MaterialUnavailable);
    expect(error).toMatchObject({ name: 'MaterialUnavailable', keyArn, version: 7 });
    expect(error.cause).toBeUndefined();
    expect(error.message).toBe(
      `the key material of ${keyArn} (version 7) does not unwrap: the root key is not the one it was wrapped under, or its stored row was altered`,
    );
    const text = `${error.message} ${error.stack} ${JSON.stringify(error)}`;
    for (const bytes of [material, wrapped]) {
      expect(text).not.toContain(bytes.toString('hex'));
      expect(text).not.toContain(bytes.toString('base64'));
    }
  });

  it('takes only a 32-byte root key and whole versions from 1', () => {
    expect(() => new RootKeyWrapper(randomBytes(16))).toThrow(RangeError);
    expect(() => wrapper.wrap(material, { keyArn, version: 0 })).toThrow(RangeError);
    expect(() => wrapper.wrap(material, { keyArn, version: 1.5 })).toThrow(RangeError);
  });

  it('keeps its own copy of the root key', () => {
    const rootKey = randomBytes(32);
    const own = new RootKeyWrapper(rootKey);
    const wrapped = own.wrap(material, context);
    rootKey.fill(0);
    expect(own.unwrap(wrapped, context)).toEqual(material);
  });
});
