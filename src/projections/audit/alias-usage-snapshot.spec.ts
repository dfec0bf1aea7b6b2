import { usageByVersion } from './alias-usage-snapshot';

describe('usage by version', () => {
  it('keeps each version’s lines in the order counted, and leaves out versions with none', () => {
    const line = (version: number, eventName: string, principalArn: string | null) => ({
      version,
      eventName,
      principalArn,
      calls: version,
      failed: 0,
    });
    const usage = usageByVersion([line(1, 'Decrypt', 'a'), line(1, 'Encrypt', null), line(3, 'Encrypt', 'b')]);
    expect([...usage.keys()]).toEqual([1, 3]);
    expect(usage.get(1)).toEqual([
      { eventName: 'Decrypt', principalArn: 'a', calls: 1, failed: 0 },
      { eventName: 'Encrypt', principalArn: null, calls: 1, failed: 0 },
    ]);
    expect(usage.get(2)).toBeUndefined();
  });
});
