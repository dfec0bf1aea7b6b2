import { randomUUID } from 'node:crypto';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Logger } from 'pino';
import { AppModule } from './app.module';
import type { Config } from './config/config';
import { StoreHealth } from './event-store/store-health.service';
import { SubscriptionRegistry } from './event-store/subscription.registry';
import { ApiExceptionFilter } from './api-errors/api-exception.filter';
import { BODY_LIMIT } from './api-errors/body-limit';
import { apiOf } from './api-errors/api-of';
import { clientErrorHandler } from './api-errors/client-error-handler';
import { errorAnswer } from './api-errors/error-answer';
import { fastifyErrorHandler, frameworkErrors } from './api-errors/framework-errors';
import { faultOf } from './api-errors/http-fault';
import { sendErrorAnswer } from './api-errors/send-error-answer';
import { PinoNestLogger } from './logging/pino-nest-logger';
import { Metrics } from './metrics/metrics';
import { registerStoreGauges } from './event-store/store-gauges';
import { setUpOpenApi } from './query-api/openapi';
import { securityHeadersFor } from './http/security-headers';

/** Builds the Nest application on Fastify (not yet listening). Used by main.ts and the e2e tests. */
export async function createApp(config: Config, databaseUrl: string, logger: Logger): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    loggerInstance: logger,
    // Request ids are always ours: a client-sent id is not trusted into the logs.
    genReqId: () => randomUUID(),
    bodyLimit: BODY_LIMIT,
    // What Fastify and Node refuse on their own answers in each API's error shape too.
    frameworkErrors: frameworkErrors(BODY_LIMIT),
    clientErrorHandler: clientErrorHandler(BODY_LIMIT),
    // Only the configured proxies' X-Forwarded-* are believed (req.ip, req.protocol).
    trustProxy: config.trustProxy ?? false,
  });
  adapter.getInstance().setErrorHandler(fastifyErrorHandler(BODY_LIMIT));
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config, databaseUrl), adapter, {
    logger: new PinoNestLogger(logger),
    rawBody: true,
  });
  app.useGlobalFilters(new ApiExceptionFilter(BODY_LIMIT));
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
  // Both hooks in callback style: an async hook costs every request a promise and a turn of the
  // microtask queue, and these run on every call of the KMS hot path.
  fastify.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id).headers(securityHeadersFor(request.url));
    // PostgreSQL text cannot hold U+0000: a query parameter with one would fail in the database as a
    // 500. It is refused here, for every query API, as the bad parameter it is. (A reply sent from a
    // callback hook ends the request there: done is not called.)
    const query = request.url.indexOf('?');
    if (query >= 0 && /%00|\u0000/i.test(request.url.slice(query + 1))) {
      void reply
        .status(400)
        .header('content-type', 'application/json; charset=utf-8')
        .send({ error: { code: 'InvalidParameter', message: 'Query parameters must not contain U+0000.' } });
      return;
    }
    // An oversized body is refused before it is read, in the shape of the API it was sent to: with
    // the GraphQL module loaded, Fastify's own 413 no longer reaches Nest's exception filters (seen
    // in kms-wire e2e). A body sent without a length still stops at the limit, with Fastify's 413,
    // which the error handler below shapes.
    if (Number(request.headers['content-length']) > BODY_LIMIT) {
      const api = apiOf(request.method, request.url, request.headers['x-amz-target']);
      if (api !== 'graphql') {
        const tooLarge = faultOf({ statusCode: 413 }, BODY_LIMIT);
        sendErrorAnswer(reply, errorAnswer(api, tooLarge, request.headers['x-amz-target']), request.id);
        return;
      }
    }
    done();
  });
  fastify.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions.url ?? 'unmatched';
    metrics.httpRequests.inc({ method: request.method, route, status_code: String(reply.statusCode) });
    metrics.httpDuration.observe({ method: request.method, route }, reply.elapsedTime / 1000);
    done();
  });
  return app;
}
