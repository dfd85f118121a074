/** The README's settings table, made from SETTINGS in src/config.ts; run to rewrite it, tested to stay in step. */
import { readFileSync, writeFileSync } from 'node:fs';
import { SETTINGS } from '../src/config';
import { projectPath } from '../src/paths';

export const TABLE_START =
  '<!-- settings table: generated from SETTINGS in src/config.ts by `npm run readme:settings` -->';
export const TABLE_END = '<!-- end of settings table -->';

type Setting = readonly [envName: string, jsonKey: string, fallback: string, meaning: string];

export function settingsTable(settings: readonly Setting[] = SETTINGS): string {
  const rows = [
    ['environment', 'JSON key', 'default', 'meaning'],
    ...settings.map(([env, key, fallback, meaning]) => [
      code(env),
      code(key),
      fallback.startsWith('(') ? cell(fallback) : code(fallback),
      cell(meaning),
    ]),
  ];
  // Padded as prettier pads markdown tables, so `npm run format` leaves the generated table alone.
  const widths = rows[0]!.map((_, column) => Math.max(3, ...rows.map((row) => row[column]!.length)));
  const line = (cells: readonly string[]): string =>
    `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  const [header, ...body] = rows;
  return [line(header!), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)].join('\n');
}

/** `<mgrdir>` would be read as an HTML tag: escaped outside code spans. */
function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/</g, '&lt;');
}

function code(text: string): string {
  return text ? `\`${text}\`` : '';
}

/** The README text with the table between the markers replaced by the current one. */
export function withCurrentTable(readme: string, table = settingsTable()): string {
  const start = readme.indexOf(TABLE_START);
  const end = readme.indexOf(TABLE_END);
  if (start < 0 || end < start) throw new Error('README.md has no settings table markers');
  return `${readme.slice(0, start + TABLE_START.length)}\n\n${table}\n\n${readme.slice(end)}`;
}

if (require.main === module) {
  const path = projectPath('README.md');
  const before = readFileSync(path, 'utf8');
  const after = withCurrentTable(before);
  if (after !== before) writeFileSync(path, after);
  process.stdout.write(
    after === before ? 'README settings table is up to date\n' : 'README settings table rewritten\n',
  );
}
