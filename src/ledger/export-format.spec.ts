import { generateKeyPairSync } from 'node:crypto';
import { digestSignatureValid, ed25519Signer } from './digest';
import { digestLine, ledgerLine, occurredAtOf, parseDigestLine, parseLedgerLine } from './export-format';
import { INITIAL_STATE, planBatch } from './sequencer-plan';
import { fingerprintOf } from './signing-key';

const line = {
  seq: 7,
  position: '42',
  transactionId: '9001',
  eventId: '0b6f1f8e-2f0e-4d39-9d57-2a3f4b5c6d7e',
  eventHash: 'a'.repeat(64),
  prevHash: 'b'.repeat(64),
  entryHash: 'c'.repeat(64),
  sequencedAt: '2026-11-28T10:00:00.000001Z',
  event:
    '{"data":{"x":"\\"occurred_at\\":\\"1999"},"event_id":"e","metadata":{},"occurred_at":"2026-11-28T09:59:59.123456Z","position":"42"}',
};

describe('the export format', () => {
  it('reads back a ledger line, the event verbatim', () => {
    expect(parseLedgerLine(ledgerLine(line))).toEqual(line);
    expect(parseLedgerLine(ledgerLine({ ...line, event: null }))).toEqual({ ...line, event: null });
  });

  it('reads a reformatted line too, its event canonical again', () => {
    const reformatted = JSON.stringify({ ...JSON.parse(ledgerLine(line)), extra: 1 }, null, 2).replace(/\n/g, ' ');
    expect(parseLedgerLine(reformatted)).toEqual(line);
  });

  it('finds the event time in the canonical text, not in its data', () => {
    expect(occurredAtOf(line.event)).toBe(Date.parse('2026-11-28T09:59:59.123Z') * 1000 + 456);
    expect(occurredAtOf('{"occurred_at":"infinity"}')).toBeNull();
  });

  it('reads back a digest line that still verifies', () => {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const signer = ed25519Signer(privateKey, fingerprintOf(publicKey));
    const event = {
      position: '1',
      transactionId: '5',
      eventId: 'e',
      eventHash: 'd'.repeat(64),
      occurredAt: 1_700_000_000_000_001,
    };
    const [digest] = planBatch(
      INITIAL_STATE,
      [event],
      1_700_000_000_000_000,
      { digestEvery: 1, maxDigestsPerBatch: 1 },
      signer,
    ).digests;
    const read = parseDigestLine(digestLine(digest!));
    expect(read).toEqual(digest);
    expect(digestSignatureValid(read, publicKey)).toBe(true);
  });
});
