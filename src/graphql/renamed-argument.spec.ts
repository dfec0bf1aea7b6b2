import { renamed, renamedTo, requiredRenamed } from './renamed-argument';

describe('renamed arguments', () => {
  it('takes the value under either name, and both when they agree', () => {
    expect(renamed(['aliasName', 'alias/a'], ['name', undefined])).toBe('alias/a');
    expect(renamed(['aliasName', null], ['name', 'alias/a'])).toBe('alias/a');
    expect(renamed(['aliasName', 'alias/a'], ['name', 'alias/a'])).toBe('alias/a');
    expect(renamed(['from', new Date(5)], ['startTime', new Date(5)])).toEqual(new Date(5));
    expect(renamed(['aliasName', undefined], ['name', null])).toBeUndefined();
  });

  it('refuses two different values, and a required argument given under neither name', () => {
    expect(() => renamed(['aliasName', 'alias/a'], ['name', 'alias/b'])).toThrow(
      'aliasName and name are one argument (name is its deprecated name) and were given different values: give aliasName only.',
    );
    expect(() => renamed(['from', new Date(5)], ['startTime', new Date(6)])).toThrow(/^from and startTime/);
    expect(() => requiredRenamed(['aliasName', undefined], ['name', undefined])).toThrow('aliasName is required.');
  });

  it('says what to use instead', () => {
    expect(renamedTo('aliasName')).toBe(
      'Use `aliasName`, the name every query gives this argument. Removed in the next release.',
    );
  });
});
