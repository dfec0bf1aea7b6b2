import { randomUUID } from 'node:crypto';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Logger } from 'pino';
import { AppModule } from './app.module';
import type { Config } from './config/config';
import { StoreHealth } from './event-store/store-health.service';
import { SubscriptionRegistry } from './event-store/subscription.registry';
import { KmsWireExceptionFilter } from './kms-api/kms-wire-exception.filter';
import { PinoNestLogger } from './logging/pino-nest-logger';
import { Metrics } from './metrics/metrics';
import { registerStoreGauges } from './metrics/store-gauges';

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
  fastify.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  fastify.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    metrics.httpRequests.inc({ method: request.method, route, status_code: String(reply.statusCode) });
    metrics.httpDuration.observe({ method: request.method, route }, reply.elapsedTime / 1000);
  });
  return app;
}
