import { GraphiQL } from 'graphiql';
// Monaco's workers (editor, JSON, GraphQL) as files of this build, not from a CDN.
import 'graphiql/setup-workers/vite';
import 'graphiql/style.css';
import './page.css';
import { type ComponentProps, StrictMode } from 'react';
import { createRoot } from 'react-dom/client';

type Fetcher = ComponentProps<typeof GraphiQL>['fetcher'];

/**
 * Sends each operation to /graphql with the headers the Headers tab holds. No cookies: /graphql takes
 * a console session's cookie only with its CSRF token, which this page does not have, so a request
 * without an Authorization header is answered 401 (with how to authenticate) rather than 403.
 */
const fetcher: Fetcher = async (params, options) => {
  const response = await fetch('/graphql', {
    method: 'POST',
    credentials: 'omit',
    headers: { accept: 'application/json', 'content-type': 'application/json', ...options?.headers },
    body: JSON.stringify(params),
  });
  return response.json();
};

const DEFAULT_QUERY = `# Every query is authenticated: put a bearer token of yours in Headers below,
# {"Authorization": "Bearer <token>"}, then run this (Ctrl-Enter).
{
  aliases(region: "us-west-2", first: 10) {
    nodes { aliasName targetKeyId validFrom }
    pageInfo { hasNextPage endCursor }
  }
}
`;

createRoot(document.getElementById('graphiql')!).render(
  <StrictMode>
    <GraphiQL
      fetcher={fetcher}
      defaultQuery={DEFAULT_QUERY}
      defaultHeaders={'{\n  "Authorization": "Bearer <token>"\n}'}
      defaultEditorToolsVisibility="headers"
      // A bearer token is a secret: kept for the tab only, not in localStorage.
      shouldPersistHeaders={false}
    />
  </StrictMode>,
);
