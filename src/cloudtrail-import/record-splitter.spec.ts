import fc from 'fast-check';
import { RecordSplitter, SplitError } from './record-splitter';

/** Splits `text` fed in pieces cut at `cuts` (byte offsets): the records as strings, and the shape. */
function split(text: string, cuts: readonly number[] = []) {
  const bytes = Buffer.from(text, 'utf8');
  const splitter = new RecordSplitter();
  const records: string[] = [];
  let at = 0;
  for (const cut of [...cuts].sort((a, b) => a - b).concat(bytes.length)) {
    records.push(...splitter.push(bytes.subarray(at, cut)).map((b) => b.toString('utf8')));
    at = cut;
  }
  records.push(...splitter.end().map((b) => b.toString('utf8')));
  return { records, shape: splitter.shape, count: splitter.count };
}

const tricky = {
  eventVersion: '1.08',
  eventID: '6f3e0a52-0d4f-4b8e-9d1c-2b7a0f0c1e11',
  note: 'braces } { ] [ and "quotes" and a backslash \\ and é, 字, 🙂',
  nested: { a: [1, { b: '}' }], c: null },
};

describe('RecordSplitter', () => {
  it('cuts the Records array of a log file as delivered to S3 into its records, byte for byte', () => {
    const records = [tricky, { eventVersion: '1.09', eventSource: 'kms.amazonaws.com' }];
    const text = JSON.stringify({ Records: records });
    expect(split(text)).toEqual({ records: records.map((r) => JSON.stringify(r)), shape: 'records', count: 2 });
  });

  it('cuts saved lookup-events output (Events, then NextToken) and pretty-printed files', () => {
    const events = [{ EventId: 'x', CloudTrailEvent: JSON.stringify(tricky) }];
    const text = JSON.stringify({ Events: events, NextToken: 'abc}' }, null, 4);
    const { records, shape } = split(text);
    expect(shape).toBe('events');
    expect(records.map((r) => JSON.parse(r))).toEqual(events);
  });

  it('reads JSON Lines, a record a line, blank lines and a last line without newline included', () => {
    const text = `${JSON.stringify(tricky)}\n\n${JSON.stringify({ eventVersion: '1.08' })}\r\n${JSON.stringify({ x: 1 })}`;
    const { records, shape } = split(text);
    expect(shape).toBe('lines');
    expect(records.map((r) => JSON.parse(r))).toEqual([tricky, { eventVersion: '1.08' }, { x: 1 }]);
  });

  it('gives the same records wherever the chunks are cut', () => {
    const text = JSON.stringify({ Records: [tricky, tricky, { eventVersion: '1' }] });
    const lines = [tricky, tricky].map((r) => JSON.stringify(r)).join('\n');
    const whole = split(text).records;
    const wholeLines = split(lines).records;
    fc.assert(
      fc.property(fc.array(fc.nat({ max: Buffer.byteLength(text) }), { maxLength: 20 }), (cuts) => {
        expect(split(text, cuts).records).toEqual(whole);
        expect(
          split(
            lines,
            cuts.filter((c) => c <= Buffer.byteLength(lines)),
          ).records,
        ).toEqual(wholeLines);
      }),
    );
    // Every single-byte cut, too.
    for (let cut = 0; cut <= Buffer.byteLength(text); cut++) expect(split(text, [cut]).records).toEqual(whole);
  });

  it('cuts any records, with any strings (quotes, runs of backslashes, braces, any characters), wherever the chunks are cut', () => {
    // Strings made mostly of the characters the scanner must get right.
    const nasty = fc.string({
      unit: fc.oneof(fc.constantFrom('\\', '"', '{', '}', '[', ']', ',', '\n', 'é', '🙂'), fc.string({ maxLength: 1 })),
      maxLength: 12,
    });
    // A CloudTrail record begins with eventVersion (a JSON Lines file is told apart by its first key).
    const record = fc
      .dictionary(
        fc.string({ maxLength: 4 }).map((k) => `k${k}`),
        fc.oneof(nasty, fc.array(nasty, { maxLength: 3 })),
        { maxKeys: 4 },
      )
      .map((fields) => ({ eventVersion: '1.08', ...fields }));
    fc.assert(
      fc.property(fc.array(record, { maxLength: 5 }), fc.array(fc.nat(), { maxLength: 12 }), (records, raw) => {
        const text = JSON.stringify({ Records: records });
        const cuts = raw.map((c) => c % (Buffer.byteLength(text) + 1));
        expect(split(text, cuts).records).toEqual(records.map((r) => JSON.stringify(r)));
        if (records.length === 0) return; // an empty file is no JSON Lines file (it says so)
        const lines = records.map((r) => JSON.stringify(r)).join('\n');
        const lineCuts = raw.map((c) => c % (Buffer.byteLength(lines) + 1));
        expect(split(lines, lineCuts).records).toEqual(records.map((r) => JSON.stringify(r)));
      }),
      { numRuns: 300 },
    );
  });

  it('refuses a record that never ends rather than hold the rest of the file in memory', () => {
    const splitter = new RecordSplitter();
    splitter.push(Buffer.from('{"Records":[{"eventVersion":"1.08","note":"'));
    const filler = Buffer.alloc(1 << 20, 0x61);
    expect(() => {
      for (let i = 0; i < 40; i++) splitter.push(filler);
    }).toThrow(new SplitError('record 1 is longer than 32 MB: not CloudTrail'));
  });

  it('reads an empty Records array as no records', () => {
    expect(split('{"Records":[]}')).toEqual({ records: [], shape: 'records', count: 0 });
  });

  it('refuses what is not CloudTrail, and files cut short, saying which record', () => {
    const refused = (text: string) => {
      try {
        split(text);
      } catch (error) {
        expect(error).toBeInstanceOf(SplitError);
        return (error as Error).message;
      }
      throw new Error(`accepted: ${text}`);
    };
    expect(refused('')).toMatch(/empty/);
    expect(refused('[1, 2]')).toMatch(/not CloudTrail/);
    expect(refused('{"Records": {"a": 1}}')).toMatch(/Records is not an array/);
    expect(refused('{"Records": [1]}')).toMatch(/record 1 is not a JSON object/);
    expect(refused(`{"Records": [${JSON.stringify(tricky)}, {"eventVersion": "1.0`)).toMatch(
      /ends inside record 2 \(truncated/,
    );
    expect(refused(`{"Records": [${JSON.stringify(tricky)}`)).toMatch(/ends inside record 2/);
    expect(refused(`${JSON.stringify(tricky)}\n{"eventVersion": "1`)).toMatch(/ends inside record 2/);
    expect(refused('{"some_thing": 1}')).toMatch(/not CloudTrail/);
  });
});
