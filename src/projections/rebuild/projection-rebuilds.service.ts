import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import type { Kysely } from 'kysely';
import { KYSELY } from '../../database/database.tokens';
import type { Database } from '../../database/database.types';
import { EventStore } from '../../event-store/event-store';
import { ProjectionsService } from '../projections.service';
import { type StartedRebuild, startRebuild } from './projection-rebuild';
import type { RebuildProgress } from './rebuild-progress';
import { latestRun } from './rebuild-runs';
import { rebuildTargets } from './rebuild-targets';

/** No projection of that name can be rebuilt. */
export class UnknownProjection extends Error {
  override readonly name = 'UnknownProjection';
}

/**
 * Rebuilds started through the admin API, run in the background of this instance. Their progress
 * is read from projection_rebuilds, so any instance can report any rebuild, the CLI's included.
 */
@Injectable()
export class ProjectionRebuilds implements OnModuleDestroy {
  private readonly logger = new Logger(ProjectionRebuilds.name);
  private readonly running = new Map<string, { abort: AbortController; finished: Promise<unknown> }>();

  constructor(
    @Inject(KYSELY) private readonly db: Kysely<Database>,
    private readonly store: EventStore,
    private readonly projections: ProjectionsService,
  ) {}

  /** The names `start` accepts. */
  names(): string[] {
    return [...rebuildTargets(this.store, this.projections.projections).keys()];
  }

  /** Starts a rebuild; RebuildInProgress when one of `name` runs anywhere, UnknownProjection for a bad name. */
  async start(name: string): Promise<StartedRebuild> {
    const target = rebuildTargets(this.store, this.projections.projections).get(name);
    if (!target) throw new UnknownProjection(`no projection named ${JSON.stringify(name)}; known: ${this.names()}`);
    const abort = new AbortController();
    const started = await startRebuild({ db: this.db, store: this.store }, target, { signal: abort.signal });
    const finished = started.finished.then(
      (done) => this.logger.log(`rebuilt ${name}: ${done.eventsDone} events, ${Math.round(done.eventsPerSecond)}/s`),
      (error: Error) => this.logger.error(`the rebuild of ${name} failed: ${error.message}`),
    );
    this.running.set(started.rebuildId, { abort, finished });
    void finished.finally(() => this.running.delete(started.rebuildId));
    return started;
  }

  /** The latest rebuild of `name`, wherever it ran. */
  status(name: string): Promise<RebuildProgress | undefined> {
    return latestRun(this.db, name);
  }

  /** A rebuild cut short drops its shadow; the live model stays as it was. */
  async onModuleDestroy(): Promise<void> {
    for (const { abort } of this.running.values()) abort.abort();
    await Promise.all([...this.running.values()].map((run) => run.finished));
  }
}
