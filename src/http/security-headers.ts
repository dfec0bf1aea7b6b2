/**
 * Headers every answer carries, so that a browser pointed at the query APIs (a dashboard, GraphiQL)
 * cannot be made to misuse them: no MIME sniffing, no framing, no referrer, and a content policy
 * that lets a JSON answer load nothing. The two HTML tools (/docs and GraphiQL, development only)
 * load their own scripts and styles, so they get a policy that allows those and still no framing.
 * API answers are about an account's keys and its audit trail: no cache may keep them.
 */
const ALWAYS: Readonly<Record<string, string>> = {
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'strict-transport-security': 'max-age=31536000; includeSubDomains',
};

const API_POLICY = "default-src 'none'; frame-ancestors 'none'";
const TOOL_POLICY =
  "default-src 'self'; script-src 'self' 'unsafe-inline' https://unpkg.com; style-src 'self' 'unsafe-inline' https://unpkg.com; " +
  "img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'";

// The console's page: its own scripts and styles only (Cloudscape sets inline styles), answers from
// its own origin only.
const CONSOLE_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
  "font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

const API_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  ...ALWAYS,
  'content-security-policy': API_POLICY,
  'cache-control': 'no-store',
});
const TOOL_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  ...ALWAYS,
  'content-security-policy': TOOL_POLICY,
});
const CONSOLE_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  ...ALWAYS,
  'content-security-policy': CONSOLE_POLICY,
});

/** The security headers for an answer to `url` (path and query): one of two fixed sets, made once. */
export function securityHeadersFor(url: string): Readonly<Record<string, string>> {
  const path = url.split('?', 1)[0] ?? '/';
  const tool = path === '/docs' || path.startsWith('/docs/') || path.startsWith('/graphiql');
  if (tool) return TOOL_HEADERS;
  const consolePage = path === '/console' || (path.startsWith('/console/') && !path.startsWith('/console/api/'));
  return consolePage ? CONSOLE_HEADERS : API_HEADERS;
}
