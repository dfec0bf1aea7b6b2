import { KmsError } from '../kms/kms-error';

/** An AWS JSON 1.1 body; an empty one is `{}` (botocore sends `{}`, others send nothing). */
export function parseAwsJson(body: Buffer): unknown {
  const text = body.toString('utf8').trim();
  if (text === '') return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new KmsError('SerializationException', 'The request body is not valid JSON.');
  }
}
