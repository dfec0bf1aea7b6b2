import { RequestThrottle } from '../throttle/request-throttle';
import { Injectable, Logger } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ObservedAccounts } from '../observed-accounts/observed-accounts';
import { AuditRecorder } from '../audit/audit-recorder';
import type { Principal } from '../auth/principal';
import { PrincipalRegistry } from '../auth/principal.registry';
import { claimedCredential, verifySigV4 } from '../auth/sigv4-verifier';
import { KmsError, dependencyTimeout } from '../kms/domain/kms-error';
import { isDatabaseUnavailable } from '../database/database-errors';
import { unknownOutcomeEventIds } from '../event-store/outcome-unknown';
import { AwsManagedKeys } from '../kms/aws-managed-keys';
import { CloudTrailApi, cloudTrailOperationOf } from '../cloudtrail-api/cloudtrail.api';
import { parseAwsJson } from '../aws-json/aws-json-body';
import { auditedParams } from './audited-params';
import { validateInput } from './coral-validation';
import type { KmsAnswer } from '../kms/operations/kms-answer';
import { dispatch } from './kms-dispatch';
import type { KmsRequest } from '../kms/kms-request';
import { OPERATIONS, isOperation } from './operations';
import { AMZ_JSON, errorBody } from '../aws-json/aws-json-error';
import { GrantTokens } from '../kms/operations/grant-tokens';

const TARGET_PREFIX = 'TrentService.';
/** How a console call's record names its client, before the browser's own user agent. */
export const CONSOLE_USER_AGENT = 'aliastrail-console';

/** Who makes a console call: the session's principal, in the console's Region (handleConsole). */
export interface ConsoleKmsCaller {
  readonly principal: Principal;
  readonly region: string;
  readonly sessionCreatedAt: Date;
}
/** A write to an account whose history comes from imported CloudTrail records. */
const observedAccountWrite = (accountId: string) =>
  new KmsError(
    'UnsupportedOperationException',
    `Account ${accountId} is observed: its history comes from imported CloudTrail records, and the KMS API does not change it.`,
  );

/** The log position a mutation's last event took: pass it as waitForPosition to the query APIs. */
export const POSITION_HEADER = 'x-aliastrail-position';

/**
 * What is known of a call so far, local to one request: each step of `call` fills in what it
 * established (the principal and scope once the signature holds, then the operation, then the
 * parameters), so that a call failing at any step is recorded with as much as is known. Only the
 * controller reads it; handlers receive the finished, immutable KmsRequest.
 */
type Attempt = { -readonly [K in keyof KmsRequest]?: KmsRequest[K] };

/**
 * The AWS JSON 1.1 endpoint (docs/kms-behaviour.md#wire-protocol): POST / with X-Amz-Target:
 * TrentService.<Operation>. Every answer carries x-amzn-RequestId; errors are {"__type","message"} with
 * 400 (500 for our faults). Every call by a known principal to a known operation reaches the audit
 * trail: mutations through their events, the rest (failures, reads, no-ops) through the AuditRecorder.
 * Mounted on Fastify directly (kms-api.module.ts), so it catches and answers everything itself.
 */
@Injectable()
export class KmsController {
  private readonly logger = new Logger(KmsController.name);

  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    private readonly principals: PrincipalRegistry,
    private readonly awsManagedKeys: AwsManagedKeys,
    private readonly recorder: AuditRecorder,
    private readonly cloudTrail: CloudTrailApi,
    private readonly throttle: RequestThrottle,
    private readonly grantTokens: GrantTokens,
    private readonly observed: ObservedAccounts,
  ) {}

  async handle(req: FastifyRequest, reply: FastifyReply): Promise<void> {
    reply.header('x-amzn-RequestId', req.id).header('content-type', AMZ_JSON);
    const cloudTrailOperation = cloudTrailOperationOf(req.headers['x-amz-target']);
    if (cloudTrailOperation !== undefined) return this.answerCloudTrail(req, reply, cloudTrailOperation);
    return this.answer(req, reply, {
      requestId: req.id,
      sourceIp: req.ip,
      userAgent: String(req.headers['user-agent'] ?? ''),
      resolvedKeyArns: [],
    });
  }

  /**
   * A KMS call from the console (src/console): unsigned, made as the session's principal in the
   * Region the console shows, and otherwise the same call, with the same checks, answers and record.
   */
  async handleConsole(req: FastifyRequest, reply: FastifyReply, caller: ConsoleKmsCaller): Promise<void> {
    reply.header('x-amzn-RequestId', req.id).header('content-type', AMZ_JSON);
    return this.answer(req, reply, {
      requestId: req.id,
      sourceIp: req.ip,
      userAgent: `${CONSOLE_USER_AGENT} (${String(req.headers['user-agent'] ?? '')})`,
      resolvedKeyArns: [],
      principal: caller.principal,
      scope: { accountId: caller.principal.accountId, region: caller.region },
      console: { sessionCreatedAt: caller.sessionCreatedAt },
    });
  }

  private async answer(req: FastifyRequest, reply: FastifyReply, attempt: Attempt): Promise<void> {
    try {
      const { output, position, provisionedPosition } = await this.call(req, attempt);
      // A call that appended events is in the trail through them; any other is recorded here.
      if (position !== undefined) reply.header(POSITION_HEADER, position.toString());
      else {
        if (provisionedPosition !== undefined) reply.header(POSITION_HEADER, provisionedPosition.toString());
        await this.recorder.record(attempt as KmsRequest, { output });
      }
      if (output === undefined) reply.status(200).send(Buffer.alloc(0));
      // A Buffer, so that Fastify does not append "; charset=utf-8" to the AWS content type.
      else reply.status(200).send(Buffer.from(JSON.stringify(output)));
    } catch (error) {
      const kmsError = error instanceof KmsError ? error : this.internal(error);
      await this.recordFailure(req, attempt, kmsError, unknownOutcomeEventIds(error));
      reply.status(kmsError.status).send(Buffer.from(JSON.stringify(errorBody(kmsError))));
    }
  }

  private async call(req: FastifyRequest, attempt: Attempt): Promise<KmsAnswer> {
    const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    // A console call comes with its principal (handleConsole); any other is signed.
    if (attempt.principal === undefined) {
      const caller = await verifySigV4(
        { method: req.method, path: req.url.split('?')[0] ?? '/', query: {}, headers: req.headers, body },
        'kms',
        (id) => this.principals.find(id),
        // Signatures carry the client's wall-clock time: the skew check uses real time, which the
        // controllable clock (business time) does not move.
        new Date(),
      );
      attempt.principal = caller.principal;
      attempt.scope = { accountId: caller.principal.accountId, region: caller.region };
    }
    this.throttle.check(attempt.principal, 'kms');
    const operation = operationOf(req);
    if (!isOperation(operation)) {
      if (isOperationName(operation)) Object.assign(attempt, unimplementedCall(operation));
      throw unknownOperation(operation);
    }
    attempt.operation = operation;
    const parsed = parseAwsJson(body);
    // A call refused by validation gets its parameters as sent, from recordFailure.
    const params = validateInput(parsed, OPERATIONS[operation]);
    attempt.params = auditedParams(operation, params);
    // Every operation's GrantTokens, checked here once (docs/kms-behaviour.md#grants,
    // #decisions-where-aws-is-ambiguous).
    this.grantTokens.assertIssued(params.GrantTokens);
    const request = attempt as KmsRequest;
    const dispatched = dispatch(operation, request, params);
    const writes = 'command' in dispatched;
    // An observed account's history is its imported CloudTrail records
    // (docs/history-model.md#observed-accounts): the API writes nothing to it, not even the AWS managed
    // keys a first call would provision.
    const observed = await this.observed.isObserved(request.scope.accountId, writes);
    if (observed && writes) throw observedAccountWrite(request.scope.accountId);
    const provisioned = observed ? undefined : await this.awsManagedKeys.ensure(request.scope);
    const answer: KmsAnswer = await ('command' in dispatched
      ? this.commands.execute(dispatched.command)
      : this.queries.execute(dispatched.query));
    return provisioned === undefined || answer.position !== undefined
      ? answer
      : { ...answer, provisionedPosition: provisioned };
  }

  /**
   * A failed call is recorded when it names a known operation and a known access key, even if its
   * signature was refused (CloudTrail shows those too); an unknown key names no account to show it to.
   * A write whose connection was lost after its events were decided may have committed: its failure
   * is recorded only if they are not stored (`unlessStored`), or the call would have two records.
   */
  private async recordFailure(
    req: FastifyRequest,
    attempt: Attempt,
    error: KmsError,
    unlessStored: readonly string[] = [],
  ): Promise<void> {
    try {
      // The principal is known at this point only if its signature held.
      const verified = attempt.principal !== undefined;
      if (!attempt.principal) {
        const claimed = claimedCredential(req.headers);
        const principal = claimed && this.principals.find(claimed.accessKeyId);
        if (!claimed || !principal) return;
        attempt.principal = principal;
        attempt.scope = { accountId: principal.accountId, region: claimed.region };
      }
      attempt.operation ??= operationOf(req);
      if (!isOperation(attempt.operation)) {
        // Only a name that could be an operation is recorded, and only for a caller whose signature
        // held: an access key id alone must not plant made-up event names in an account's trail.
        if (!verified || !isOperationName(attempt.operation)) return;
        Object.assign(attempt, unimplementedCall(attempt.operation));
      }
      if (!attempt.params) {
        const parsed = safeParseJson(Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0));
        attempt.params = auditedParams(attempt.operation, isObject(parsed) ? parsed : {});
      }
      await this.recorder.record(attempt as KmsRequest, { error, unlessStored });
    } catch (recordError) {
      // The caller still gets its answer; the gap is logged.
      this.logger.error(`failed call not recorded: ${(recordError as Error).message}`);
    }
  }

  /**
   * The same endpoint serves CloudTrail's LookupEvents, told apart by X-Amz-Target
   * (docs/kms-behaviour.md#lookupevents).
   */
  private async answerCloudTrail(req: FastifyRequest, reply: FastifyReply, operation: string): Promise<void> {
    try {
      const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      const output = await this.cloudTrail.call(req, operation, body);
      reply.status(200).send(Buffer.from(JSON.stringify(output)));
    } catch (error) {
      const awsError = error instanceof KmsError ? error : this.internal(error, 'cloudtrail');
      reply.status(awsError.status).send(Buffer.from(JSON.stringify(errorBody(awsError))));
    }
  }

  /** Our fault, in the words of the service called: KMS's own codes, or the ones every AWS service has. */
  private internal(error: unknown, service: 'kms' | 'cloudtrail' = 'kms'): KmsError {
    if (isDatabaseUnavailable(error)) {
      // The database is away or did not answer in time: a retryable 503, which the AWS SDKs retry.
      this.logger.warn(`database unavailable: ${(error as Error).message}`);
      return service === 'kms'
        ? dependencyTimeout()
        : new KmsError(
            'ServiceUnavailable',
            'The service could not reach its database in time. You can retry the request.',
            503,
          );
    }
    this.logger.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    return service === 'kms'
      ? new KmsError('KMSInternalException', 'An internal error occurred.', 500)
      : new KmsError('InternalFailure', 'An internal error occurred.', 500);
  }
}

/** What could be a KMS operation's name (they are all short CamelCase words): safe to repeat and to record. */
const isOperationName = (name: string): boolean => /^[A-Za-z][A-Za-z0-9]{0,63}$/.test(name);

/**
 * A call to an operation aliastrail does not implement (an Encrypt before it existed, or a typo):
 * answered naming it, so the caller sees which; an unreadable target is answered without a message.
 */
function unknownOperation(operation: string): KmsError {
  return new KmsError(
    'UnknownOperationException',
    isOperationName(operation) ? `aliastrail does not implement the operation ${operation}.` : undefined,
  );
}

/** How such a call is recorded: by its name, without what it sent (it may be a plaintext). */
function unimplementedCall(operation: string): Pick<Attempt, 'operation' | 'params' | 'paramsWithheld'> {
  return { operation, params: {}, paramsWithheld: 'not recorded for an operation aliastrail does not implement' };
}

function operationOf(req: FastifyRequest): string {
  const target = req.headers['x-amz-target'];
  return typeof target === 'string' && target.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : '';
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function safeParseJson(body: Buffer): unknown {
  try {
    return parseAwsJson(body);
  } catch {
    return undefined;
  }
}
