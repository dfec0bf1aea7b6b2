import { type KeyObject, createECDH, createPublicKey, randomBytes } from 'node:crypto';
import { EC_CURVES } from './key-pairs';

/*
 * ECDSA over a digest the caller already computed (MessageType DIGEST, kms-crypto §3.4): node:crypto
 * only signs messages it hashes itself, so the curve arithmetic is done here with BigInt (FIPS 186-4
 * §6.4). Not constant-time; the signatures are standard DER (r, s) that any verifier accepts.
 */

interface Curve {
  readonly p: bigint;
  readonly a: bigint;
  readonly n: bigint;
  readonly g: Point;
  readonly bytes: number;
}
/** Jacobian coordinates; Z = 0 is the point at infinity. */
type Point = readonly [bigint, bigint, bigint];

const hex = (h: string) => BigInt(`0x${h}`);
const toBig = (bytes: Buffer) => (bytes.length === 0 ? 0n : hex(bytes.toString('hex')));

/** p and n from `openssl ecparam -param_enc explicit`; the generator from OpenSSL itself (1·G). */
const PARAMS: Readonly<Record<string, { p: string; n: string; aIsZero?: true }>> = {
  prime256v1: {
    p: 'ffffffff00000001000000000000000000000000ffffffffffffffffffffffff',
    n: 'ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551',
  },
  secp384r1: {
    p: 'fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffeffffffff0000000000000000ffffffff',
    n: 'ffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973',
  },
  secp521r1: {
    p: '1ff'.padEnd(131, 'f'),
    n: '1fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffa51868783bf2f966b7fcc0148f709a5d03bb5c9b8899c47aebb6fb71e91386409',
  },
  secp256k1: {
    p: 'fffffffffffffffffffffffffffffffffffffffffffffffffffffffefffffc2f',
    n: 'fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141',
    aIsZero: true,
  },
};

const curves = new Map<string, Curve>();

function curveOf(name: string): Curve {
  const known = curves.get(name);
  if (known) return known;
  const { p: ph, n: nh, aIsZero } = PARAMS[name]!;
  const p = hex(ph);
  const bytes = Math.ceil(p.toString(2).length / 8);
  const ecdh = createECDH(name);
  ecdh.setPrivateKey(Buffer.from([1]));
  const g = ecdh.getPublicKey(); // 04 ‖ x ‖ y
  const curve: Curve = {
    p,
    a: aIsZero ? 0n : p - 3n,
    n: hex(nh),
    g: [toBig(g.subarray(1, 1 + bytes)), toBig(g.subarray(1 + bytes)), 1n],
    bytes,
  };
  curves.set(name, curve);
  return curve;
}

const mod = (x: bigint, m: bigint) => ((x % m) + m) % m;

function modPow(base: bigint, exponent: bigint, m: bigint): bigint {
  let result = 1n;
  let b = mod(base, m);
  for (let e = exponent; e > 0n; e >>= 1n) {
    if (e & 1n) result = (result * b) % m;
    b = (b * b) % m;
  }
  return result;
}

/** The inverse modulo a prime (Fermat). */
const inverse = (x: bigint, m: bigint) => modPow(x, m - 2n, m);

function double([x, y, z]: Point, { p, a }: Curve): Point {
  if (z === 0n || y === 0n) return [0n, 1n, 0n];
  const yy = (y * y) % p;
  const s = (4n * x * yy) % p;
  const zz = (z * z) % p;
  const m = mod(3n * x * x + a * zz * zz, p);
  const x3 = mod(m * m - 2n * s, p);
  return [x3, mod(m * (s - x3) - 8n * yy * yy, p), (2n * y * z) % p];
}

function add(first: Point, second: Point, curve: Curve): Point {
  const { p } = curve;
  const [x1, y1, z1] = first;
  const [x2, y2, z2] = second;
  if (z1 === 0n) return second;
  if (z2 === 0n) return first;
  const z1z1 = (z1 * z1) % p;
  const z2z2 = (z2 * z2) % p;
  const u1 = (x1 * z2z2) % p;
  const u2 = (x2 * z1z1) % p;
  const s1 = (y1 * z2 * z2z2) % p;
  const s2 = (y2 * z1 * z1z1) % p;
  if (u1 === u2) return s1 === s2 ? double(first, curve) : [0n, 1n, 0n];
  const h = mod(u2 - u1, p);
  const r = mod(s2 - s1, p);
  const hh = (h * h) % p;
  const hhh = (h * hh) % p;
  const x3 = mod(r * r - hhh - 2n * u1 * hh, p);
  return [x3, mod(r * (u1 * hh - x3) - s1 * hhh, p), (h * z1 * z2) % p];
}

function multiply(k: bigint, point: Point, curve: Curve): Point {
  let result: Point = [0n, 1n, 0n];
  for (let bit = BigInt(k.toString(2).length - 1); bit >= 0n; bit--) {
    result = double(result, curve);
    if ((k >> bit) & 1n) result = add(result, point, curve);
  }
  return result;
}

/** The affine x of a point, or undefined for the point at infinity. */
function affineX([x, , z]: Point, { p }: Curve): bigint | undefined {
  if (z === 0n) return undefined;
  const zInverse = inverse(z, p);
  return (x * zInverse * zInverse) % p;
}

/** The digest as an integer, cut to the bit length of n (FIPS 186-4 §6.4). */
function digestInteger(digest: Buffer, { n }: Curve): bigint {
  const excess = digest.length * 8 - n.toString(2).length;
  return excess > 0 ? toBig(digest) >> BigInt(excess) : toBig(digest);
}

function jwkOf(key: KeyObject): { crv: string; x: bigint; y: bigint; d?: bigint } {
  const jwk = key.export({ format: 'jwk' });
  const big = (b64?: string) => (b64 === undefined ? undefined : toBig(Buffer.from(b64, 'base64url')));
  return { crv: curveNameOf(key), x: big(jwk.x)!, y: big(jwk.y)!, d: big(jwk.d) };
}

function curveNameOf(key: KeyObject): string {
  const name = key.asymmetricKeyDetails?.namedCurve;
  if (name === undefined || !Object.values(EC_CURVES).includes(name)) throw new RangeError('not a served EC key');
  return name;
}

/** An ECDSA signature (DER) of `digest` by an EC private key. */
export function ecdsaSignDigest(privateKey: KeyObject, digest: Buffer): Buffer {
  const { crv, d } = jwkOf(privateKey);
  const curve = curveOf(crv);
  const e = digestInteger(digest, curve);
  for (;;) {
    const k = mod(toBig(randomBytes(curve.bytes + 8)), curve.n - 1n) + 1n;
    const r = mod(affineX(multiply(k, curve.g, curve), curve)!, curve.n);
    const s = mod(inverse(k, curve.n) * (e + r * d!), curve.n);
    if (r !== 0n && s !== 0n) return derSignature(r, s);
  }
}

/** Whether `signature` (DER) is an ECDSA signature of `digest` by the key (public or private). */
export function ecdsaVerifyDigest(key: KeyObject, digest: Buffer, signature: Buffer): boolean {
  const { crv, x, y } = jwkOf(key.type === 'private' ? createPublicKey(key) : key);
  const curve = curveOf(crv);
  const parsed = parseDerSignature(signature);
  if (!parsed) return false;
  const [r, s] = parsed;
  if (r < 1n || r >= curve.n || s < 1n || s >= curve.n) return false;
  const w = inverse(s, curve.n);
  const e = digestInteger(digest, curve);
  const sum = add(
    multiply(mod(e * w, curve.n), curve.g, curve),
    multiply(mod(r * w, curve.n), [x, y, 1n], curve),
    curve,
  );
  const sumX = affineX(sum, curve);
  return sumX !== undefined && mod(sumX, curve.n) === r;
}

function derInteger(value: bigint): Buffer {
  const digits = value.toString(16);
  let body = Buffer.from(digits.length % 2 === 0 ? digits : `0${digits}`, 'hex');
  if (body[0]! & 0x80) body = Buffer.concat([Buffer.from([0]), body]);
  return Buffer.concat([Buffer.from([0x02, body.length]), body]);
}

function derSignature(r: bigint, s: bigint): Buffer {
  const body = Buffer.concat([derInteger(r), derInteger(s)]);
  const length = body.length < 0x80 ? Buffer.from([body.length]) : Buffer.from([0x81, body.length]);
  return Buffer.concat([Buffer.from([0x30]), length, body]);
}

/** (r, s) of a DER Ecdsa-Sig-Value, or undefined when it is not exactly one. */
function parseDerSignature(der: Buffer): [bigint, bigint] | undefined {
  if (der.length < 8 || der[0] !== 0x30) return undefined;
  let at = 2;
  let length = der[1]!;
  if (length === 0x81) [length, at] = [der[2]!, 3];
  if (length !== der.length - at) return undefined;
  const values: bigint[] = [];
  for (let i = 0; i < 2; i++) {
    if (der[at] !== 0x02) return undefined;
    const size = der[at + 1]!;
    if (size === 0 || size >= 0x80 || at + 2 + size > der.length) return undefined;
    values.push(toBig(der.subarray(at + 2, at + 2 + size)));
    at += 2 + size;
  }
  return at === der.length ? [values[0]!, values[1]!] : undefined;
}
