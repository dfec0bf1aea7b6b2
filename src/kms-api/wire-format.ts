import { type Scope, keyArn } from '../kms/identifiers';
import { type KeySpec, type KeyUsage, algorithmsOf } from '../kms/key-spec';
import { KmsError } from '../kms/kms-error';
import type { KeyRow } from '../kms-store/kms-reader';

/** A DateType on the wire: epoch seconds as a JSON number, milliseconds at most (spec §2.2). */
export const epochSeconds = (date: Date) => Math.round(date.getTime()) / 1000;

/** KeyMetadata of CreateKey and DescribeKey (spec §8.2): absent members are left out, never null. */
export function keyMetadata(scope: Scope, key: KeyRow): Record<string, unknown> {
  return {
    AWSAccountId: scope.accountId,
    KeyId: key.key_id,
    Arn: keyArn(scope, key.key_id),
    CreationDate: epochSeconds(key.creation_date),
    Enabled: key.key_state === 'Enabled',
    Description: key.description,
    KeyUsage: key.key_usage,
    KeyState: key.key_state,
    ...(key.deletion_date ? { DeletionDate: epochSeconds(key.deletion_date) } : {}),
    Origin: key.origin,
    KeyManager: key.key_manager,
    CustomerMasterKeySpec: key.key_spec,
    KeySpec: key.key_spec,
    ...algorithmsOf(key.key_spec as KeySpec, key.key_usage as KeyUsage),
    MultiRegion: false,
  };
}

/** Opaque, URL-safe pagination markers: base64url JSON of the last item returned. */
export function encodeMarker(last: string): string {
  return Buffer.from(JSON.stringify({ after: last }), 'utf8').toString('base64url');
}

export function decodeMarker(marker: string): string {
  try {
    const decoded: unknown = JSON.parse(Buffer.from(marker, 'base64url').toString('utf8'));
    const after = (decoded as { after?: unknown }).after;
    if (typeof after === 'string' && encodeMarker(after) === marker) return after;
  } catch {
    // falls through to the error below
  }
  throw new KmsError('InvalidMarkerException', 'Invalid marker');
}
