/** The three error shapes the service answers in (README "Errors"). */
export type Api = 'aws' | 'graphql' | 'rest';

/**
 * Which API a request was meant for, from what is known even of a request that could not be read:
 * `POST /` (or anything carrying X-Amz-Target at `/`) is the AWS JSON 1.1 endpoint of KMS and
 * CloudTrail, `/graphql…` (and GraphiQL) is GraphQL, and everything else, the REST query API,
 * admin and ops routes included, shares the REST shape.
 */
export function apiOf(method: string, url: string, amzTarget: unknown): Api {
  const path = url.split('?', 1)[0] ?? '';
  if (path === '/' && (method === 'POST' || amzTarget !== undefined)) return 'aws';
  if (path.startsWith('/graphql') || path.startsWith('/graphiql')) return 'graphql';
  return 'rest';
}
