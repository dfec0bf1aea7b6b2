import { Inject, Injectable, Logger } from '@nestjs/common';
import type { KeyObject } from 'node:crypto';
import { Clock } from '../clock/clock';
import type { Config } from '../config/config';
import { CONFIG } from '../config/config.token';
import { openSigningKey } from '../ledger/signing-key';
import { type PageTokenUse, openPageToken, sealPageToken } from './page-token-codec';
import { pageTokenKeyFromFile } from './page-token-key';

/** How long a page token is honoured after it was issued: a day, ample for paging through any listing. */
export const PAGE_TOKEN_LIFETIME_MS = 24 * 60 * 60 * 1000;

/**
 * Issues and opens the page tokens of every API (KMS markers, LookupEvents and REST `nextToken`s,
 * GraphQL cursors): MAC'd with a key derived from the ledger's signing key file, which every
 * instance shares, so a token issued by one instance pages on any other. Time is the injected
 * clock's, as for everything the service stamps.
 */
@Injectable()
export class PageTokens {
  private readonly logger = new Logger('PageTokens');
  private key: KeyObject | undefined;

  constructor(
    @Inject(CONFIG) private readonly config: Config,
    private readonly clock: Clock,
  ) {}

  /** A token for `payload` (where the next page starts), good for the same use only. */
  issue(use: PageTokenUse, payload: Uint8Array): string {
    return sealPageToken(this.macKey(), use, payload, this.clock.now());
  }

  /** The payload `issue` sealed, or InvalidPageToken (forged, altered, other use, or expired). */
  open(use: PageTokenUse, token: string): Buffer {
    return openPageToken(this.macKey(), use, token, this.clock.now(), PAGE_TOKEN_LIFETIME_MS);
  }

  /**
   * Read at first use, not at start: the ledger generates the key file at its first batch, and
   * where no instance has yet, this does, in the same race-safe way (every process ends up with the
   * one file that won).
   */
  private macKey(): KeyObject {
    if (!this.key) {
      const { key, created } = openSigningKey(this.config.ledgerKeyFile, { create: true });
      if (created) this.logger.log(`generated the ledger signing key ${key.file} (mode 0600) for page tokens`);
      this.key = pageTokenKeyFromFile(key.file);
    }
    return this.key;
  }
}
