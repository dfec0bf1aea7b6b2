import { Controller, Get, Param, Query, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { restError } from '../api-errors/rest-error';
import { QUERY_ACTIONS, historyArn, requireAction } from '../authz/query-actions';
import { QueryCallers } from '../callers/query-callers';
import { type Scope, keyArn } from '../kms/domain/identifiers';
import { defaultKeyPolicy } from '../kms/domain/key-policy';
import type { KeyState } from '../kms/domain/kms-state';
import { KeysAtReader } from '../projections/temporal/keys-at.reader';
import { type QueryString, keyIdOf, regionOf, single, timeOf } from './query-params';
import { KeyAtDoc, KeysAtDoc, TemporalKeysApi } from './temporal-keys.openapi';

/** A key at a moment, as the REST API shows it: what DescribeKey said then, and its aliases by name. */
const keyJson = (scope: Scope, key: KeyState) => ({
  keyId: key.keyId,
  arn: keyArn(scope, key.keyId),
  keyState: key.keyState,
  keySpec: key.keySpec,
  keyUsage: key.keyUsage,
  keyManager: key.keyManager,
  origin: key.origin,
  description: key.description,
  creationDate: key.creationDate.toISOString(),
  deletionDate: key.deletionDate?.toISOString() ?? null,
  aliases: [...key.aliases].sort(),
});

/**
 * Keys as they were at a moment (the console's time travel): every key of a Region, deleted ones
 * included, or one key with its settings. Allowed by aliastrail:ReadHistory, like the alias history:
 * an auditor who may read the history reads the keys' past metadata, key policies included.
 */
@TemporalKeysApi()
@Controller('api/regions/:region/keys')
export class TemporalKeysController {
  constructor(
    private readonly callers: QueryCallers,
    private readonly keys: KeysAtReader,
  ) {}

  @Get()
  @KeysAtDoc()
  async keysAt(@Req() req: FastifyRequest, @Param('region') region: string, @Query() params: QueryString) {
    const scope = await this.scopeOf(req, region);
    const at = timeOf(single(params, 'at'));
    const keys = await this.keys.keysAt(scope, at);
    return { at: at.toISOString(), keys: keys.map((key) => keyJson(scope, key)) };
  }

  @Get(':keyId')
  @KeyAtDoc()
  async keyAt(
    @Req() req: FastifyRequest,
    @Param('region') region: string,
    @Param('keyId') keyId: string,
    @Query() params: QueryString,
  ) {
    const scope = await this.scopeOf(req, region);
    const id = keyIdOf(keyId);
    const at = timeOf(single(params, 'at'));
    const key = await this.keys.keyAt(scope, id, at);
    if (!key) throw restError(404, 'NotFound', `Key ${id} did not exist at ${at.toISOString()}.`);
    return {
      at: at.toISOString(),
      key: {
        ...keyJson(scope, key),
        tags: key.tags,
        // As GetKeyPolicy answers: the default policy while none was set.
        policy: key.policy ?? defaultKeyPolicy(scope),
        policyIsDefault: key.policy === undefined,
        rotationPeriodInDays: key.rotationPeriodInDays ?? null,
        nextRotationDate: key.nextRotationDate?.toISOString() ?? null,
      },
    };
  }

  private async scopeOf(req: FastifyRequest, region: string): Promise<Scope> {
    const caller = await this.callers.of(req);
    const scope = { accountId: caller.accountId, region: regionOf(region) };
    requireAction(caller, QUERY_ACTIONS.readHistory, historyArn(scope));
    return scope;
  }
}
