import { planFunctions, toFunctionFile } from './function-plan';
import { MigrationError, checksumOf } from './migration-plan';

const file = (fileName: string, sql = `-- ${fileName}`) => toFunctionFile(fileName, sql);
const applied = (fileName: string, sql = `-- ${fileName}`) => ({ fileName, checksum: checksumOf(sql) });

describe('planFunctions', () => {
  it('applies every file of a new database, in name order', () => {
    const plan = planFunctions([file('kms_current.sql'), file('audit.sql'), file('kms.sql')], []);
    expect(plan.map((f) => f.fileName)).toEqual(['audit.sql', 'kms.sql', 'kms_current.sql']);
  });

  it('applies nothing when no file changed', () => {
    expect(planFunctions([file('a.sql'), file('b.sql')], [applied('a.sql'), applied('b.sql')])).toEqual([]);
  });

  it('applies again only the file whose text changed', () => {
    const plan = planFunctions(
      [file('a.sql', 'create or replace view v as select 2'), file('b.sql')],
      [applied('a.sql', 'create or replace view v as select 1'), applied('b.sql')],
    );
    expect(plan.map((f) => f.fileName)).toEqual(['a.sql']);
  });

  it('ignores a recorded file that is gone from disk', () => {
    expect(planFunctions([file('a.sql')], [applied('a.sql'), applied('old.sql')])).toEqual([]);
  });

  it('refuses a badly named file', () => {
    expect(() => file('R__kms.sql')).toThrow(MigrationError);
    expect(() => file('kms.txt')).toThrow(/snake_case_name\.sql/);
  });
});
