import { Injectable, Logger } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { Principal } from '../auth/principal';
import type { ConsoleLoginRecorded } from '../audit/console-login';
import { Clock } from '../clock/clock';
import { IdGenerator } from '../clock/id-generator';
import { EventStore } from '../event-store/event-store';
import { consoleLoginEvent } from './console-login-event';

/**
 * Appends a sign-in's ConsoleLogin record before the sign-in is answered: a session nobody can find
 * in the trail must not begin. Attempts on keys no principal has are not recorded, as failed KMS
 * calls with such keys are not: they name no account whose trail could show them.
 */
@Injectable()
export class ConsoleLoginRecorder {
  private readonly logger = new Logger(ConsoleLoginRecorder.name);

  constructor(
    private readonly store: EventStore,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
  ) {}

  /** Records a successful sign-in; throws when it cannot, and then no session may begin. */
  async success(req: FastifyRequest, principal: Principal): Promise<void> {
    await this.append(req, principal, 'Success');
  }

  /** Records a failed sign-in; a failure to record it is logged, and the caller still gets its 401. */
  async failure(req: FastifyRequest, principal: Principal): Promise<void> {
    try {
      await this.append(req, principal, 'Failure');
    } catch (error) {
      this.logger.error(`failed console sign-in not recorded: ${(error as Error).message}`);
    }
  }

  private async append(req: FastifyRequest, principal: Principal, outcome: ConsoleLoginRecorded['outcome']) {
    await this.store.append([
      consoleLoginEvent({
        eventId: this.ids.uuid(),
        requestId: req.id,
        principal,
        outcome,
        sourceIp: req.ip,
        userAgent: String(req.headers['user-agent'] ?? ''),
        eventTime: this.clock.now(),
        loginTo: `${req.protocol}://${req.host}/console`,
      }),
    ]);
  }
}
