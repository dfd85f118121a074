#!/usr/bin/env node
/**
 * Makes a MariaDB available, then runs the given command with TEST_MYSQL_URL set and exits with its code.
 *
 * The first way that works wins:
 *   1. the server at TEST_MYSQL_URL, when it is set and answers;
 *   2. a server at 127.0.0.1:3306 as root without a password;
 *   3. an installed `mariadbd`, started in a temporary datadir on a free port and stopped afterwards;
 *   4. Debian's `mariadb-server`, installed with apt-get, then started as in 3.
 * BMP_TEST_MARIADB=start skips 1 and 2 (always a fresh server of our own). Nothing is ever skipped silently:
 * when no way works, this exits non-zero and says why.
 *
 * Usage: node scripts/with-mariadb.js <command> [args...]
 */
'use strict';

const { spawn, spawnSync } = require('node:child_process');
const { existsSync, mkdtempSync, readFileSync, rmSync } = require('node:fs');
const net = require('node:net');
const { tmpdir } = require('node:os');
const { delimiter, join } = require('node:path');

const DEFAULT_SERVER = 'mysql://root@127.0.0.1:3306/';
const STARTUP_TIMEOUT_MS = 120_000;
const SHUTDOWN_TIMEOUT_MS = 30_000;
const MODES = ['auto', 'start'];

class SetupError extends Error {}

function say(line) {
  process.stderr.write(`with-mariadb: ${line}\n`);
}

/** The URL with its password replaced, fit for a log line. */
function shown(url) {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  return parsed.toString();
}

/**
 * Connects to the server at `url` and makes sure the database it names exists (tests put their own
 * databases beside it). Resolves to an error message when the server does not answer, or undefined.
 */
async function probe(url, timeoutMs = 3000) {
  const mysql = require('mysql2/promise');
  let parsed;
  try {
    parsed = new URL(url);
  } catch {
    return `not a URL: ${url}`;
  }
  if (parsed.protocol !== 'mysql:') return `not a mysql:// URL: ${shown(url)}`;
  const database = decodeURIComponent(parsed.pathname.replace(/^\//, ''));
  let connection;
  try {
    connection = await mysql.createConnection({
      host: parsed.hostname || '127.0.0.1',
      port: parsed.port ? Number(parsed.port) : 3306,
      user: decodeURIComponent(parsed.username) || 'root',
      password: decodeURIComponent(parsed.password),
      ...(parsed.searchParams.get('socket') ? { socketPath: parsed.searchParams.get('socket') } : {}),
      connectTimeout: timeoutMs,
    });
    await connection.query('SELECT 1');
    if (database) await connection.query(`CREATE DATABASE IF NOT EXISTS \`${database.replace(/`/g, '``')}\``);
    return undefined;
  } catch (err) {
    return err.code ? `${err.code}: ${err.message}` : err.message;
  } finally {
    if (connection) await connection.end().catch(() => undefined);
  }
}

/** The first existing executable among `names`, searched in PATH and then in `extraDirs`. */
function findExecutable(names, extraDirs) {
  const dirs = [...(process.env.PATH || '').split(delimiter).filter(Boolean), ...extraDirs];
  for (const name of names) {
    for (const dir of dirs) {
      const candidate = join(dir, name);
      if (existsSync(candidate)) return candidate;
    }
  }
  return undefined;
}

const findServer = () =>
  findExecutable(['mariadbd', 'mysqld'], ['/usr/sbin', '/usr/libexec', '/usr/local/sbin']);
const findInstallDb = () =>
  findExecutable(['mariadb-install-db', 'mysql_install_db'], ['/usr/bin', '/usr/local/bin', '/usr/scripts']);

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;

/** Installs Debian's mariadb-server non-interactively; apt's chatter goes to stderr, stdout stays the command's. */
function installMariadbServer() {
  if (!findExecutable(['apt-get'], ['/usr/bin'])) {
    throw new SetupError('no mariadbd is installed and apt-get is not available to install mariadb-server');
  }
  const sudo = isRoot() ? [] : ['sudo', '-n'];
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [
    ['apt-get', 'update'],
    ['apt-get', 'install', '-y', '--no-install-recommends', 'mariadb-server'],
  ]) {
    const command = [...sudo, ...args];
    const result = spawnSync(command[0], command.slice(1), { env, stdio: ['ignore', 2, 2] });
    if (result.status !== 0) {
      throw new SetupError(`'${command.join(' ')}' failed (exit ${result.status ?? result.signal})`);
    }
  }
}

/** A mariadbd of our own: temporary datadir, loopback only, a free port; `stop()` removes every trace. */
async function startOwnServer(mariadbd) {
  const installDb = findInstallDb();
  if (!installDb) throw new SetupError(`found ${mariadbd} but no mariadb-install-db to create a datadir`);
  const dir = mkdtempSync(join(tmpdir(), 'bmp-mariadb-'));
  const datadir = join(dir, 'data');
  const socket = join(dir, 'mysqld.sock');
  const userArgs = isRoot() ? ['--user=root'] : [];
  const init = spawnSync(
    installDb,
    [
      '--no-defaults',
      `--datadir=${datadir}`,
      '--auth-root-authentication-method=normal',
      '--skip-test-db',
      '--skip-name-resolve',
      ...userArgs,
    ],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
  );
  if (init.status !== 0) {
    rmSync(dir, { recursive: true, force: true });
    throw new SetupError(`${installDb} failed (exit ${init.status}):\n${init.stdout}${init.stderr}`);
  }
  const port = await freePort();
  const errorLog = join(dir, 'error.log');
  const server = spawn(
    mariadbd,
    [
      '--no-defaults',
      `--datadir=${datadir}`,
      `--socket=${socket}`,
      `--port=${port}`,
      '--bind-address=127.0.0.1',
      `--pid-file=${join(dir, 'mysqld.pid')}`,
      `--log-error=${errorLog}`,
      '--skip-name-resolve',
      '--skip-log-bin',
      '--innodb-buffer-pool-size=64M',
      '--character-set-server=utf8mb4',
      ...userArgs,
    ],
    { stdio: 'ignore' },
  );
  let exited = false;
  const exit = new Promise((resolve) =>
    server.once('exit', (code, signal) => {
      exited = true;
      resolve(code ?? signal);
    }),
  );
  const url = `mysql://root@127.0.0.1:${port}/`;
  const stop = async () => {
    if (!exited) {
      server.kill('SIGTERM');
      const timer = setTimeout(() => server.kill('SIGKILL'), SHUTDOWN_TIMEOUT_MS);
      await exit;
      clearTimeout(timer);
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + STARTUP_TIMEOUT_MS;
  let lastError = 'not started';
  while (Date.now() < deadline) {
    if (exited) {
      const status = await exit;
      const log = existsSync(errorLog)
        ? readFileSync(errorLog, 'utf8').split('\n').slice(-15).join('\n')
        : '';
      await stop();
      throw new SetupError(`${mariadbd} exited (${status}) while starting:\n${log}`);
    }
    lastError = await probe(url, 1000);
    if (lastError === undefined) return { url, stop };
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  await stop();
  throw new SetupError(`${mariadbd} did not answer within ${STARTUP_TIMEOUT_MS / 1000}s: ${lastError}`);
}

/** Picks the first way that works; returns the server URL and how to release it. */
async function provideServer(mode) {
  const given = process.env.TEST_MYSQL_URL;
  if (mode === 'auto') {
    if (given) {
      const problem = await probe(given);
      if (problem === undefined) {
        say(`using the server at TEST_MYSQL_URL (${shown(given)})`);
        return { url: given, stop: async () => undefined };
      }
      say(`TEST_MYSQL_URL (${shown(given)}) does not answer (${problem}); trying the next way`);
    }
    if ((await probe(DEFAULT_SERVER)) === undefined) {
      say(`using the running server at ${DEFAULT_SERVER}`);
      return { url: DEFAULT_SERVER, stop: async () => undefined };
    }
  }
  let mariadbd = findServer();
  if (mariadbd) {
    say(`starting ${mariadbd} in a temporary datadir${mode === 'start' ? ' (BMP_TEST_MARIADB=start)' : ''}`);
  } else {
    say('no running server and no mariadbd installed: installing Debian mariadb-server with apt-get');
    installMariadbServer();
    mariadbd = findServer();
    if (!mariadbd) throw new SetupError('mariadb-server was installed but no mariadbd executable was found');
    say(`starting the newly installed ${mariadbd} in a temporary datadir`);
  }
  return startOwnServer(mariadbd);
}

function runCommand(argv, url) {
  return new Promise((resolve) => {
    const child = spawn(argv[0], argv.slice(1), {
      stdio: 'inherit',
      env: { ...process.env, TEST_MYSQL_URL: url },
      shell: process.platform === 'win32',
    });
    const forward = (signal) => child.kill(signal);
    process.on('SIGINT', forward);
    process.on('SIGTERM', forward);
    child.on('error', (err) => {
      say(`could not run '${argv[0]}': ${err.message}`);
      resolve(127);
    });
    child.on('exit', (code, signal) => {
      process.off('SIGINT', forward);
      process.off('SIGTERM', forward);
      resolve(code ?? 128 + (signal ? require('node:os').constants.signals[signal] || 0 : 1));
    });
  });
}

async function main() {
  const argv = process.argv.slice(2);
  if (argv.length === 0) {
    say('usage: node scripts/with-mariadb.js <command> [args...]');
    return 2;
  }
  const mode = process.env.BMP_TEST_MARIADB || 'auto';
  if (!MODES.includes(mode)) {
    say(`BMP_TEST_MARIADB must be one of ${MODES.join(', ')}, got '${mode}'`);
    return 2;
  }
  let server;
  try {
    server = await provideServer(mode);
  } catch (err) {
    say(`no MariaDB available, the database tests cannot run: ${err.message}`);
    return 1;
  }
  try {
    return await runCommand(argv, server.url);
  } finally {
    await server.stop();
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    say(`failed: ${err.stack || err.message}`);
    process.exitCode = 1;
  },
);
