/** scripts/with-mariadb.js for real: it starts the installed mariadbd in a temporary datadir when told to. */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { projectPath } from '../../src/paths';

const SCRIPT = projectPath('scripts', 'with-mariadb.js');

/** What the command under with-mariadb sees: its URL, the server's datadir and port, then exit 7. */
const CHILD = `
const mysql = require('mysql2/promise');
(async () => {
  const url = new URL(process.env.TEST_MYSQL_URL);
  const c = await mysql.createConnection({ host: url.hostname, port: Number(url.port), user: url.username });
  const [rows] = await c.query('SELECT @@datadir AS datadir, @@port AS port, @@bind_address AS bind');
  await c.query('CREATE DATABASE bmp_probe');
  await c.end();
  console.log(JSON.stringify({ url: process.env.TEST_MYSQL_URL, ...rows[0] }));
  process.exitCode = 7;
})();
`;

describe('scripts/with-mariadb.js', () => {
  it('with BMP_TEST_MARIADB=start, runs the command against its own mariadbd and cleans up after', () => {
    const result = spawnSync(process.execPath, [SCRIPT, process.execPath, '-e', CHILD], {
      encoding: 'utf8',
      cwd: projectPath(),
      env: {
        PATH: `${process.env.PATH}:/usr/sbin`,
        TEST_MYSQL_URL: 'mysql://root@127.0.0.1:1/',
        BMP_TEST_MARIADB: 'start',
      },
      timeout: 150000,
    });
    expect(result.stderr).toMatch(
      /^with-mariadb: starting \S*mariadbd in a temporary datadir \(BMP_TEST_MARIADB=start\)\n$/,
    );
    expect(result.status).toBe(7);
    const seen = JSON.parse(result.stdout) as { url: string; datadir: string; port: number; bind: string };
    expect(seen.url).toBe(`mysql://root@127.0.0.1:${seen.port}/`);
    expect(seen.port).not.toBe(3306);
    expect(seen.bind).toBe('127.0.0.1');
    expect(seen.datadir).toMatch(/bmp-mariadb-/);
    expect(existsSync(seen.datadir)).toBe(false);
  });

  it('uses a server that answers at TEST_MYSQL_URL and says so', () => {
    const url = process.env.TEST_MYSQL_URL ?? '';
    const result = spawnSync(
      process.execPath,
      [SCRIPT, process.execPath, '-e', 'console.log(process.env.TEST_MYSQL_URL)'],
      {
        encoding: 'utf8',
        env: { PATH: process.env.PATH, TEST_MYSQL_URL: url },
      },
    );
    expect(result.status).toBe(0);
    expect(result.stdout).toBe(`${url}\n`);
    expect(result.stderr).toContain('with-mariadb: using the server at TEST_MYSQL_URL');
  });

  it.each([
    [
      { BMP_TEST_MARIADB: 'maybe' },
      [process.execPath, '-e', ''],
      "BMP_TEST_MARIADB must be one of auto, start, got 'maybe'",
    ],
    [{}, [], 'usage: node scripts/with-mariadb.js <command>'],
  ])('refuses %j %j without running anything', (env, argv, message) => {
    const result = spawnSync(process.execPath, [SCRIPT, ...argv], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH, ...env },
    });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(message);
  });
});
