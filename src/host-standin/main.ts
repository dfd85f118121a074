/**
 * The host stand-in's mgrctl (tests, sandbox, demo): `host-mgrctl -m billmgr -o xml <func> key=value ...`.
 * Spawned once per callback, so it loads only knex and the XML builder (no winston, no axios).
 */
import type { Knex } from 'knex';
import { loadConfig } from '../config';
import { HostError, toHostError } from '../contract/errors';
import { redact } from '../contract/redact';
import { buildDoc, errorDoc } from '../contract/xml';
import { openDatabaseUrl } from '../db/connect';
import { applyCallback, type CallParams } from './callbacks';

export interface MgrctlCall {
  func: string;
  params: CallParams;
}

/** Reads `-m billmgr -o xml <func> key=value ...`; the manager must be billmgr and the output xml. */
export function parseMgrctlArgv(argv: readonly string[]): MgrctlCall {
  const options: Record<string, string> = { '-m': '', '-o': '' };
  let i = 0;
  for (; i < argv.length && argv[i]?.startsWith('-'); i += 2) {
    const option = argv[i] ?? '';
    const value = argv[i + 1];
    if (!(option in options) || value === undefined)
      throw new HostError('value', 'argv', `unknown option '${option}'`);
    options[option] = value;
  }
  if (options['-m'] !== 'billmgr')
    throw new HostError('value', 'argv', "the stand-in serves only '-m billmgr'");
  if (options['-o'] !== 'xml') throw new HostError('value', 'argv', "the stand-in answers only '-o xml'");
  const func = argv[i];
  if (!func) throw new HostError('value', 'argv', 'no function given');
  const params: Record<string, string> = {};
  for (const [position, pair] of argv.slice(i + 1).entries()) {
    const eq = pair.indexOf('=');
    // Name the position, never the text: a parameter can be a password.
    if (eq <= 0)
      throw new HostError('value', 'argv', `parameter ${position + 1} of ${func} is not key=value`);
    params[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return { func, params };
}

export interface StandinIo {
  stdout: { write(text: string): unknown };
  env?: Readonly<Record<string, string | undefined>>;
}

export async function run(
  argv: readonly string[] = process.argv.slice(2),
  io: StandinIo = { stdout: process.stdout },
): Promise<void> {
  // `-m billmgr -R` restarts the panel (plugin install does it so that the panel reads the XML): nothing to do here.
  if (argv.length === 3 && argv[0] === '-m' && argv[1] === 'billmgr' && argv[2] === '-R') return;
  let db: Knex | undefined;
  try {
    const { func, params } = parseMgrctlArgv(argv);
    const env = io.env ?? process.env;
    // The host's own database: a real mgrctl knows it, so tests can give it to the stand-in alone and leave the
    // plugin to find it through paramlist.
    const standinUrl = env.BMP_STANDIN_DATABASE_URL;
    const config = loadConfig(standinUrl ? { ...env, BMP_DATABASE_URL: standinUrl } : env);
    if (!config.databaseUrl) {
      throw new HostError(
        'config',
        'BMP_DATABASE_URL',
        'the host stand-in needs BMP_STANDIN_DATABASE_URL or BMP_DATABASE_URL (mysql:// or sqlite:)',
      );
    }
    db = openDatabaseUrl(config.databaseUrl);
    const settings = { databaseUrl: config.databaseUrl, mgrdir: config.mgrdir };
    io.stdout.write(buildDoc(await applyCallback(db, func, params, new Date(), settings)));
  } catch (err) {
    io.stdout.write(redact(errorDoc(toHostError(err))));
    process.exitCode = 1;
  } finally {
    await db?.destroy();
  }
}
