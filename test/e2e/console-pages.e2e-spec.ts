import { gunzipSync } from 'node:zlib';
import * as http from 'node:http';
import { type KmsTestApp, startKmsApp } from '../support/kms-test-app';

/** A GET over node:http, which leaves the path as given (fetch would resolve `..`) and the body as sent. */
function get(url: string, path: string, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
    const target = new URL(url);
    http
      .get({ host: target.hostname, port: target.port, path, headers }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) }),
        );
      })
      .on('error', reject);
  });
}

/**
 * The console's page and files under /console (npm run build makes them): every view's URL answers
 * the page, the files are cached for good and gzipped, nothing outside the build is reachable, and
 * the page's content security policy lets it load its own scripts only.
 */
describe('the console page', () => {
  let kms: KmsTestApp;

  beforeAll(async () => {
    kms = await startKmsApp();
  });
  afterAll(async () => {
    await kms?.close();
  });

  it('answers every view of the console with its page, not cached, under a strict policy', async () => {
    for (const path of [
      '/console',
      '/console/keys?region=eu-west-1',
      '/console/keys/1234abcd-12ab-34cd-56ef-1234567890ab/aliases',
    ]) {
      const page = await get(kms.url, path);
      expect(page.status).toBe(200);
      expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(page.headers['cache-control']).toBe('no-cache');
      expect(page.body.toString()).toContain('<div id="root"></div>');
      expect(page.headers['content-security-policy']).toContain("script-src 'self';");
      expect(page.headers['content-security-policy']).toContain("frame-ancestors 'none'");
      expect(page.headers['x-frame-options']).toBe('DENY');
    }
  });

  it('serves the built files gzipped and cacheable for good, and nothing else', async () => {
    const page = (await get(kms.url, '/console')).body.toString();
    const script = /src="(\/console\/assets\/[^"]+\.js)"/.exec(page)![1]!;
    const plain = await get(kms.url, script);
    expect(plain.status).toBe(200);
    expect(plain.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(plain.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const zipped = await get(kms.url, script, { 'accept-encoding': 'gzip, deflate' });
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(zipped.body).equals(plain.body)).toBe(true);
    expect(zipped.body.length).toBeLessThan(plain.body.length / 2);
    for (const path of [
      '/console/assets/nope.js',
      '/console/assets/../../package.json',
      '/console/assets/%2e%2e/index.html',
    ])
      expect((await get(kms.url, path)).status).toBe(404);
    // Outside /console/assets an unknown path is a view: the page, never a file.
    const escape = await get(kms.url, '/console/../../package.json');
    expect(escape.body.toString()).not.toContain('"name": "aliastrail"');
    const api = await get(kms.url, '/console/api/nothing-here');
    expect([api.status, JSON.parse(api.body.toString())]).toEqual([
      404,
      { error: { code: 'NotFound', message: 'No console API at /console/api/nothing-here.' } },
    ]);
  });
});
