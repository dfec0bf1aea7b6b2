import { KmsError } from '../kms/domain/kms-error';
import { MAX_JSON_DEPTH } from '../event-store/json-depth-limit';
import { nestsDeeperThan } from './json-nesting';

/**
 * An AWS JSON 1.1 body; an empty one is `{}` (botocore sends `{}`, others send nothing). A body
 * nesting deeper than MAX_JSON_DEPTH is refused as a SerializationException before it is parsed.
 */
export function parseAwsJson(body: Buffer): unknown {
  const text = body.toString('utf8').trim();
  if (text === '') return {};
  if (nestsDeeperThan(text, MAX_JSON_DEPTH)) {
    throw new KmsError('SerializationException', `The request body nests deeper than ${MAX_JSON_DEPTH} levels.`);
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new KmsError('SerializationException', 'The request body is not valid JSON.');
  }
}
