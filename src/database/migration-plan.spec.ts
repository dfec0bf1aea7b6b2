import { MigrationError, checksumOf, planMigrations, toMigrationFile } from './migration-plan';

const file = (fileName: string, sql = `-- ${fileName}`) => toMigrationFile(fileName, sql);
const applied = (fileName: string, sql = `-- ${fileName}`) => {
  const f = file(fileName, sql);
  return { version: f.version, name: f.name, checksum: checksumOf(sql) };
};

describe('planMigrations', () => {
  it('applies pending files in numeric version order', () => {
    const plan = planMigrations([file('0010_c.sql'), file('0002_b.sql'), file('0001_a.sql')], []);
    expect(plan.map((m) => m.fileName)).toEqual(['0001_a.sql', '0002_b.sql', '0010_c.sql']);
  });

  it('skips what is applied', () => {
    const plan = planMigrations([file('0001_a.sql'), file('0002_b.sql')], [applied('0001_a.sql')]);
    expect(plan.map((m) => m.fileName)).toEqual(['0002_b.sql']);
  });

  it('refuses an applied file that was edited, naming it', () => {
    const attempt = () =>
      planMigrations([file('0001_a.sql', 'create table x();')], [applied('0001_a.sql', 'create table y();')]);
    expect(attempt).toThrow(MigrationError);
    expect(attempt).toThrow(/0001_a\.sql was edited after it was applied/);
  });

  it('refuses an applied migration whose file is gone', () => {
    expect(() => planMigrations([], [applied('0001_a.sql')])).toThrow(
      /0001_a is recorded as applied but its file is missing/,
    );
  });

  it('refuses a new file numbered before the newest applied one', () => {
    expect(() =>
      planMigrations(
        [file('0001_a.sql'), file('0003_c.sql'), file('0002_b.sql')],
        [applied('0001_a.sql'), applied('0003_c.sql')],
      ),
    ).toThrow(/0002_b\.sql is older than the newest applied migration/);
  });

  it('refuses two files with one version', () => {
    expect(() => planMigrations([file('0001_a.sql'), file('0001_b.sql')], [])).toThrow(/share version 0001/);
  });

  it('refuses badly named files', () => {
    expect(() => toMigrationFile('add-table.sql', '')).toThrow(/NNNN_snake_case_name\.sql/);
  });
});
