import { Controller, Logger, Post, Req, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { PrincipalRegistry } from '../auth/principal.registry';
import { verifySigV4 } from '../auth/sigv4-verifier';
import { KmsError } from '../kms/kms-error';
import { AwsManagedKeys } from '../keys/aws-managed-keys';
import { validateInput } from './coral-validation';
import { DISPATCH } from './kms-dispatch';
import type { KmsRequest } from './kms-request';
import { OPERATIONS, isOperation } from './operations';

export const AMZ_JSON = 'application/x-amz-json-1.1';
const TARGET_PREFIX = 'TrentService.';

/**
 * The AWS JSON 1.1 endpoint (spec §2): POST / with X-Amz-Target: TrentService.<Operation>. Every
 * answer carries x-amzn-RequestId; errors are {"__type","message"} with 400 (500 for our faults).
 */
@Controller()
export class KmsController {
  private readonly logger = new Logger(KmsController.name);

  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    private readonly principals: PrincipalRegistry,
    private readonly awsManagedKeys: AwsManagedKeys,
  ) {}

  @Post('/')
  async handle(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    reply.header('x-amzn-RequestId', req.id).header('content-type', AMZ_JSON);
    try {
      const output = await this.call(req);
      if (output === undefined) reply.status(200).send(Buffer.alloc(0));
      // A Buffer, so that Fastify does not append "; charset=utf-8" to the AWS content type.
      else reply.status(200).send(Buffer.from(JSON.stringify(output)));
    } catch (error) {
      const kmsError = error instanceof KmsError ? error : this.internal(error);
      reply.status(kmsError.status).send(Buffer.from(JSON.stringify(errorBody(kmsError))));
    }
  }

  private async call(req: FastifyRequest): Promise<Record<string, unknown> | undefined> {
    const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const caller = await verifySigV4(
      { method: req.method, path: req.url.split('?')[0] ?? '/', query: {}, headers: req.headers, body },
      'kms',
      (id) => this.principals.find(id),
      // Signatures carry the client's wall-clock time: the skew check uses real time, which the
      // controllable clock (business time, spec §17.8) does not move.
      new Date(),
    );
    const target = req.headers['x-amz-target'];
    const operation =
      typeof target === 'string' && target.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : '';
    if (!isOperation(operation)) throw new KmsError('UnknownOperationException', undefined);
    const params = validateInput(parseJson(body), OPERATIONS[operation]);
    const request: KmsRequest = {
      requestId: req.id,
      operation,
      principal: caller.principal,
      scope: { accountId: caller.principal.accountId, region: caller.region },
      sourceIp: req.ip,
      userAgent: String(req.headers['user-agent'] ?? ''),
      params,
    };
    await this.awsManagedKeys.ensure(request.scope);
    const dispatched = DISPATCH[operation](request);
    return 'command' in dispatched ? this.commands.execute(dispatched.command) : this.queries.execute(dispatched.query);
  }

  private internal(error: unknown): KmsError {
    this.logger.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    return new KmsError('KMSInternalException', 'An internal error occurred.', 500);
  }
}

/** An empty body is `{}` (botocore sends `{}`, others send nothing). */
function parseJson(body: Buffer): unknown {
  const text = body.toString('utf8').trim();
  if (text === '') return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new KmsError('SerializationException', 'The request body is not valid JSON.');
  }
}

export function errorBody(error: KmsError): Record<string, string> {
  return error.detail === undefined ? { __type: error.code } : { __type: error.code, message: error.detail };
}
