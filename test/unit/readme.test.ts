/** The README keeps its two commands on top and a settings table that matches SETTINGS in src/config.ts. */
import { readFileSync } from 'node:fs';
import { settingsTable, withCurrentTable } from '../../scripts/readme-settings';
import { SETTINGS } from '../../src/config';
import { projectPath } from '../../src/paths';

const readme = readFileSync(projectPath('README.md'), 'utf8');

describe('README.md', () => {
  it('opens with the demo and test commands', () => {
    const firstBlock = /```sh\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
    expect(readme.indexOf('```sh')).toBeLessThan(readme.indexOf('\n## '));
    expect(firstBlock).toMatch(/^npm ci && npm run demo\b/m);
    expect(firstBlock).toMatch(/^npm test\b/m);
  });

  it('has the settings table of the current SETTINGS (run `npm run readme:settings` when this fails)', () => {
    expect(withCurrentTable(readme)).toBe(readme);
  });

  it('gives every setting a row', () => {
    const table = settingsTable();
    for (const [env] of SETTINGS) expect(table).toContain(`| \`${env}\``);
    expect(table.split('\n')).toHaveLength(SETTINGS.length + 2);
  });

  it('escapes what markdown would swallow', () => {
    const table = settingsTable([['BMP_X', 'x', '(none)', 'a | b at <mgrdir>/var']]);
    expect(table).toContain('a \\| b at &lt;mgrdir>/var');
  });
});
