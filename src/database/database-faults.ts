import { Logger } from '@nestjs/common';

/**
 * What the service saw of its database connections failing under it: counted for /metrics and
 * logged, at most once a second, so that a database going away does not flood the log.
 */
export class DatabaseFaults {
  private readonly logger = new Logger('Database');
  private lost = 0;
  private lastLoggedAt = 0;
  private unlogged = 0;

  get connectionsLost(): number {
    return this.lost;
  }

  connectionLost(error: Error): void {
    this.lost += 1;
    const now = Date.now();
    if (now - this.lastLoggedAt < 1000) {
      this.unlogged += 1;
      return;
    }
    const more = this.unlogged > 0 ? ` (and ${this.unlogged} more since the last report)` : '';
    this.lastLoggedAt = now;
    this.unlogged = 0;
    this.logger.warn(`a database connection failed: ${error.message}${more}`);
  }
}
