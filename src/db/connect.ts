/** Opens the host database: from BMP_DATABASE_URL, or from `mgrctl paramlist` as on a real host. */
import knex, { type Knex } from 'knex';
import type { PluginConfig } from '../config';
import type { Mgrctl } from '../contract/mgrctl';
import { knexLog } from '../contract/diagnostics';
import { ConfigurationError } from '../domain/errors';
import { registerSecret } from '../contract/redact';
import { asList, textOf, type XmlNode } from '../contract/xml';

/** Builds the knex config for a `mysql://` or `sqlite:` URL. */
export function knexConfigFromUrl(url: string): Knex.Config {
  if (url.startsWith('sqlite:')) {
    const filename = url.slice('sqlite:'.length).replace(/^\/\//, '') || ':memory:';
    return {
      client: 'better-sqlite3',
      connection: { filename },
      useNullAsDefault: true,
      log: knexLog,
      pool: {
        afterCreate: (
          conn: { pragma(sql: string): unknown },
          done: (err: Error | null, conn: unknown) => void,
        ) => {
          conn.pragma('journal_mode = WAL');
          conn.pragma('busy_timeout = 10000');
          conn.pragma('foreign_keys = ON');
          done(null, conn);
        },
      },
    };
  }
  const parsed = new URL(url);
  registerSecret(decodeURIComponent(parsed.password));
  return {
    client: 'mysql2',
    log: knexLog,
    connection: {
      host: parsed.hostname || '127.0.0.1',
      port: parsed.port ? Number(parsed.port) : 3306,
      user: decodeURIComponent(parsed.username),
      password: decodeURIComponent(parsed.password),
      database: parsed.pathname.replace(/^\//, ''),
      ...(parsed.searchParams.get('socket')
        ? { socketPath: parsed.searchParams.get('socket') ?? undefined }
        : {}),
      timezone: 'Z',
      dateStrings: true,
      supportBigNumbers: true,
      bigNumberStrings: true,
      decimalNumbers: false,
      multipleStatements: false,
      charset: 'utf8mb4',
    },
    pool: { min: 0, max: 4 },
  };
}

/** The database settings `mgrctl paramlist` reports on a real host. */
export interface HostDbParams {
  DBHost?: string;
  DBUser?: string;
  DBPassword?: string;
  DBName?: string;
  DBSocket?: string;
  /** Not in the contract's list; read when a host reports it. [assumed] */
  DBPort?: string;
  CryptKey?: string;
}

/**
 * Reads paramlist's answer. The core answers one setting per `<elem>`, named by its element
 * (`<doc><elem><DBName>billmgr</DBName></elem>...</doc>`, as ISPsystem's SDK reads it in `billmgr/config.py`).
 * Two older shapes are still accepted: `<elem><name>DBHost</name><value>..</value></elem>` and a flat
 * `<doc><DBHost>..</DBHost>...</doc>`.
 */
export function readParamlist(doc: XmlNode): Record<string, string> {
  const params: Record<string, string> = {};
  for (const elem of asList(doc.elem as XmlNode | XmlNode[] | undefined)) {
    if (typeof elem !== 'object' || elem === null) continue;
    const name = textOf(elem.name);
    if (name && 'value' in elem) {
      params[name] = textOf(elem.value) ?? '';
      continue;
    }
    for (const [key, value] of Object.entries(elem)) {
      if (key !== '$' && key !== '_') params[key] = textOf(value) ?? '';
    }
  }
  for (const [key, value] of Object.entries(doc)) {
    if (key !== 'elem' && key !== '$' && key !== '_' && key !== 'tparams') params[key] = textOf(value) ?? '';
  }
  return params;
}

export function knexConfigFromParamlist(params: HostDbParams): Knex.Config {
  if (!params.DBName) throw new ConfigurationError('paramlist', 'mgrctl paramlist did not report DBName');
  registerSecret(params.DBPassword);
  return {
    client: 'mysql2',
    log: knexLog,
    connection: {
      ...(params.DBSocket
        ? { socketPath: params.DBSocket }
        : { host: params.DBHost || 'localhost', ...(params.DBPort ? { port: Number(params.DBPort) } : {}) }),
      user: params.DBUser ?? 'root',
      password: params.DBPassword ?? '',
      database: params.DBName,
      timezone: 'Z',
      dateStrings: true,
      supportBigNumbers: true,
      bigNumberStrings: true,
      charset: 'utf8mb4',
    },
    pool: { min: 0, max: 4 },
  };
}

export async function openDatabase(config: PluginConfig, mgrctl: Mgrctl): Promise<Knex> {
  if (config.databaseUrl) return knex(knexConfigFromUrl(config.databaseUrl));
  const params = readParamlist(await mgrctl.call('paramlist'));
  return knex(knexConfigFromParamlist(params));
}

export function openDatabaseUrl(url: string): Knex {
  return knex(knexConfigFromUrl(url));
}

export function isMysql(db: Knex): boolean {
  return String(db.client.config.client).startsWith('mysql');
}
