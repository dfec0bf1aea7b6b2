/**
 * A key's stored material does not unwrap: the root key is not the one it was wrapped under, or the
 * row was altered or copied from another key or version. Names the key and version, never any bytes.
 */
export class MaterialUnavailable extends Error {
  override readonly name = 'MaterialUnavailable';

  constructor(
    readonly keyArn: string,
    readonly version: number,
  ) {
    super(
      `the key material of ${keyArn} (version ${version}) does not unwrap: the root key is not the one it was wrapped under, or its stored row was altered`,
    );
  }
}
