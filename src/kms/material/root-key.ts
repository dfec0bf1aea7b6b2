import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** AES-256: the root key is exactly this many raw bytes. */
export const ROOT_KEY_BYTES = 32;

/** The root key file is missing, unreadable or not a root key; the message names the file, never its bytes. */
export class RootKeyError extends Error {
  override readonly name = 'RootKeyError';
}

/**
 * Reads the root key that wraps every key's material from `file`, or, when the file does not exist
 * and `create` allows it (the default), generates 32 random bytes there (mode 0600, in a directory
 * made 0700). Pass `create: false` once the database holds wrapped material: a new root key would
 * leave all of it unreadable, so a missing file must stop start-up instead. Several processes
 * starting at once agree on one key, as with the ledger's signing key (src/ledger/signing-key.ts).
 *
 * @example const wrapper = new RootKeyWrapper(loadOrCreateRootKey(config.rootKeyFile));
 */
export function loadOrCreateRootKey(file: string, options: { create?: boolean } = {}): Buffer {
  if (!fs.existsSync(file)) {
    if (options.create === false)
      throw new RootKeyError(
        `the root key ${file} does not exist, and the database holds key material wrapped under a root key: restore that file, or point ALIASTRAIL_ROOT_KEY_FILE at it`,
      );
    generateInto(file);
  }
  return readRootKey(file);
}

function readRootKey(file: string): Buffer {
  let key: Buffer;
  try {
    key = fs.readFileSync(file);
  } catch (error) {
    // The errno code only: Node's messages name the file, which we do ourselves.
    throw new RootKeyError(`the root key ${file} cannot be read (${(error as NodeJS.ErrnoException).code})`);
  }
  if (key.length !== ROOT_KEY_BYTES)
    throw new RootKeyError(
      `the root key ${file} holds ${key.length} bytes, not ${ROOT_KEY_BYTES}: it is not a root key; restore the right file, or point ALIASTRAIL_ROOT_KEY_FILE at it`,
    );
  return key;
}

/**
 * Writes the new key to a temporary file (0600, never over an existing one) and links it into place,
 * which fails if another process got there first: then theirs is the key.
 */
function generateInto(file: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const temporary = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  fs.writeFileSync(temporary, randomBytes(ROOT_KEY_BYTES), { mode: 0o600, flag: 'wx' });
  try {
    fs.linkSync(temporary, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    fs.rmSync(temporary, { force: true });
  }
}
