import { QUERY_ACTIONS, auditArn, historyArn, requireAction } from '../authz/query-actions';
import { Controller, Get, Inject, Param, Query, Req } from '@nestjs/common';
import { Clock } from '../clock/clock';
import type { FastifyRequest } from 'fastify';
import { restError } from '../api-errors/rest-error';
import type { Config } from '../config/config';
import { CONFIG } from '../config/config.token';
import { PageTokens } from '../page-tokens/page-tokens.service';
import { AuditEventsReader } from '../projections/audit/audit-events.reader';
import { TemporalAliasesReader } from '../projections/temporal/temporal-aliases.reader';
import { aliasUsage } from '../projections/audit/alias-usage-snapshot';
import { type Cut, describeCut } from '../projections/temporal/temporal-cut';
import type { Snapshot, SnapshotView } from '../projections/temporal/temporal-aliases.reader';
import { type AsOfRequest, asOfCuts, reflecting } from './as-of-cuts';
import { QueryCallers } from '../callers/query-callers';
import {
  type AsOf,
  type QueryString,
  asOfOf,
  booleanOf,
  keyIdOf,
  limitOf,
  nameOf,
  nextPageToken,
  pageTokenOf,
  regionOf,
  single,
  waitForPositionOf,
  waitTimeoutOf,
} from './query-params';
import { cutJson, finalAt, reflects, versionJson } from './temporal-answers';
import { ObservedAccounts } from '../observed-accounts/observed-accounts';
import { type Provenance, knownAt, provenanceJson } from './observed-answers';
import type { Scope } from '../kms/domain/identifiers';
import {
  AliasAtDoc,
  AliasHistoryDoc,
  AliasesAtDoc,
  DiffDoc,
  KeyAliasesAtDoc,
  KeyHistoryDoc,
  TemporalAliasesApi,
} from './temporal-aliases.openapi';

/**
 * Point-in-time questions about aliases, from the `temporal` projection: one alias at T, every alias
 * at T (paginated, name order), an alias's history, a key's aliases at T and over time, and what
 * changed between two times. "At" is a time or a log position; each answer carries the log position
 * it reflects and whether it is final. Authenticated with SigV4 for the service `aliastrail` or a
 * principal's bearer token; the caller's account is the scope.
 */
@TemporalAliasesApi()
@Controller('api/regions/:region')
export class TemporalAliasesController {
  constructor(
    private readonly callers: QueryCallers,
    private readonly temporal: TemporalAliasesReader,
    @Inject(CONFIG) private readonly config: Config,
    private readonly tokens: PageTokens,
    private readonly audit: AuditEventsReader,
    // "Now" is the service's clock, which tests may move (ALIASTRAIL_CLOCK=controllable), as the events' times are.
    private readonly clock: Clock,
    private readonly observed: ObservedAccounts,
  ) {}

  @Get('aliases')
  @AliasesAtDoc()
  async aliasesAt(@Req() req: FastifyRequest, @Param('region') region: string, @Query() params: QueryString) {
    const scope = await this.scopeOf(req, region);
    const size = limitOf(single(params, 'limit'));
    const after = pageTokenOf(this.tokens, scope, single(params, 'nextToken'));
    const { cuts, target } = await asOfCuts(this.temporal, this.request(params, [this.asOf(params)]));
    const cut = cuts[0]!;
    const read = this.temporal.aliasesAt(scope, cut, { after, limit: size + 1 });
    const { snapshot, provenance } = await this.observedRead(scope, read);
    const known = knownAt(provenance, [cut]);
    const { answer: found, position, view } = reflecting(target, snapshot);
    const page = known ? found : [];
    const shown = page.slice(0, size);
    return {
      ...cutJson(cut),
      ...reflects(position, view),
      final: this.final([cut], view, provenance),
      ...this.about(provenance, known),
      aliases: shown.map(versionJson),
      nextToken: page.length > size ? nextPageToken(this.tokens, scope, shown[shown.length - 1]!.aliasName) : null,
    };
  }

  @Get('alias')
  @AliasAtDoc()
  async aliasAt(@Req() req: FastifyRequest, @Param('region') region: string, @Query() params: QueryString) {
    const scope = await this.scopeOf(req, region);
    const aliasName = nameOf(single(params, 'name'));
    const { cuts, target } = await asOfCuts(this.temporal, this.request(params, [this.asOf(params)]));
    const cut = cuts[0]!;
    const { snapshot, provenance } = await this.observedRead(scope, this.temporal.aliasAt(scope, aliasName, cut));
    const known = knownAt(provenance, [cut]);
    const { answer: version, position, view } = reflecting(target, snapshot);
    const about = {
      ...cutJson(cut),
      ...reflects(position, view),
      final: this.final([cut], view, provenance),
      ...this.about(provenance, known),
    };
    // Before an observed account's evidence, not "did not exist" but "cannot be said".
    if (!known) return { ...about, alias: null };
    if (!version) throw restError(404, 'NotFound', `${aliasName} did not exist at ${describeCut(cut)}.`, about);
    return { ...about, alias: versionJson(version) };
  }

  @Get('alias/history')
  @AliasHistoryDoc()
  async history(@Req() req: FastifyRequest, @Param('region') region: string, @Query() params: QueryString) {
    const { caller, scope } = await this.callerScope(req, region);
    const aliasName = nameOf(single(params, 'name'));
    const withUsage = booleanOf(single(params, 'usage'), 'usage');
    // Who called is the audit trail's: usage needs its permission too.
    if (withUsage) requireAction(caller, QUERY_ACTIONS.readAudit, auditArn(scope));
    const { target } = await asOfCuts(this.temporal, this.request(params, []));
    const { snapshot, provenance } = await this.observedRead(scope, this.temporal.history(scope, aliasName));
    const { answer: versions, position, view } = reflecting(target, snapshot);
    const answer = {
      ...reflects(position, view),
      ...provenanceJson(provenance),
      aliasName,
      versions: versions.map(versionJson),
    };
    if (!withUsage) return answer;
    const { usagePosition, usage } = await aliasUsage(this.audit, scope, aliasName, versions);
    const withCounts = answer.versions.map((v) => ({ ...v, usage: usage.get(v.version) ?? [] }));
    return { ...answer, usagePosition, versions: withCounts };
  }

  @Get('keys/:keyId/aliases')
  @KeyAliasesAtDoc()
  async keyAliasesAt(
    @Req() req: FastifyRequest,
    @Param('region') region: string,
    @Param('keyId') keyId: string,
    @Query() params: QueryString,
  ) {
    const scope = await this.scopeOf(req, region);
    const key = keyIdOf(keyId);
    const { cuts, target } = await asOfCuts(this.temporal, this.request(params, [this.asOf(params)]));
    const cut = cuts[0]!;
    const { snapshot, provenance } = await this.observedRead(scope, this.temporal.keyAliasesAt(scope, key, cut));
    const known = knownAt(provenance, [cut]);
    const { answer: aliases, position, view } = reflecting(target, snapshot);
    return {
      ...cutJson(cut),
      ...reflects(position, view),
      final: this.final([cut], view, provenance),
      ...this.about(provenance, known),
      keyId: key,
      aliases: known ? aliases.map(versionJson) : [],
    };
  }

  @Get('keys/:keyId/history')
  @KeyHistoryDoc()
  async keyHistory(
    @Req() req: FastifyRequest,
    @Param('region') region: string,
    @Param('keyId') keyId: string,
    @Query() params: QueryString,
  ) {
    const scope = await this.scopeOf(req, region);
    const key = keyIdOf(keyId);
    const { target } = await asOfCuts(this.temporal, this.request(params, []));
    const { snapshot, provenance } = await this.observedRead(scope, this.temporal.keyHistory(scope, key));
    const { answer: versions, position, view } = reflecting(target, snapshot);
    return {
      ...reflects(position, view),
      ...provenanceJson(provenance),
      keyId: key,
      versions: versions.map(versionJson),
    };
  }

  @Get('diff')
  @DiffDoc()
  async diff(@Req() req: FastifyRequest, @Param('region') region: string, @Query() params: QueryString) {
    const scope = await this.scopeOf(req, region);
    if (single(params, 'from') === undefined && single(params, 'fromPosition') === undefined)
      throw restError(400, 'InvalidTime', '`from` or `fromPosition` is required.');
    const asOf = [this.asOf(params, 'from'), this.asOf(params, 'to')];
    const { cuts, target } = await asOfCuts(this.temporal, this.request(params, asOf));
    const [from, to] = [cuts[0]!, cuts[1]!];
    const { snapshot, provenance } = await this.observedRead(scope, this.temporal.diff(scope, from, to));
    const known = knownAt(provenance, [from, to]);
    const { answer: changes, position, view } = reflecting(target, snapshot);
    return {
      ...cutJson(from, 'from'),
      ...cutJson(to, 'to'),
      ...reflects(position, view),
      final: this.final([from, to], view, provenance),
      ...this.about(provenance, known),
      changes: known ? changes : [],
    };
  }

  /**
   * A snapshot and its provenance (observed-answers.ts), asked at once: whether the account is
   * observed, and the read, whose own statement says what the evidence covered in that snapshot.
   */
  private async observedRead<T>(scope: Scope, read: Promise<Snapshot<T>>) {
    const [observed, snapshot] = await Promise.all([this.observed.isObservedNow(scope.accountId), read]);
    const provenance: Provenance = observed ? snapshot.evidence : undefined;
    return { snapshot, provenance };
  }

  /** `observed`, and `known` where the answer is about a moment. */
  private about(provenance: Provenance, known: boolean) {
    return { ...provenanceJson(provenance), known };
  }

  /** An observed account's answers are never final: a late CloudTrail file may still change any of them. */
  private final(cuts: readonly Cut[], view: SnapshotView, provenance: Provenance): boolean {
    return provenance === undefined && finalAt(cuts, view);
  }

  /** The caller's account in the Region, once its policies allow reading that history (403 otherwise). */
  private async scopeOf(req: FastifyRequest, region: string) {
    return (await this.callerScope(req, region)).scope;
  }

  private async callerScope(req: FastifyRequest, region: string) {
    const caller = await this.callers.of(req);
    const scope = { accountId: caller.accountId, region: regionOf(region) };
    requireAction(caller, QUERY_ACTIONS.readHistory, historyArn(scope));
    return { caller, scope };
  }

  private asOf(params: QueryString, name = 'at'): AsOf {
    return asOfOf(single(params, name), single(params, `${name}Position`), name, () => this.clock.now());
  }

  private request(params: QueryString, asOf: AsOf[]): AsOfRequest {
    return {
      asOf,
      waitForPosition: waitForPositionOf(single(params, 'waitForPosition')),
      waitTimeoutMs: waitTimeoutOf(single(params, 'waitTimeoutMs'), this.config.queryWaitMaxMs),
    };
  }
}
