import { Controller, Get, Inject, Param, Query, Req } from '@nestjs/common';
import type { Config } from '../config/config';
import { CONFIG } from '../config/config.token';
import { asOfCuts } from './as-of-cuts';
import type { FastifyRequest } from 'fastify';
import { restError } from '../api-errors/rest-error';
import { Clock } from '../clock/clock';
import { denialMessage, denialOf } from '../authz/authorize';
import { QUERY_ACTIONS, historyArn, requireAction } from '../authz/query-actions';
import { QueryCallers } from '../callers/query-callers';
import { type Scope, keyArn } from '../kms/domain/identifiers';
import { defaultKeyPolicy } from '../kms/domain/key-policy';
import { KmsError } from '../kms/domain/kms-error';
import type { KeyState } from '../kms/domain/kms-state';
import { rotationStatus } from '../kms/domain/rotation-status';
import { KeysAtReader } from '../projections/temporal/keys-at.reader';
import { type KeyRow, KmsReader } from '../kms/store/kms-reader';
import { type QueryString, keyIdOf, regionOf, single, timeOf } from './query-params';
import { KeyAtDoc, KeysAtDoc, TemporalKeysApi } from './temporal-keys.openapi';
import { ObservedAccounts } from '../observed-accounts/observed-accounts';
import type { ObservedKey } from '../kms/domain/observed-keys';
import { TemporalAliasesReader } from '../projections/temporal/temporal-aliases.reader';
import { type Provenance, knownAt, provenanceJson } from './observed-answers';

/** Aliases of an observed account read at once for its key table (more are not shown). */
const OBSERVED_ALIASES = 10_000;

/**
 * A key as the REST API shows it: what DescribeKey said (now, or at a moment), and its aliases by
 * name. An observed account's key may lack what its evidence does not show (observed-keys.ts): null.
 */
type KeyFields = Pick<ObservedKey, 'keyId' | 'keyState' | 'keySpec' | 'keyUsage' | 'keyManager' | 'origin'> &
  Pick<ObservedKey, 'description' | 'creationDate'> & { readonly deletionDate?: Date | null };

const keyJsonOf = (scope: Scope, key: KeyFields, aliases: Iterable<string>) => ({
  keyId: key.keyId,
  arn: keyArn(scope, key.keyId),
  keyState: key.keyState,
  keySpec: key.keySpec,
  keyUsage: key.keyUsage,
  keyManager: key.keyManager,
  origin: key.origin,
  description: key.description,
  creationDate: key.creationDate?.toISOString() ?? null,
  deletionDate: key.deletionDate?.toISOString() ?? null,
  aliases: [...aliases].sort(),
});

/** A key at a moment, folded from the log. */
const keyJson = (scope: Scope, key: KeyState) => keyJsonOf(scope, key, key.aliases);

/** A key of the current model in the same shape. */
const currentKeyJson = (scope: Scope, row: KeyRow & { aliases: string[] }) =>
  keyJsonOf(
    scope,
    {
      keyId: row.key_id,
      keyState: row.key_state,
      keySpec: row.key_spec,
      keyUsage: row.key_usage,
      keyManager: row.key_manager,
      origin: row.origin,
      description: row.description,
      creationDate: row.creation_date,
      deletionDate: row.deletion_date,
    },
    row.aliases,
  );

/** What GetKeyRotationStatus answered at `at`, or its error (keys of imported material have none). */
function rotationAt(scope: Scope, key: KeyState, at: Date) {
  try {
    const status = rotationStatus(scope, key, at);
    return {
      keyRotationEnabled: status.KeyRotationEnabled === true,
      rotationPeriodInDays: (status.RotationPeriodInDays as number | undefined) ?? null,
      nextRotationDate: (status.NextRotationDate as Date | undefined)?.toISOString() ?? null,
    };
  } catch (error) {
    if (error instanceof KmsError) return { error: error.message ?? error.code };
    throw error;
  }
}

/**
 * Keys as they were at a moment (the console's time travel): every key of a Region, deleted ones
 * included, or one key with its settings. aliastrail:ReadHistory opens the history; each key's
 * metadata is shown only to a caller who may read it through KMS as well (kms:DescribeKey), and its
 * tags, key policy and rotation only with kms:ListResourceTags, kms:GetKeyPolicy and
 * kms:GetKeyRotationStatus: the past is no way round a denial of the present.
 */
@TemporalKeysApi()
@Controller('api/regions/:region/keys')
export class TemporalKeysController {
  constructor(
    private readonly callers: QueryCallers,
    private readonly keys: KeysAtReader,
    private readonly current: KmsReader,
    // "Now" is the service's clock, as the events' times are (tests may move it).
    private readonly clock: Clock,
    private readonly observed: ObservedAccounts,
    private readonly temporal: TemporalAliasesReader,
    @Inject(CONFIG) private readonly config: Config,
  ) {}

  @Get()
  @KeysAtDoc()
  async keysAt(@Req() req: FastifyRequest, @Param('region') region: string, @Query() params: QueryString) {
    const { caller, scope } = await this.callerScope(req, region);
    const asked = single(params, 'at');
    const at = timeOf(asked, 'at', () => this.clock.now());
    const describable = (keyId: string) => !denialOf(caller, 'kms:DescribeKey', [keyArn(scope, keyId)]);
    const provenance = await this.provenance(scope);
    if (provenance !== undefined) {
      const known = knownAt(provenance, [{ at }]);
      const keys = known ? (await this.observedKeys(scope, at)).map((k) => k.json) : [];
      const shown = keys.filter((key) => describable(key.keyId));
      return {
        at: at.toISOString(),
        ...provenanceJson(provenance),
        known,
        keys: shown,
        hiddenKeys: keys.length - shown.length,
      };
    }
    // Now: the current model, which the appending transactions keep (one read of what is, however long
    // the history); a moment: the log folded up to it.
    const keys =
      asked === undefined
        ? (await this.current.keysWithAliases(scope)).map((row) => currentKeyJson(scope, row))
        : (await this.keys.keysAt(scope, at)).map((key) => keyJson(scope, key));
    const shown = keys.filter((key) => describable(key.keyId));
    return {
      at: at.toISOString(),
      ...provenanceJson(undefined),
      known: true,
      keys: shown,
      hiddenKeys: keys.length - shown.length,
    };
  }

  @Get(':keyId')
  @KeyAtDoc()
  async keyAt(
    @Req() req: FastifyRequest,
    @Param('region') region: string,
    @Param('keyId') keyId: string,
    @Query() params: QueryString,
  ) {
    const { caller, scope } = await this.callerScope(req, region);
    const id = keyIdOf(keyId);
    const arn = keyArn(scope, id);
    const describeDenial = denialOf(caller, 'kms:DescribeKey', [arn]);
    if (describeDenial) throw restError(403, 'AccessDeniedException', denialMessage(describeDenial));
    const at = timeOf(single(params, 'at'), 'at', () => this.clock.now());
    const allowed = (action: string) => !denialOf(caller, action, [arn]);
    const provenance = await this.provenance(scope);
    if (provenance !== undefined) {
      // An observed key: what its records and snapshots show (null where they do not).
      const known = knownAt(provenance, [{ at }]);
      const found = known ? (await this.observedKeys(scope, at)).find((k) => k.key.keyId === id) : undefined;
      const about = { at: at.toISOString(), ...provenanceJson(provenance), known };
      if (!known) return { ...about, key: null };
      if (!found) throw restError(404, 'NotFound', `Key ${id} did not exist at ${at.toISOString()}.`, about);
      const { key, json } = found;
      const rotation = key.rotation && {
        keyRotationEnabled: key.rotation.enabled,
        rotationPeriodInDays: key.rotation.rotationPeriodInDays,
        nextRotationDate: null,
      };
      return {
        ...about,
        key: {
          ...json,
          tags: allowed('kms:ListResourceTags') ? key.tags : null,
          policy: allowed('kms:GetKeyPolicy')
            ? (key.policy ?? (key.policyIsDefault ? defaultKeyPolicy(scope) : null))
            : null,
          policyIsDefault: key.policyIsDefault,
          rotation: allowed('kms:GetKeyRotationStatus') ? rotation : null,
        },
      };
    }
    const key = await this.keys.keyAt(scope, id, at);
    if (!key) throw restError(404, 'NotFound', `Key ${id} did not exist at ${at.toISOString()}.`);
    return {
      at: at.toISOString(),
      ...provenanceJson(undefined),
      known: true,
      key: {
        ...keyJson(scope, key),
        tags: allowed('kms:ListResourceTags') ? key.tags : null,
        // As GetKeyPolicy answers: the default policy while none was set.
        policy: allowed('kms:GetKeyPolicy') ? (key.policy ?? defaultKeyPolicy(scope)) : null,
        policyIsDefault: key.policy === undefined,
        rotation: allowed('kms:GetKeyRotationStatus') ? rotationAt(scope, key, at) : null,
      },
    };
  }

  /**
   * Whether the account is observed, and what its evidence covers then (observed-answers.ts). An
   * observed account's keys take their aliases and evidence from the temporal model: it first waits
   * (bounded) until the model has applied every event committed when the request arrived, so the
   * answer reflects them all, as a served account's (folded from the log itself) does.
   */
  private async provenance(scope: Scope): Promise<Provenance> {
    if (!(await this.observed.isObservedNow(scope.accountId))) return undefined;
    await asOfCuts(this.temporal, { asOf: [], waitForPosition: 'latest', waitTimeoutMs: this.config.queryWaitMaxMs });
    return this.temporal.observedEvidence(scope);
  }

  /** An observed account's keys at `at`, each with the aliases that pointed to it then. */
  private async observedKeys(scope: Scope, at: Date) {
    const [keys, aliases] = await Promise.all([
      this.keys.observedKeysAt(scope, at),
      this.temporal.aliasesAt(scope, at, { limit: OBSERVED_ALIASES }),
    ]);
    const byKey = new Map<string, string[]>();
    for (const alias of aliases.answer)
      if (alias.keyId !== null)
        (byKey.get(alias.keyId) ?? byKey.set(alias.keyId, []).get(alias.keyId)!).push(alias.aliasName);
    return keys.map((key) => ({ key, json: keyJsonOf(scope, key, byKey.get(key.keyId) ?? []) }));
  }

  private async callerScope(req: FastifyRequest, region: string) {
    const caller = await this.callers.of(req);
    const scope = { accountId: caller.accountId, region: regionOf(region) };
    requireAction(caller, QUERY_ACTIONS.readHistory, historyArn(scope));
    return { caller, scope };
  }
}
