import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ConsoleAsset } from './console-assets';

/**
 * GET /console and everything under it: the console's files, and for any other path its page
 * (index.html), whose router shows the view the URL names, so that every view can be linked to.
 * /console/api/* is the console's API: a GET there that no route took is a 404.
 */
export function consolePagesRoute(assets: ReadonlyMap<string, ConsoleAsset> | undefined) {
  const page = assets?.get('/console/index.html');
  return (req: FastifyRequest, reply: FastifyReply): void => {
    const urlPath = req.url.split('?', 1)[0] ?? '';
    if (urlPath.startsWith('/console/api/')) {
      void reply
        .status(404)
        .header('content-type', 'application/json; charset=utf-8')
        .send({ error: { code: 'NotFound', message: `No console API at ${urlPath}.` } });
      return;
    }
    if (!page) {
      void reply
        .status(503)
        .header('content-type', 'text/plain; charset=utf-8')
        .send('The console is not built: run npm run build, then start aliastrail again.');
      return;
    }
    const asset = assets!.get(urlPath) ?? (urlPath.startsWith('/console/assets/') ? undefined : page);
    if (!asset) {
      void reply.status(404).header('content-type', 'text/plain; charset=utf-8').send('Not found');
      return;
    }
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
