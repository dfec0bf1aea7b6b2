import { type QueryOptions, queryHeaders } from './query-client';

export interface GraphqlOptions extends QueryOptions {
  /** Changes the body after signing. */
  readonly tamper?: (body: string) => string;
  /** Sent as the body instead of `{query, variables}` (still signed). */
  readonly rawBody?: string;
}

export interface GraphqlResponse {
  readonly status: number;
  readonly body: any;
}

async function send(url: URL, init: RequestInit): Promise<GraphqlResponse> {
  const response = await fetch(url, init);
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  return { status: response.status, body };
}

/** A POST /graphql signed as awscurl signs it for the service `aliastrail` (or not at all). */
export async function graphql(
  base: string,
  query: string,
  variables: Record<string, unknown> = {},
  options: GraphqlOptions = {},
): Promise<GraphqlResponse> {
  const url = new URL('/graphql', base);
  const body = options.rawBody ?? JSON.stringify({ query, variables });
  const headers = await queryHeaders('POST', url, { 'content-type': 'application/json' }, body, options);
  return send(url, { method: 'POST', headers, body: options.tamper ? options.tamper(body) : body });
}

/** The same query as a signed GET /graphql?query=… */
export async function graphqlGet(base: string, query: string, options: GraphqlOptions = {}): Promise<GraphqlResponse> {
  const url = new URL('/graphql', base);
  url.searchParams.set('query', query);
  return send(url, { headers: await queryHeaders('GET', url, {}, undefined, options) });
}
