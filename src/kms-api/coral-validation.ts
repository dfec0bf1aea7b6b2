import { KmsError } from '../kms/domain/kms-error';

/**
 * A member of an operation's input, with the constraints of the service model
 * (docs/kms-behaviour.md#answers-and-errors).
 */
export type Member =
  | {
      kind: 'string';
      required?: boolean;
      min?: number;
      max?: number;
      pattern?: string;
      enum?: readonly string[];
      /** A secret (a grant token): messages never show the value, as for blobs. */
      sensitive?: boolean;
    }
  | { kind: 'integer'; required?: boolean; minValue?: number; maxValue?: number }
  | { kind: 'boolean'; required?: boolean }
  /** `min`/`max` count the items; `member` constrains each (path `<list>.<n>.member`). */
  | { kind: 'stringList'; required?: boolean; min?: number; max?: number; member?: StringMember }
  | { kind: 'structureList'; required?: boolean; max?: number; member: Shape }
  | { kind: 'structure'; required?: boolean; member: Shape }
  /**
   * Bytes, base64 in JSON; lengths count the decoded bytes, and messages never show the value.
   * `required` may depend on the other members (a ciphertext a DryRun with IGNORE_CIPHERTEXT skips).
   */
  | { kind: 'blob'; required?: boolean | RequiredWhen; min?: number; max?: number }
  /** A JSON object of strings (EncryptionContext). */
  | { kind: 'stringMap'; required?: boolean };

export type Shape = Readonly<Record<string, Member>>;
/** Whether a member is required, given the whole input as it came (any JSON: not yet validated). */
export type RequiredWhen = (input: Readonly<Record<string, unknown>>) => boolean;
type StringMember = Omit<Extract<Member, { kind: 'string' }>, 'required'>;

/** The TypeScript type of a member that passed validation. */
type ValueOf<M extends Member> = M extends { kind: 'string'; enum: readonly (infer E)[] }
  ? E
  : M extends { kind: 'string' }
    ? string
    : M extends { kind: 'integer' }
      ? number
      : M extends { kind: 'boolean' }
        ? boolean
        : M extends { kind: 'stringList' }
          ? string[]
          : M extends { kind: 'structureList'; member: infer S extends Shape }
            ? InputOf<S>[]
            : M extends { kind: 'structure'; member: infer S extends Shape }
              ? InputOf<S>
              : M extends { kind: 'blob' }
                ? Buffer
                : M extends { kind: 'stringMap' }
                  ? Readonly<Record<string, string>>
                  : never;

/** What validateInput returns for `S`: required members present, the others optional (null ones left out). */
export type InputOf<S extends Shape> = {
  readonly [K in keyof S as S[K] extends { required: true } ? K : never]: ValueOf<S[K]>;
} & { readonly [K in keyof S as S[K] extends { required: true } ? never : K]?: ValueOf<S[K]> };

const serialization = (message: string) => new KmsError('SerializationException', message);
const lowerCamel = (name: string) => name.charAt(0).toLowerCase() + name.slice(1);

/**
 * Checks a parsed JSON body against an operation's shape the way AWS's framework ("coral") does:
 * a value of the wrong JSON type is a SerializationException; every broken constraint is listed in
 * one ValidationException, "N validation errors detected: Value 'v' at 'path' failed to satisfy
 * constraint: …". Members the shape does not know are ignored, as AWS does, and members sent as null
 * are left out of what it returns.
 */
export function validateInput<S extends Shape>(
  input: unknown,
  shape: S,
): InputOf<S> & Readonly<Record<string, unknown>> {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw serialization('Start of structure or map found where not expected.');
  }
  const violations: string[] = [];
  // Blobs are decoded once, while checked; the top level is the only place a shape has them.
  const decoded = new Map<string, Buffer>();
  checkShape(input as Record<string, unknown>, shape, '', violations, decoded);
  if (violations.length > 0) {
    const count = violations.length;
    throw new KmsError(
      'ValidationException',
      `${count} validation error${count > 1 ? 's' : ''} detected: ${violations.join('; ')}`,
    );
  }
  // A member sent as null is absent, as AWS reads it: no handler sees a null where it expects a value.
  // Members the shape does not know are ignored by AWS, so they never reach a handler either.
  // Blobs arrive decoded. The checks above are what make this cast true.
  return Object.fromEntries(
    Object.entries(input as Record<string, unknown>)
      .filter(([name, value]) => Object.hasOwn(shape, name) && value !== null)
      .map(([name, value]) => [name, decoded.get(name) ?? value]),
  ) as InputOf<S> & Readonly<Record<string, unknown>>;
}

function checkShape(
  input: Record<string, unknown>,
  shape: Shape,
  prefix: string,
  violations: string[],
  decoded?: Map<string, Buffer>,
): void {
  for (const [name, member] of Object.entries(shape)) {
    const path = `${prefix}${lowerCamel(name)}`;
    const value = input[name];
    if (value === undefined || value === null) {
      const required = typeof member.required === 'function' ? member.required(input) : member.required;
      if (required) violations.push(`Value null at '${path}' failed to satisfy constraint: Member must not be null`);
      continue;
    }
    checkMember(name, value, member, path, violations, decoded);
  }
}

function checkMember(
  name: string,
  value: unknown,
  member: Member,
  path: string,
  violations: string[],
  decoded?: Map<string, Buffer>,
): void {
  const fail = (shown: string, constraint: string) =>
    violations.push(`Value ${shown} at '${path}' failed to satisfy constraint: ${constraint}`);
  switch (member.kind) {
    case 'string': {
      if (typeof value !== 'string')
        throw serialization(`Unexpected value type for member ${name}: expected a string.`);
      checkString(value, member, path, violations);
      return;
    }
    case 'integer': {
      if (typeof value !== 'number' || !Number.isFinite(value))
        throw serialization(`Unexpected value type for member ${name}: expected a number.`);
      if (!Number.isInteger(value))
        throw serialization(`Unexpected value type for member ${name}: expected an integer.`);
      if (member.maxValue !== undefined && value > member.maxValue)
        fail(`'${value}'`, `Member must have value less than or equal to ${member.maxValue}`);
      if (member.minValue !== undefined && value < member.minValue)
        fail(`'${value}'`, `Member must have value greater than or equal to ${member.minValue}`);
      return;
    }
    case 'boolean':
      if (typeof value !== 'boolean')
        throw serialization(`Unexpected value type for member ${name}: expected a boolean.`);
      return;
    case 'stringList': {
      if (!Array.isArray(value) || value.some((item) => typeof item !== 'string')) {
        throw serialization(`Unexpected value type for member ${name}: expected a list of strings.`);
      }
      const items = value as string[];
      const shown = member.member?.sensitive ? '' : ` '[${items.join(', ')}]'`;
      if (member.max !== undefined && items.length > member.max)
        violations.push(
          `Value${shown} at '${path}' failed to satisfy constraint: Member must have length less than or equal to ${member.max}`,
        );
      if (member.min !== undefined && items.length < member.min)
        violations.push(
          `Value${shown} at '${path}' failed to satisfy constraint: Member must have length greater than or equal to ${member.min}`,
        );
      const each = member.member;
      if (each) items.forEach((item, index) => checkString(item, each, `${path}.${index + 1}.member`, violations));
      return;
    }
    case 'structure':
      if (typeof value !== 'object' || value === null || Array.isArray(value))
        throw serialization(`Unexpected value type for member ${name}: expected a structure.`);
      checkShape(value as Record<string, unknown>, member.member, `${path}.`, violations);
      return;
    case 'blob': {
      // Sensitive: the value is never repeated ("Value at 'plaintext'").
      const bytes = decodeBlob(name, value);
      decoded?.set(name, bytes);
      const length = bytes.length;
      if (member.max !== undefined && length > member.max)
        violations.push(
          `Value at '${path}' failed to satisfy constraint: Member must have length less than or equal to ${member.max}`,
        );
      if (member.min !== undefined && length < member.min)
        violations.push(
          `Value at '${path}' failed to satisfy constraint: Member must have length greater than or equal to ${member.min}`,
        );
      return;
    }
    case 'stringMap':
      if (typeof value !== 'object' || value === null || Array.isArray(value))
        throw serialization(`Unexpected value type for member ${name}: expected a map.`);
      if (Object.values(value).some((item) => typeof item !== 'string'))
        throw serialization(`Unexpected value type for member ${name}: expected a map of strings.`);
      return;
    case 'structureList': {
      if (!Array.isArray(value)) throw serialization(`Unexpected value type for member ${name}: expected a list.`);
      value.forEach((item, index) => {
        if (typeof item !== 'object' || item === null || Array.isArray(item)) {
          throw serialization(`Unexpected value type for member ${name}: expected a list of structures.`);
        }
        checkShape(item as Record<string, unknown>, member.member, `${path}.${index + 1}.member.`, violations);
      });
      return;
    }
  }
}

function checkString(value: string, member: StringMember, path: string, violations: string[]): void {
  // A secret is never repeated, in messages as in records, so its messages read "Value at '…'".
  const shown = member.sensitive ? '' : ` '${value}'`;
  const fail = (constraint: string) =>
    violations.push(`Value${shown} at '${path}' failed to satisfy constraint: ${constraint}`);
  if (member.enum && !member.enum.includes(value))
    fail(`Member must satisfy enum value set: [${member.enum.join(', ')}]`);
  const length = [...value].length;
  if (member.max !== undefined && length > member.max)
    fail(`Member must have length less than or equal to ${member.max}`);
  if (member.min !== undefined && length < member.min)
    fail(`Member must have length greater than or equal to ${member.min}`);
  if (member.pattern && !patternOf(member.pattern).test(value))
    fail(`Member must satisfy regular expression pattern: ${member.pattern}`);
}

/** Each member pattern compiled once: a call checks several, and compiling was a cost of every call. */
const patterns = new Map<string, RegExp>();
function patternOf(pattern: string): RegExp {
  let compiled = patterns.get(pattern);
  if (!compiled) patterns.set(pattern, (compiled = new RegExp(pattern, 'u')));
  return compiled;
}

/**
 * Canonical base64 is whole groups of four, the last possibly ending in `=` or `==`: with the
 * length a multiple of four, that is the alphabet then at most two `=`. Checked so rather than by
 * one pattern of groups, which took several times as long on a 1 KB plaintext.
 */
const BASE64_TEXT = /^[A-Za-z0-9+/]*={0,2}$/;
const isBase64 = (value: string) => value.length % 4 === 0 && BASE64_TEXT.test(value);

/** A blob member's bytes; anything but canonical base64 text is a SerializationException, as the SDKs' framework answers. */
function decodeBlob(name: string, value: unknown): Buffer {
  if (typeof value !== 'string' || !isBase64(value))
    throw serialization(`Unexpected value type for member ${name}: expected base64-encoded bytes.`);
  return Buffer.from(value, 'base64');
}
