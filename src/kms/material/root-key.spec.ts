import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { RootKeyError, loadOrCreateRootKey } from './root-key';

describe('loadOrCreateRootKey', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'root-key-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('creates a 0600 file of 32 random bytes on first start, in a 0700 directory, and reuses it after', () => {
    const file = path.join(dir, 'keys', 'root-key.bin');
    const key = loadOrCreateRootKey(file);
    expect(key).toHaveLength(32);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.statSync(path.dirname(file)).mode & 0o777).toBe(0o700);
    expect(fs.readFileSync(file)).toEqual(key);
    expect(loadOrCreateRootKey(file)).toEqual(key);
    expect(fs.readdirSync(path.dirname(file))).toEqual(['root-key.bin']); // no temporary file left
  });

  it('refuses a file of the wrong size, naming the file and not its contents', () => {
    const file = path.join(dir, 'root-key.bin');
    fs.writeFileSync(file, 'sixteen-secret!!');
    const attempt = () => loadOrCreateRootKey(file);
    expect(attempt).toThrow(RootKeyError);
    expect(attempt).toThrow(`the root key ${file} holds 16 bytes, not 32`);
    expect(attempt).not.toThrow(/secret/);
    fs.writeFileSync(file, Buffer.alloc(33));
    expect(attempt).toThrow(/holds 33 bytes/);
    expect(fs.readFileSync(file)).toHaveLength(33); // left as it was, not replaced
  });

  it('does not create one when told not to: the material already stored would not unwrap', () => {
    const file = path.join(dir, 'root-key.bin');
    expect(() => loadOrCreateRootKey(file, { create: false })).toThrow(
      new RootKeyError(
        `the root key ${file} does not exist, and the database holds key material wrapped under a root key: restore that file, or point ALIASTRAIL_ROOT_KEY_FILE at it`,
      ),
    );
    expect(fs.existsSync(file)).toBe(false);
    const key = loadOrCreateRootKey(file);
    expect(loadOrCreateRootKey(file, { create: false })).toEqual(key);
  });

  it('reports an unreadable path by its errno, naming the file', () => {
    expect(() => loadOrCreateRootKey(dir)).toThrow(`the root key ${dir} cannot be read (EISDIR)`);
  });
});
