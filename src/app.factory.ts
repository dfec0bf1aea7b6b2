import { randomUUID } from 'node:crypto';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Logger } from 'pino';
import { AppModule } from './app.module';
import type { Config } from './config/config';
import { StoreHealth } from './event-store/store-health.service';
import { SubscriptionRegistry } from './event-store/subscription.registry';
import { KmsError } from './kms/kms-error';
import { AMZ_JSON, errorBody } from './kms-api/kms.controller';
import { KmsWireExceptionFilter } from './kms-api/kms-wire-exception.filter';
import { PinoNestLogger } from './logging/pino-nest-logger';
import { Metrics } from './metrics/metrics';
import { registerStoreGauges } from './metrics/store-gauges';
import { setUpOpenApi } from './query-api/openapi';
import { securityHeadersFor } from './security-headers';

const BODY_LIMIT = 1024 * 1024;

/** Builds the Nest application on Fastify (not yet listening). Used by main.ts and the e2e tests. */
export async function createApp(config: Config, databaseUrl: string, logger: Logger): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    loggerInstance: logger,
    // Request ids are always ours: a client-sent id is not trusted into the logs.
    genReqId: () => randomUUID(),
    bodyLimit: BODY_LIMIT,
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config, databaseUrl), adapter, {
    logger: new PinoNestLogger(logger),
    rawBody: true,
  });
  app.useGlobalFilters(new KmsWireExceptionFilter(adapter, BODY_LIMIT));
  const metrics = app.get(Metrics);
  registerStoreGauges(metrics, app.get(StoreHealth), app.get(SubscriptionRegistry));
  const fastify = app.getHttpAdapter().getInstance();
  // The KMS API needs the exact bytes (SigV4 signs them) and answers malformed JSON itself.
  fastify.addContentTypeParser(
    ['application/x-amz-json-1.1', 'application/x-amz-json-1.0', '*'],
    { parseAs: 'buffer' },
    (_req, body, done) => done(null, body),
  );
  setUpOpenApi(app);
  fastify.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id).headers(securityHeadersFor(request.url));
    // PostgreSQL text cannot hold U+0000: a query parameter with one would fail in the database as a
    // 500. It is refused here, for every query API, as the bad parameter it is.
    if (/%00|\u0000/i.test(request.url.slice(request.url.indexOf('?') + 1)) && request.url.includes('?')) {
      await reply
        .status(400)
        .header('content-type', 'application/json; charset=utf-8')
        .send({ error: { code: 'InvalidParameter', message: 'Query parameters must not contain U+0000.' } });
      return;
    }
    // An oversized body is refused before it is read, in the shape of the API it was sent to: with
    // the GraphQL module loaded, Fastify's own 413 no longer reaches Nest's exception filters (seen
    // in kms-wire e2e). A body sent without a length still stops at the limit, with Fastify's 413.
    const oversized = Number(request.headers['content-length']) > BODY_LIMIT;
    const path = request.url.split('?', 1)[0];
    if (oversized && path !== '/' && !path!.startsWith('/graphql')) {
      await reply
        .status(413)
        .header('content-type', 'application/json; charset=utf-8')
        .send({
          error: {
            code: 'RequestEntityTooLarge',
            message: `The request body is larger than the ${BODY_LIMIT} bytes accepted.`,
          },
        });
      return;
    }
    if (request.method === 'POST' && path === '/' && oversized) {
      await reply
        .status(400)
        .header('content-type', AMZ_JSON)
        .header('x-amzn-RequestId', request.id)
        .send(
          Buffer.from(
            JSON.stringify(
              errorBody(
                new KmsError(
                  'SerializationException',
                  `The request body is larger than the ${BODY_LIMIT} bytes accepted.`,
                ),
              ),
            ),
          ),
        );
    }
  });
  fastify.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    metrics.httpRequests.inc({ method: request.method, route, status_code: String(reply.statusCode) });
    metrics.httpDuration.observe({ method: request.method, route }, reply.elapsedTime / 1000);
  });
  return app;
}
