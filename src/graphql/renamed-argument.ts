import { badInput } from './query-arguments';

/** An argument's name and the value a query gave it (null or undefined: not given). */
export type Given<T> = readonly [name: string, value: T | null | undefined];

/** The `deprecationReason` of an argument renamed to `current`, kept working for one release. */
export const renamedTo = (current: string): string =>
  `Use \`${current}\`, the name every query gives this argument. Removed in the next release.`;

const sameValue = (a: unknown, b: unknown): boolean =>
  a instanceof Date && b instanceof Date ? a.getTime() === b.getTime() : Object.is(a, b);

/**
 * The value of an argument given under its name or under its deprecated old name. Both at once is
 * refused unless they agree: silently preferring one would hide a client's mistake.
 *
 * @example renamed(['aliasName', 'alias/a'], ['name', undefined]) // 'alias/a'
 * @example renamed(['aliasName', 'alias/a'], ['name', 'alias/b']) // throws BAD_USER_INPUT
 */
export function renamed<T>([name, value]: Given<T>, [oldName, oldValue]: Given<T>): T | undefined {
  const [current, old] = [value ?? undefined, oldValue ?? undefined];
  if (current !== undefined && old !== undefined && !sameValue(current, old))
    throw badInput(
      `${name} and ${oldName} are one argument (${oldName} is its deprecated name) and were given different values: give ${name} only.`,
    );
  return current ?? old;
}

/** As `renamed`, for an argument the query needs. */
export function requiredRenamed<T>(given: Given<T>, old: Given<T>): T {
  const value = renamed(given, old);
  if (value === undefined) throw badInput(`${given[0]} is required.`);
  return value;
}
