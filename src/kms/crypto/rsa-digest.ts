import {
  type KeyObject,
  constants,
  createHash,
  privateEncrypt,
  publicDecrypt,
  randomBytes,
  timingSafeEqual,
} from 'node:crypto';

/*
 * RSA signatures over a digest the caller already computed (MessageType DIGEST):
 * node:crypto only signs messages it hashes itself, so the encodings of RFC 8017 are built here and
 * only the RSA operation is OpenSSL's. PSS uses a salt as long as the digest, MGF1 with the same hash.
 */

/** The DER DigestInfo prefix of each hash (RFC 8017 §9.2 note 1). */
const DIGEST_INFO: Readonly<Record<string, string>> = {
  sha256: '3031300d060960864801650304020105000420',
  sha384: '3041300d060960864801650304020205000430',
  sha512: '3051300d060960864801650304020305000440',
};

const modulusBits = (key: KeyObject) => key.asymmetricKeyDetails!.modulusLength!;

export function pkcs1SignDigest(privateKey: KeyObject, hash: string, digest: Buffer): Buffer {
  const block = Buffer.concat([Buffer.from(DIGEST_INFO[hash]!, 'hex'), digest]);
  return privateEncrypt({ key: privateKey, padding: constants.RSA_PKCS1_PADDING }, block);
}

export function pkcs1VerifyDigest(key: KeyObject, hash: string, digest: Buffer, signature: Buffer): boolean {
  const expected = Buffer.concat([Buffer.from(DIGEST_INFO[hash]!, 'hex'), digest]);
  const found = rsaOpen(key, constants.RSA_PKCS1_PADDING, signature);
  return found !== undefined && found.length === expected.length && timingSafeEqual(found, expected);
}

export function pssSignDigest(privateKey: KeyObject, hash: string, digest: Buffer): Buffer {
  const bits = modulusBits(privateKey);
  const emBits = bits - 1;
  const emLength = Math.ceil(emBits / 8);
  const salt = randomBytes(digest.length);
  const h = createHash(hash).update(Buffer.alloc(8)).update(digest).update(salt).digest();
  const db = Buffer.alloc(emLength - h.length - 1);
  db[db.length - salt.length - 1] = 0x01;
  salt.copy(db, db.length - salt.length);
  const masked = xor(db, mgf1(hash, h, db.length));
  masked[0]! &= 0xff >> (8 * emLength - emBits);
  const em = Buffer.concat([masked, h, Buffer.from([0xbc])]);
  const block = Buffer.concat([Buffer.alloc(Math.ceil(bits / 8) - emLength), em]);
  return privateEncrypt({ key: privateKey, padding: constants.RSA_NO_PADDING }, block);
}

export function pssVerifyDigest(key: KeyObject, hash: string, digest: Buffer, signature: Buffer): boolean {
  const bits = modulusBits(key);
  const emBits = bits - 1;
  const emLength = Math.ceil(emBits / 8);
  const block = rsaOpen(key, constants.RSA_NO_PADDING, signature);
  if (!block) return false;
  const em = block.subarray(block.length - emLength);
  const hLength = digest.length;
  if (em[em.length - 1] !== 0xbc || (em[0]! & ~(0xff >> (8 * emLength - emBits))) !== 0) return false;
  const h = em.subarray(emLength - hLength - 1, emLength - 1);
  const db = xor(em.subarray(0, emLength - hLength - 1), mgf1(hash, h, emLength - hLength - 1));
  db[0]! &= 0xff >> (8 * emLength - emBits);
  const separator = db.length - hLength - 1;
  if (separator < 0 || db[separator] !== 0x01 || db.subarray(0, separator).some((b) => b !== 0)) return false;
  const salt = db.subarray(separator + 1);
  const expected = createHash(hash).update(Buffer.alloc(8)).update(digest).update(salt).digest();
  return timingSafeEqual(expected, h);
}

/** The block a signature opens to under the public key, or undefined when it does not open. */
function rsaOpen(key: KeyObject, padding: number, signature: Buffer): Buffer | undefined {
  if (signature.length !== Math.ceil(modulusBits(key) / 8)) return undefined;
  try {
    return publicDecrypt({ key, padding }, signature);
  } catch {
    return undefined;
  }
}

function mgf1(hash: string, seed: Buffer, length: number): Buffer {
  const blocks: Buffer[] = [];
  for (let counter = 0; blocks.length * seed.length < length; counter++) {
    const c = Buffer.alloc(4);
    c.writeUInt32BE(counter);
    blocks.push(createHash(hash).update(seed).update(c).digest());
  }
  return Buffer.concat(blocks).subarray(0, length);
}

function xor(a: Buffer, b: Buffer): Buffer {
  return Buffer.from(a.map((byte, i) => byte ^ b[i]!));
}
