import type { Target } from './alias.decider';
import { type Scope, parseTargetKeyId } from './identifiers';
import { KmsError } from './kms-error';

/** Parses TargetKeyId, keeping a parse error to report in AWS's order (after the duplicate check). */
export function parseTarget(value: string, scope: Scope): Target {
  try {
    return { keyId: parseTargetKeyId(value, scope) };
  } catch (error) {
    if (error instanceof KmsError) return { error };
    throw error;
  }
}

/** The key a parsed target names, as a list: none when it did not parse. */
export const targetKeyIds = (target: Target): string[] => ('keyId' in target ? [target.keyId] : []);
