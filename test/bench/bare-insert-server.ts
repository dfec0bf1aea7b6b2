import * as http from 'node:http';
import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';

/**
 * The ceiling for a durable write over HTTP here: a bare node:http server that answers every request
 * with one single-row INSERT (autocommit, so one fsync'd commit each) and an empty 200. It checks no
 * signature and decides nothing. Run as `node bare-insert-server.js <port> <database url>`.
 */
async function main(): Promise<void> {
  const [port, url] = process.argv.slice(2);
  const pool = new Pool({ connectionString: url, max: 40 });
  await pool.query(
    'CREATE TABLE IF NOT EXISTS bare_writes (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, request_id uuid NOT NULL, body jsonb NOT NULL, at timestamptz NOT NULL DEFAULT now())',
  );
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8') || '{}';
      pool.query('INSERT INTO bare_writes (request_id, body) VALUES ($1, $2)', [randomUUID(), body]).then(
        () => {
          res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1', 'content-length': 0 });
          res.end();
        },
        () => {
          res.writeHead(500);
          res.end();
        },
      );
    });
  });
  server.keepAliveTimeout = 60_000;
  server.listen(Number(port), '127.0.0.1', () => process.stdout.write('ready\n'));
  process.on('SIGTERM', () => server.close(() => void pool.end().then(() => process.exit(0))));
}

void main();
