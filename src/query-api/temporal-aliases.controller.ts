import { BadRequestException, Controller, Get, NotFoundException, Param, Query, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { PrincipalRegistry } from '../auth/principal.registry';
import { formatCheckpoint } from '../event-store/checkpoint';
import { type AliasVersion, TemporalAliasesReader } from '../projections/temporal/temporal-aliases.reader';
import { queryCaller } from './query-caller';

const MAX_PAGE = 1000;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;

/** An alias version as the REST API shows it: when it held, what it pointed to, who began and ended it. */
function versionJson(version: AliasVersion) {
  return {
    aliasName: version.aliasName,
    version: version.version,
    targetKeyId: version.keyId,
    validFrom: version.validFrom.toISOString(),
    validTo: version.validTo?.toISOString() ?? null,
    startedBy: version.startedBy,
    endedBy: version.endedBy ?? null,
    endedReason: version.endedReason ?? null,
  };
}

function regionOf(region: string): string {
  if (!REGION.test(region))
    throw new BadRequestException({ error: { code: 'InvalidRegion', message: `Unknown Region ${region}.` } });
  return region;
}

function timeOf(at: string | undefined): Date {
  if (at === undefined) return new Date();
  const time = new Date(at);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(at) || Number.isNaN(time.getTime()))
    throw new BadRequestException({ error: { code: 'InvalidTime', message: '`at` must be an ISO 8601 date-time.' } });
  return time;
}

function keyIdOf(keyId: string): string {
  if (!/^[A-Za-z0-9-]{1,128}$/.test(keyId))
    throw new BadRequestException({
      error: { code: 'InvalidKeyId', message: 'The key id must be a key id, not an ARN or alias.' },
    });
  return keyId;
}

function nameOf(name: string | undefined): string {
  if (!name || !name.startsWith('alias/') || name.length > 256)
    throw new BadRequestException({
      error: { code: 'InvalidAliasName', message: '`name` must be an alias name (alias/…).' },
    });
  return name;
}

/**
 * Point-in-time questions about aliases, from the `temporal` projection: one alias at T, every alias
 * at T (paginated, name order), an alias's whole history. Each answer carries the log position it
 * reflects. Signed with SigV4 for the service `aliastrail`; the caller's account is the scope.
 */
@Controller('api/regions/:region')
export class TemporalAliasesController {
  constructor(
    private readonly principals: PrincipalRegistry,
    private readonly temporal: TemporalAliasesReader,
  ) {}

  @Get('aliases')
  async aliasesAt(
    @Req() req: FastifyRequest,
    @Param('region') region: string,
    @Query('at') at?: string,
    @Query('limit') limit?: string,
    @Query('nextToken') nextToken?: string,
  ) {
    const scope = await this.scopeOf(req, region);
    const time = timeOf(at);
    const size = limit === undefined ? 100 : Number(limit);
    if (!Number.isInteger(size) || size < 1 || size > MAX_PAGE)
      throw new BadRequestException({ error: { code: 'InvalidLimit', message: `limit must be 1 to ${MAX_PAGE}.` } });
    const after = nextToken === undefined ? undefined : Buffer.from(nextToken, 'base64url').toString('utf8');
    return this.temporal.snapshot(async (reader, position) => {
      const page = await reader.aliasesAt(scope, time, { after, limit: size + 1 });
      const shown = page.slice(0, size);
      return {
        at: time.toISOString(),
        position: formatCheckpoint(position),
        aliases: shown.map(versionJson),
        nextToken: page.length > size ? Buffer.from(shown[shown.length - 1]!.aliasName).toString('base64url') : null,
      };
    });
  }

  @Get('alias')
  async aliasAt(
    @Req() req: FastifyRequest,
    @Param('region') region: string,
    @Query('name') name?: string,
    @Query('at') at?: string,
  ) {
    const scope = await this.scopeOf(req, region);
    const [aliasName, time] = [nameOf(name), timeOf(at)];
    return this.temporal.snapshot(async (reader, position) => {
      const version = await reader.aliasAt(scope, aliasName, time);
      if (!version)
        throw new NotFoundException({
          error: { code: 'NotFound', message: `${aliasName} did not exist at ${time.toISOString()}.` },
          position: formatCheckpoint(position),
        });
      return { at: time.toISOString(), position: formatCheckpoint(position), alias: versionJson(version) };
    });
  }

  @Get('alias/history')
  async history(@Req() req: FastifyRequest, @Param('region') region: string, @Query('name') name?: string) {
    const scope = await this.scopeOf(req, region);
    const aliasName = nameOf(name);
    return this.temporal.snapshot(async (reader, position) => ({
      position: formatCheckpoint(position),
      aliasName,
      versions: (await reader.history(scope, aliasName)).map(versionJson),
    }));
  }

  @Get('keys/:keyId/aliases')
  async keyAliasesAt(
    @Req() req: FastifyRequest,
    @Param('region') region: string,
    @Param('keyId') keyId: string,
    @Query('at') at?: string,
  ) {
    const scope = await this.scopeOf(req, region);
    const time = timeOf(at);
    return this.temporal.snapshot(async (reader, position) => ({
      at: time.toISOString(),
      position: formatCheckpoint(position),
      keyId,
      aliases: (await reader.keyAliasesAt(scope, keyIdOf(keyId), time)).map(versionJson),
    }));
  }

  @Get('keys/:keyId/history')
  async keyHistory(@Req() req: FastifyRequest, @Param('region') region: string, @Param('keyId') keyId: string) {
    const scope = await this.scopeOf(req, region);
    return this.temporal.snapshot(async (reader, position) => ({
      position: formatCheckpoint(position),
      keyId,
      versions: (await reader.keyHistory(scope, keyIdOf(keyId))).map(versionJson),
    }));
  }

  @Get('diff')
  async diff(
    @Req() req: FastifyRequest,
    @Param('region') region: string,
    @Query('from') from?: string,
    @Query('to') to?: string,
  ) {
    const scope = await this.scopeOf(req, region);
    if (from === undefined)
      throw new BadRequestException({ error: { code: 'InvalidTime', message: '`from` is required.' } });
    const [start, end] = [timeOf(from), timeOf(to)];
    return this.temporal.snapshot(async (reader, position) => ({
      from: start.toISOString(),
      to: end.toISOString(),
      position: formatCheckpoint(position),
      changes: await reader.diff(scope, start, end),
    }));
  }

  /** The caller's account, in the Region asked about. */
  private async scopeOf(req: FastifyRequest, region: string) {
    const caller = await queryCaller(req, (id) => this.principals.find(id));
    return { accountId: caller.accountId, region: regionOf(region) };
  }
}
