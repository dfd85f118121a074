/** Plugin settings: read once from the environment and an optional JSON file, validated, frozen. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface PluginConfig {
  /** The host's install root; handlers log to `<mgrdir>/var/bmp-<handler>.log`. */
  readonly mgrdir: string;
  /** The host's mgrctl; tests and the demo point it at the host stand-in. */
  readonly mgrctlPath: string;
  /** `mysql://user:pass@host:port/db` or `sqlite:<file>`; absent means "ask `mgrctl paramlist`". */
  readonly databaseUrl?: string;
  readonly log: { readonly target: 'file' | 'stderr'; readonly level: string };
  readonly http: { readonly timeoutMs: number; readonly retries: number; readonly maxBackoffMs: number };
  /** Milliseconds a host callback (mgrctl) may take before it is killed. */
  readonly mgrctlTimeoutMs: number;
  /** Tests only: checkevent kills itself with SIGKILL at this point, to prove a crash there loses nothing. */
  readonly checkeventCrashAt?: CheckeventCrashPoint;
  /** Services checkevent calls the core for at the same time (each service's own calls stay in order). */
  readonly callbackConcurrency: number;
  /** How checkevent writes parameters and expiry dates: itself in SQL, or through the core's functions. */
  readonly hostWrites: 'sql' | 'core';
}

/** The points between two steps of checkevent where the crash test can stop it (src/events). */
export const CHECKEVENT_CRASH_POINTS = ['after-store', 'after-ack', 'mid-apply', 'after-apply'] as const;
export type CheckeventCrashPoint = (typeof CHECKEVENT_CRASH_POINTS)[number];

/** Every setting: env name, JSON key, default and meaning. The README table is made from this list. */
export const SETTINGS = [
  ['BMP_CONFIG', '', '<mgrdir>/etc/billmgr-plugin.json', 'JSON file with any of the keys below'],
  ['BMP_MGRDIR', 'mgrdir', '/usr/local/mgr5', 'host install root'],
  ['BMP_MGRCTL', 'mgrctl', '<mgrdir>/sbin/mgrctl', 'mgrctl executable used for host callbacks'],
  [
    'BMP_DATABASE_URL',
    'databaseUrl',
    '(from mgrctl paramlist)',
    'mysql://user:pass@host:port/db or sqlite:<file>',
  ],
  ['BMP_LOG', 'log', 'file', "'file' (<mgrdir>/var/bmp-<handler>.log) or 'stderr'"],
  ['BMP_LOG_LEVEL', 'logLevel', 'info', 'winston level: error, warn, info, debug'],
  ['BMP_HTTP_TIMEOUT_MS', 'httpTimeoutMs', '30000', 'timeout of one call to the selling BILLmanager'],
  ['BMP_HTTP_RETRIES', 'httpRetries', '3', 'retries of a call that is safe to repeat'],
  ['BMP_HTTP_MAX_BACKOFF_MS', 'httpMaxBackoffMs', '5000', 'cap on the back-off between retries'],
  ['BMP_MGRCTL_TIMEOUT_MS', 'mgrctlTimeoutMs', '60000', 'timeout of one mgrctl call'],
  [
    'BMP_CHECKEVENT_CRASH_AT',
    'checkeventCrashAt',
    '(none)',
    'tests only: checkevent kills itself at this step',
  ],
  [
    'BMP_CALLBACK_CONCURRENCY',
    'callbackConcurrency',
    '4',
    'services checkevent calls the core for at the same time',
  ],
  [
    'BMP_HOST_WRITES',
    'hostWrites',
    'sql',
    "checkevent's parameter and expiry writes: 'sql' (itself) or 'core' (mgrctl)",
  ],
] as const;

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

type Env = Readonly<Record<string, string | undefined>>;

export function loadConfig(env: Env = process.env): PluginConfig {
  const mgrdirFromEnv = env.BMP_MGRDIR;
  const file = readConfigFile(
    env.BMP_CONFIG ?? join(mgrdirFromEnv ?? '/usr/local/mgr5', 'etc', 'billmgr-plugin.json'),
  );
  const pick = (envName: string, key: string): string | undefined => {
    const fromEnv = env[envName];
    if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
    const fromFile = file[key];
    return fromFile === undefined || fromFile === null ? undefined : String(fromFile);
  };
  const mgrdir = pick('BMP_MGRDIR', 'mgrdir') ?? '/usr/local/mgr5';
  const target = pick('BMP_LOG', 'log') ?? 'file';
  if (target !== 'file' && target !== 'stderr')
    throw new ConfigError(`BMP_LOG must be 'file' or 'stderr', got '${target}'`);
  const databaseUrl = pick('BMP_DATABASE_URL', 'databaseUrl');
  if (databaseUrl !== undefined && !/^(mysql|sqlite):/.test(databaseUrl)) {
    throw new ConfigError('BMP_DATABASE_URL must start with mysql:// or sqlite:');
  }
  const crashAt = pick('BMP_CHECKEVENT_CRASH_AT', 'checkeventCrashAt');
  if (crashAt !== undefined && !(CHECKEVENT_CRASH_POINTS as readonly string[]).includes(crashAt)) {
    const points = CHECKEVENT_CRASH_POINTS.join(', ');
    throw new ConfigError(`BMP_CHECKEVENT_CRASH_AT must be one of ${points}, got '${crashAt}'`);
  }
  const hostWrites = pick('BMP_HOST_WRITES', 'hostWrites') ?? 'sql';
  if (hostWrites !== 'sql' && hostWrites !== 'core')
    throw new ConfigError(`BMP_HOST_WRITES must be 'sql' or 'core', got '${hostWrites}'`);
  const config: PluginConfig = {
    mgrdir,
    mgrctlPath: pick('BMP_MGRCTL', 'mgrctl') ?? join(mgrdir, 'sbin', 'mgrctl'),
    ...(databaseUrl !== undefined ? { databaseUrl } : {}),
    log: { target, level: pick('BMP_LOG_LEVEL', 'logLevel') ?? 'info' },
    http: {
      timeoutMs: positiveInt('BMP_HTTP_TIMEOUT_MS', pick('BMP_HTTP_TIMEOUT_MS', 'httpTimeoutMs'), 30000),
      retries: positiveInt('BMP_HTTP_RETRIES', pick('BMP_HTTP_RETRIES', 'httpRetries'), 3, true),
      maxBackoffMs: positiveInt(
        'BMP_HTTP_MAX_BACKOFF_MS',
        pick('BMP_HTTP_MAX_BACKOFF_MS', 'httpMaxBackoffMs'),
        5000,
      ),
    },
    mgrctlTimeoutMs: positiveInt(
      'BMP_MGRCTL_TIMEOUT_MS',
      pick('BMP_MGRCTL_TIMEOUT_MS', 'mgrctlTimeoutMs'),
      60000,
    ),
    ...(crashAt !== undefined ? { checkeventCrashAt: crashAt as CheckeventCrashPoint } : {}),
    callbackConcurrency: positiveInt(
      'BMP_CALLBACK_CONCURRENCY',
      pick('BMP_CALLBACK_CONCURRENCY', 'callbackConcurrency'),
      4,
    ),
    hostWrites,
  };
  return Object.freeze({ ...config, log: Object.freeze(config.log), http: Object.freeze(config.http) });
}

function readConfigFile(path: string): Record<string, unknown> {
  if (!existsSync(path)) return {};
  try {
    const parsed: unknown = JSON.parse(readFileSync(path, 'utf8'));
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
      throw new Error('not a JSON object');
    return parsed as Record<string, unknown>;
  } catch (err) {
    throw new ConfigError(`config file ${path}: ${(err as Error).message}`);
  }
}

function positiveInt(name: string, raw: string | undefined, fallback: number, allowZero = false): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < (allowZero ? 0 : 1)) {
    throw new ConfigError(
      `${name} must be a ${allowZero ? 'non-negative' : 'positive'} whole number, got '${raw}'`,
    );
  }
  return value;
}
