import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { OPENAPI_SCHEMAS } from './openapi-schemas';
import { KEYS_AT_SCHEMAS } from './temporal-keys.openapi';
import { QUERY_SERVICE } from '../callers/query-caller';

/** Only the REST query API is described: the KMS API has its own contract (AWS's), the rest is ops. */
const DOCUMENTED_PREFIX = '/api/';
/** The version of the API's contract (not of the package): changes when answers change incompatibly. */
const API_VERSION = '1';

/**
 * The OpenAPI document of the REST query API under /api: its routes as the controllers' decorators
 * describe them, the answer schemas, and both ways to authenticate.
 */
export function openApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('aliastrail query API')
    .setDescription(
      'Point-in-time questions about KMS aliases and keys, and searches of the audit trail, answered from the ' +
        'event-sourced history. Alias answers say the log position they reflect (`position`) and the time before ' +
        'which answers are final (`finalBefore`); audit searches say their `position` too.',
    )
    .setVersion(API_VERSION)
    .addSecurity('sigv4', {
      type: 'apiKey',
      in: 'header',
      name: 'Authorization',
      description:
        `AWS Signature Version 4 with the same access keys as the KMS API, for the service \`${QUERY_SERVICE}\` ` +
        `(e.g. \`awscurl --service ${QUERY_SERVICE} --region us-east-1 <url>\`). The header is ` +
        '`AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…, Signature=…`, with `X-Amz-Date`. The signature is checked ' +
        'with the Region its credential scope names, whichever that is: the Region an answer is about is the one in ' +
        'the path, and the account is always the caller’s.',
    })
    // Declared by hand: addBearerAuth would add `bearerFormat: 'JWT'`, and these tokens are no JWTs.
    .addSecurity('bearer', {
      type: 'http',
      scheme: 'bearer',
      description:
        '`Authorization: Bearer <token>`: an opaque token (a random string, not a JWT) that an operator configured ' +
        'or issued for one principal, for browsers and scripts that cannot sign. It acts as that principal.',
    })
    .build();
  const document = SwaggerModule.createDocument(app, config);
  document.paths = Object.fromEntries(
    Object.entries(document.paths).filter(([path]) => path.startsWith(DOCUMENTED_PREFIX)),
  );
  document.components = {
    ...document.components,
    schemas: { ...document.components?.schemas, ...OPENAPI_SCHEMAS, ...KEYS_AT_SCHEMAS },
  };
  return document;
}

/**
 * Serves the document at /docs-json and the Swagger UI at /docs. Called before the app starts
 * listening; the document is built on the first request, once every module's routes exist.
 */
export function setUpOpenApi(app: INestApplication): void {
  SwaggerModule.setup('docs', app, () => openApiDocument(app), { jsonDocumentUrl: 'docs-json' });
}
