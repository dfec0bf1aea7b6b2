import { createHash, randomBytes } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Kysely } from 'kysely';
import { KYSELY } from '../../database/database.tokens';
import type { Database } from '../../database/database.types';
import { keyArn, type Scope } from '../domain/identifiers';
import { KmsError } from '../domain/kms-error';
import type { KeyChanged, KeyCreated, KeyMaterialRotated } from '../domain/kms-events';
import { deleteMaterialSql, insertMaterialSql, readMaterial } from '../material/key-material-sql';
import { MaterialUnavailable } from '../material/material-unavailable';
import type { MaterialWrapper } from '../material/material-wrapper';

/** The wrapper of key material at rest (kms.module.ts provides the root key's). */
export const MATERIAL_WRAPPER = Symbol('MATERIAL_WRAPPER');

/** The bytes of secret material a new symmetric or HMAC key gets, by spec. */
const MATERIAL_BYTES: Readonly<Record<string, number>> = {
  SYMMETRIC_DEFAULT: 32,
  HMAC_224: 28,
  HMAC_256: 32,
  HMAC_384: 48,
  HMAC_512: 64,
};

/** Unwrapped material this instance keeps; beyond it, the oldest entry goes. */
const CACHE_ENTRIES = 10_000;

/**
 * Key material (docs/history-model.md#key-material): made when a key is created or rotated, written and
 * destroyed in the same transaction as the event that creates or deletes the key (the writer asks for
 * the statements), read back unwrapped for the crypto calls. Unwrapped material is cached per instance:
 * safe because every call checks the key's state in the current model first, so a disabled or deleted
 * key's cached material is never used, and a version, once written, never changes.
 */
@Injectable()
export class KeyMaterials {
  private readonly logger = new Logger(KeyMaterials.name);
  /** `<key ARN>#<version>` → material, oldest first (a Map keeps insertion order). */
  private readonly cache = new Map<string, Buffer>();
  /** Key ARN → the versions of it cached: forgetting a key costs its versions, not the whole cache. */
  private readonly versionsOf = new Map<string, Set<number>>();

  constructor(
    @Inject(KYSELY) private readonly db: Kysely<Database>,
    @Inject(MATERIAL_WRAPPER) private readonly wrapper: MaterialWrapper,
  ) {}

  /**
   * The statement that stores a new key's first material, or none for a key of origin EXTERNAL
   * (it waits for imported material). An asymmetric key's private key (PKCS#8 DER) is made before
   * the unit runs, by generateDerKeyPair, and handed in as `pregenerated`; symmetric and HMAC
   * material is made here.
   */
  createdWith(key: KeyCreated, pregenerated?: Buffer): string | undefined {
    if (key.origin !== 'AWS_KMS') return undefined;
    const bytes = MATERIAL_BYTES[key.keySpec];
    // An AWS_KMS key without material would be acknowledged and then fail every call: refuse instead.
    if (bytes === undefined && pregenerated === undefined)
      throw new Error(`a ${key.keySpec} key's material must be generated before its unit runs`);
    const material = pregenerated ?? randomBytes(bytes!);
    const wrapped = this.wrapper.wrap(material, { keyArn: keyArn(key, key.keyId), version: 1 });
    // Handed-in material is its owner's to wipe: the unit may run again and wrap it once more.
    if (pregenerated === undefined) material.fill(0);
    return insertMaterialSql({ accountId: key.accountId, region: key.region, keyId: key.keyId, version: 1, wrapped });
  }

  /** The statement that stores the new version a rotation makes current (symmetric keys only rotate). */
  rotatedWith(rotation: KeyMaterialRotated): string {
    const material = randomBytes(MATERIAL_BYTES.SYMMETRIC_DEFAULT!);
    const wrapped = this.wrapper.wrap(material, {
      keyArn: keyArn(rotation, rotation.keyId),
      version: rotation.version,
    });
    material.fill(0);
    const { accountId, region, keyId, version } = rotation;
    return insertMaterialSql({ accountId, region, keyId, version, wrapped });
  }

  /**
   * The statement that destroys every version of a deleted key's material. What this instance holds
   * of it goes now: were the unit to roll back, the next call merely unwraps the material again.
   */
  deletedWith(key: KeyChanged): string {
    this.forget(key, key.keyId);
    return deleteMaterialSql(key.accountId, key.region, key.keyId);
  }

  /**
   * Drops what this instance holds of a key's material once a call finds the key unusable (disabled,
   * pending deletion), so that it does not outlive the key here.
   */
  forgetUnlessEnabled(scope: Scope, key: { readonly key_id: string; readonly key_state: string }): void {
    if (key.key_state !== 'Enabled') this.forget(scope, key.key_id);
  }

  /**
   * Drops what this instance holds of a key's material: the key is unusable or gone (a call found no
   * such key, or a ciphertext's key unreachable). Entries are dropped, not zeroed: a call that already
   * holds one may still be using it (callers get the cached Buffer itself, with no release to count).
   */
  forget(scope: Scope, keyId: string): void {
    const arn = keyArn(scope, keyId);
    for (const version of this.versionsOf.get(arn) ?? []) this.cache.delete(`${arn}#${version}`);
    this.versionsOf.delete(arn);
  }

  /**
   * A version of a key's material, unwrapped (the version a ciphertext names); undefined when the key
   * never had it (above the version its row names, or below 1), which only a forged blob names. A
   * version the key has had whose material is gone, or does not unwrap, is an error naming the key,
   * never a wrong answer (an InvalidCiphertextException would blame the caller's ciphertext).
   */
  async material(
    scope: Scope,
    key: { readonly key_id: string; readonly material_version: number },
    version: number,
  ): Promise<Buffer | undefined> {
    if (version < 1 || version > key.material_version) return undefined;
    return this.unwrapped(scope, key.key_id, version);
  }

  /**
   * The material Encrypt and GenerateDataKey use: the version the key's row of the current model
   * names (kms_keys.material_version, moved by each rotation in the rotation's transaction).
   */
  async current(
    scope: Scope,
    key: { readonly key_id: string; readonly material_version: number },
  ): Promise<{ version: number; material: Buffer }> {
    const version = key.material_version;
    return { version, material: await this.unwrapped(scope, key.key_id, version) };
  }

  /** A version the key has had, unwrapped: from this instance's cache, else from its stored row. */
  private async unwrapped(scope: Scope, keyId: string, wanted: number): Promise<Buffer> {
    const arn = keyArn(scope, keyId);
    const cached = this.cache.get(`${arn}#${wanted}`);
    if (cached) return cached;
    const stored = await readMaterial(this.db, scope.accountId, scope.region, keyId, wanted);
    if (!stored) throw this.missing(scope, keyId, wanted);
    let material: Buffer;
    try {
      material = this.wrapper.unwrap(stored.wrapped, { keyArn: arn, version: wanted });
    } catch (error) {
      if (!(error instanceof MaterialUnavailable)) throw error;
      // An operator must see this (a wrong root key file, an altered row); the message names the key, no bytes.
      this.logger.error(error.message);
      throw new KmsError('KMSInternalException', error.message, 500);
    }
    this.remember(arn, wanted, material);
    return material;
  }

  private remember(arn: string, version: number, material: Buffer): void {
    if (this.cache.size >= CACHE_ENTRIES) {
      const oldest = this.cache.keys().next().value!;
      this.cache.delete(oldest);
      const at = oldest.lastIndexOf('#');
      const [oldArn, oldVersion] = [oldest.slice(0, at), Number(oldest.slice(at + 1))];
      const versions = this.versionsOf.get(oldArn);
      versions?.delete(oldVersion);
      if (versions?.size === 0) this.versionsOf.delete(oldArn);
    }
    this.cache.set(`${arn}#${version}`, material);
    const versions = this.versionsOf.get(arn) ?? new Set<number>();
    this.versionsOf.set(arn, versions.add(version));
  }

  private missing(scope: Scope, keyId: string, wanted: number): KmsError {
    const arn = keyArn(scope, keyId);
    this.logger.error(`the key material of ${arn} (version ${wanted}) is missing`);
    return new KmsError(
      'KMSInternalException',
      `The key material of ${arn} (version ${wanted}) is missing: the database was restored without it, or it was removed.`,
      500,
    );
  }
}

/**
 * KeyMaterialId (docs/kms-behaviour.md#decisions-where-aws-is-ambiguous): 64 lower-case hex naming one
 * version, derived from nothing secret.
 */
export function keyMaterialIdOf(arn: string, version: number): string {
  return createHash('sha256').update(`aliastrail key material ${arn}#${version}`).digest('hex');
}
