import { escapeLiteral } from 'pg';
import { quoteLiteral } from './quote-literal';

describe('quoteLiteral', () => {
  it.each([
    '',
    'plain',
    "it's",
    "''",
    'back\\slash',
    "both ' and \\ and \\' and '\\",
    '{"a":"x\\"y","b":"it\'s"}',
    '\u00e9\u{1F600} unicode',
    '\\',
  ])('quotes %j as pg escapeLiteral does', (text) => {
    expect(quoteLiteral(text)).toBe(escapeLiteral(text));
  });
});
