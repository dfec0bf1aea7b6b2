import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { MaterialUnavailable } from './material-unavailable';
import { ROOT_KEY_BYTES } from './root-key';

/*
 * Wrapping sits behind this interface so that a production deployment can wrap material with an
 * external KMS or HSM instead of a root key file (docs/history-model.md#key-material); callers and the
 * stored rows only see opaque wrapped bytes.
 */

/** What a wrapped row is bound to: unwrapping it under any other key or version fails. */
export interface WrapContext {
  readonly keyArn: string;
  readonly version: number;
}

export interface MaterialWrapper {
  wrap(material: Buffer, context: WrapContext): Buffer;
  /** @throws MaterialUnavailable when the bytes were not wrapped by this wrapper for this context. */
  unwrap(wrapped: Buffer, context: WrapContext): Buffer;
}

const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * AES-256-GCM under the root key: IV (12 random bytes) ‖ ciphertext ‖ tag (16 bytes), with
 * `${keyArn}#${version}` as additional data, so a row copied onto another key or version fails to
 * unwrap instead of lending its material.
 *
 * @example
 * const wrapper = new RootKeyWrapper(loadOrCreateRootKey(config.rootKeyFile));
 * const wrapped = wrapper.wrap(material, { keyArn, version: 1 });
 * wrapper.unwrap(wrapped, { keyArn, version: 1 }).equals(material); // true
 */
export class RootKeyWrapper implements MaterialWrapper {
  readonly #rootKey: Buffer;

  constructor(rootKey: Buffer) {
    if (rootKey.length !== ROOT_KEY_BYTES) throw new RangeError(`a root key is ${ROOT_KEY_BYTES} bytes`);
    this.#rootKey = Buffer.from(rootKey); // a copy: the caller's buffer may be reused or wiped
  }

  wrap(material: Buffer, context: WrapContext): Buffer {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.#rootKey, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(additionalData(context));
    const ciphertext = Buffer.concat([cipher.update(material), cipher.final()]);
    return Buffer.concat([iv, ciphertext, cipher.getAuthTag()]);
  }

  unwrap(wrapped: Buffer, context: WrapContext): Buffer {
    const aad = additionalData(context);
    if (wrapped.length < IV_BYTES + TAG_BYTES) throw new MaterialUnavailable(context.keyArn, context.version);
    const iv = wrapped.subarray(0, IV_BYTES);
    const tag = wrapped.subarray(wrapped.length - TAG_BYTES);
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.#rootKey, iv, { authTagLength: TAG_BYTES });
      decipher.setAAD(aad);
      decipher.setAuthTag(tag);
      return Buffer.concat([decipher.update(wrapped.subarray(IV_BYTES, wrapped.length - TAG_BYTES)), decipher.final()]);
    } catch {
      // No cause attached: nothing about the bytes may travel with the error.
      throw new MaterialUnavailable(context.keyArn, context.version);
    }
  }
}

/** The version is the digits after the last `#`, so no two contexts share these bytes. */
function additionalData({ keyArn, version }: WrapContext): Buffer {
  if (!Number.isSafeInteger(version) || version < 1)
    throw new RangeError(`a material version is a whole number from 1, not ${version}`);
  return Buffer.from(`${keyArn}#${version}`, 'utf8');
}
