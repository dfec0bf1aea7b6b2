import { QUERY_ACTIONS, projectionArn, requireAction } from '../authz/query-actions';
import {
  ConflictException,
  Controller,
  Get,
  HttpCode,
  HttpStatus,
  NotFoundException,
  Param,
  Post,
  Req,
} from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { QueryCallers } from '../callers/query-callers';
import type { RebuildProgress } from './rebuild/rebuild-progress';
import { RebuildInProgress } from './rebuild/rebuild-lock';
import { ProjectionRebuilds, UnknownProjection } from './rebuild/projection-rebuilds.service';

function progressJson(progress: RebuildProgress) {
  return {
    rebuildId: progress.rebuildId,
    projection: progress.projection,
    status: progress.status,
    phase: progress.phase,
    eventsDone: progress.eventsDone,
    eventsTotal: progress.eventsTotal,
    eventsPerSecond: Math.round(progress.eventsPerSecond),
    etaSeconds: progress.etaSeconds === undefined ? null : Math.ceil(progress.etaSeconds),
    startedAt: progress.startedAt.toISOString(),
    finishedAt: progress.finishedAt?.toISOString() ?? null,
    error: progress.error ?? null,
  };
}

/**
 * Rebuilds of projections (docs/history-model.md#projections): POST starts one in the background and
 * answers 202 with its id; GET shows the latest rebuild of the projection, from any instance.
 * SigV4-signed for the service `aliastrail` like the query APIs, and allowed by the caller's policies:
 * `aliastrail:Rebuild` to start one, `aliastrail:DescribeRebuild` to look (on
 * arn:aws:aliastrail::<account>:projection/<name>).
 */
@Controller('admin/projections/:name/rebuild')
export class ProjectionsAdminController {
  constructor(
    private readonly callers: QueryCallers,
    private readonly rebuilds: ProjectionRebuilds,
  ) {}

  @Post()
  @HttpCode(HttpStatus.ACCEPTED)
  async start(@Req() req: FastifyRequest, @Param('name') name: string) {
    const caller = await this.callers.of(req);
    requireAction(caller, QUERY_ACTIONS.rebuild, projectionArn(caller.accountId, name));
    try {
      const { rebuildId } = await this.rebuilds.start(name);
      return { rebuildId, projection: name, status: 'running', progress: `/admin/projections/${name}/rebuild` };
    } catch (error) {
      if (error instanceof UnknownProjection)
        throw new NotFoundException({ error: { code: 'UnknownProjection', message: error.message } });
      if (error instanceof RebuildInProgress)
        throw new ConflictException({ error: { code: 'RebuildInProgress', message: error.message } });
      throw error;
    }
  }

  @Get()
  async status(@Req() req: FastifyRequest, @Param('name') name: string) {
    const caller = await this.callers.of(req);
    requireAction(caller, QUERY_ACTIONS.describeRebuild, projectionArn(caller.accountId, name));
    if (!this.rebuilds.names().includes(name))
      throw new NotFoundException({ error: { code: 'UnknownProjection', message: `no projection named ${name}` } });
    const progress = await this.rebuilds.status(name);
    if (!progress)
      throw new NotFoundException({ error: { code: 'NoRebuild', message: `${name} has never been rebuilt` } });
    return progress && progressJson(progress);
  }
}
