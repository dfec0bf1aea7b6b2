import type { FastifyReply, FastifyRequest } from 'fastify';
import type { GraphiqlAssets } from './graphiql-assets';

/**
 * GraphiQL's own policy, in place of the one the service gives its HTML tools: its scripts, styles,
 * fonts and Monaco's workers all come from this origin (data: fonts are GraphiQL's stylesheet's own),
 * its queries go to /graphql here, and nothing may come from elsewhere, CDNs included.
 */
export const GRAPHIQL_POLICY =
  "default-src 'self'; script-src 'self'; worker-src 'self'; style-src 'self' 'unsafe-inline'; " +
  "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

const text = (reply: FastifyReply, status: number, message: string) =>
  void reply.status(status).header('content-type', 'text/plain; charset=utf-8').send(message);

/** GET /graphiql and its files: the page of GraphiQL's build (src/graphql/graphiql-web), served offline. */
export function graphiqlPageRoute(assets: GraphiqlAssets | undefined) {
  return (req: FastifyRequest, reply: FastifyReply): void => {
    reply.header('content-security-policy', GRAPHIQL_POLICY);
    if (!assets) return text(reply, 503, 'GraphiQL is not built: run npm run build, then start aliastrail again.');
    const urlPath = req.url.split('?', 1)[0] ?? '';
    const asset = assets.get(urlPath === '/graphiql' || urlPath === '/graphiql/' ? '/graphiql/index.html' : urlPath);
    if (!asset) return text(reply, 404, 'Not found');
    const gzip = asset.gzipped !== undefined && /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
    void reply
      .status(200)
      .header('content-type', asset.type)
      .header('cache-control', asset.immutable ? 'public, max-age=31536000, immutable' : 'no-cache')
      .header('vary', 'accept-encoding')
      .header('content-encoding', gzip ? 'gzip' : 'identity')
      .send(gzip ? asset.gzipped : asset.body);
  };
}
