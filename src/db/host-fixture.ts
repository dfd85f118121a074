/** Applies sql/fixture/host-schema.sql (tests, sandbox, demo only; never a real host) to MySQL or SQLite. */
import { readFileSync } from 'node:fs';
import type { Knex } from 'knex';
import { projectPath } from '../paths';
import { isMysql } from './connect';

export function hostFixtureStatements(dialect: 'mysql' | 'sqlite'): string[] {
  const text = readFileSync(projectPath('sql', 'fixture', 'host-schema.sql'), 'utf8');
  const statements = text
    .replace(/--.*$/gm, '')
    .split(/;\s*\n/)
    .map((s) => s.trim())
    .filter(Boolean);
  return dialect === 'mysql' ? statements : statements.map(toSqlite);
}

function toSqlite(statement: string): string {
  return statement
    .replace(/\/\*.*?\*\//g, '')
    .replace(/`id` int\(11\) NOT NULL AUTO_INCREMENT PRIMARY KEY/, '`id` INTEGER PRIMARY KEY AUTOINCREMENT')
    .replace(/\)\s*ENGINE=\w+[^;]*$/, ')');
}

/** Creates the host tables that are missing; existing ones are left as they are. */
export async function applyHostFixture(db: Knex): Promise<string[]> {
  const created: string[] = [];
  for (const statement of hostFixtureStatements(isMysql(db) ? 'mysql' : 'sqlite')) {
    const table = /^CREATE TABLE `(\w+)`/.exec(statement)?.[1];
    if (table) {
      if (await db.schema.hasTable(table)) continue;
      created.push(table);
    } else {
      const index = /^CREATE INDEX `(\w+)` ON `(\w+)`/.exec(statement);
      if (index && !created.includes(index[2] ?? '')) continue;
    }
    await db.raw(statement);
  }
  return created;
}
