import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import type { KeyObject } from 'node:crypto';
import type { Kysely } from 'kysely';
import { Clock } from '../clock/clock';
import type { Config } from '../config/config';
import { CONFIG } from '../config/config.token';
import { DATABASE_URL, KYSELY } from '../database/database.tokens';
import type { Database } from '../database/database.types';
import { AppendListener } from '../event-store/append-listener';
import { SubscriptionRegistry } from '../event-store/subscription.registry';
import { type DigestSigner, type SignedDigest, digestSignatureValid } from './digest';
import { digestLine } from './export-format';
import { LedgerSequencer } from './ledger-sequencer';
import { readLastDigest, readState } from './ledger-store';
import { LedgerClock } from './ledger-clock';
import { isoMicros, microsOf } from './micro-time';
import type { SequencerState } from './sequencer-plan';
import { type LedgerSigningKey, openSigningKey, verificationKeys } from './signing-key';
import { verifyOnline } from './verify/online-verify';
import type { VerifyReport } from './verify/verify-report';

/**
 * Runs the ledger's sequencer in this instance (they take turns; see LedgerSequencer) and answers
 * the admin API's verify. The signing key is opened at the first batch: generated if the chain has
 * no key yet, refused if the chain is signed with another one (instances must share the key file).
 */
@Injectable()
export class LedgerService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('Ledger');
  private readonly sequencer: LedgerSequencer;
  private readonly ledgerClock: LedgerClock;
  private key: LedgerSigningKey | undefined;
  private verifying: Promise<VerifyReport> | undefined;

  constructor(
    @Inject(KYSELY) private readonly db: Kysely<Database>,
    @Inject(DATABASE_URL) private readonly databaseUrl: string,
    listener: AppendListener,
    private readonly registry: SubscriptionRegistry,
    @Inject(CONFIG) private readonly config: Config,
    clock: Clock,
  ) {
    // Digests are dated by the real time, whatever the controllable clock says (ledger-clock.ts).
    this.ledgerClock = new LedgerClock(clock);
    this.sequencer = new LedgerSequencer(db, listener, this.ledgerClock, (state) => this.signerFor(state), {
      pollIntervalMs: config.subscriptionPollIntervalMs,
      digestEvery: config.ledgerDigestEvents,
      catchUpShare: config.ledgerCatchUpShare,
      onError: (error) => this.logger.error(error.message),
    });
  }

  onApplicationBootstrap(): void {
    if (!this.config.ledgerSequencer) return; // another instance sequences
    this.sequencer.start();
    this.registry.add(this.sequencer);
    void this.warnIfDatedAhead();
  }

  /**
   * A chain an older version dated by the controllable clock may have its open period start ahead
   * of the real time. Its dates never go back (planBatch; verify requires each period to start where
   * the previous one ended), so new entries and digests are dated at that start until the real time
   * reaches it: said once, so that nobody takes it for a clock fault (a minute ahead is left to
   * instances whose clocks disagree a little).
   */
  private async warnIfDatedAhead(): Promise<void> {
    const start = (await readState(this.db).catch(() => undefined))?.periodStart ?? null;
    if (start !== null && start > microsOf(this.ledgerClock.now()) + 60_000_000)
      this.logger.warn(
        `the ledger's open digest period starts at ${isoMicros(start)}, after the real time (an older version dated it by the controllable clock): entries and digests are dated then until that time comes`,
      );
  }

  async onModuleDestroy(): Promise<void> {
    await this.sequencer.stop();
  }

  /** Verifies the whole ledger with this instance's public key; concurrent calls share one run. */
  verify(): Promise<VerifyReport> {
    this.verifying ??= verifyOnline(this.db, {
      publicKeys: this.publicKeys(),
      connectionString: this.databaseUrl,
    }).finally(() => (this.verifying = undefined));
    return this.verifying;
  }

  /**
   * Where the sequencer stands, and the last signed digest: the document exactly as the export's
   * digests.jsonl line has it (what was signed, and the signature), and whether that signature holds
   * for this instance's key (a full check is verify's).
   */
  async status() {
    // A row the database cannot even convert (a time past what a bigint of microseconds holds) is
    // reported as unreadable, like one the document cannot hold.
    const [state, digest] = await Promise.all([
      readState(this.db),
      readLastDigest(this.db).catch(() => 'unreadable' as const),
    ]);
    const instant = (t: number | null) => (t === null ? null : isoMicros(t));
    return {
      ledgerSeq: state.ledgerSeq,
      headHash: state.headHash,
      checkpoint: {
        transactionId: state.checkpoint.transactionId.toString(),
        position: state.checkpoint.position.toString(),
      },
      digestSeq: state.digestSeq,
      undigestedEntries: state.ledgerSeq - state.digestToSeq,
      periodStart: instant(state.periodStart),
      chainKeyFingerprint: state.keyFingerprint,
      keyFingerprint: this.key?.fingerprint ?? null,
      publicKeyFile: this.key?.publicKeyFile ?? null,
      digestEvery: this.config.ledgerDigestEvents,
      lastError: this.sequencer.status.lastError ?? null,
      lastDigest:
        digest === 'unreadable' ? { document: null, signatureValid: false } : digest ? this.digestView(digest) : null,
    };
  }

  /**
   * A digest as the status shows it, whatever was done to its row: a value no document can hold (a
   * time out of range) or a missing public key file makes it unverifiable here, not the status a
   * 500, since a tampered ledger is when the status matters most (verify says what is wrong).
   */
  private digestView(digest: SignedDigest) {
    let document: Record<string, unknown> | null = null;
    try {
      document = JSON.parse(digestLine(digest)) as Record<string, unknown>;
    } catch {
      return { document, signatureValid: false };
    }
    let publicKey: KeyObject | undefined;
    try {
      publicKey = this.publicKeys().get(digest.keyFingerprint);
    } catch {
      publicKey = undefined;
    }
    return { document, signatureValid: publicKey ? digestSignatureValid(digest, publicKey) : null };
  }

  private publicKeys(): Map<string, KeyObject> {
    if (this.key) return new Map([[this.key.fingerprint, this.key.publicKey]]);
    return verificationKeys([], this.config.ledgerKeyFile);
  }

  private signerFor(state: SequencerState): DigestSigner {
    if (!this.key) {
      const { key, created } = openSigningKey(this.config.ledgerKeyFile, { create: state.keyFingerprint === null });
      if (created)
        this.logger.log(
          `generated the ledger signing key ${key.file} (mode 0600); verifiers need its public key ${key.publicKeyFile} (fingerprint ${key.fingerprint})`,
        );
      this.key = key;
    }
    return this.key.signer;
  }
}
