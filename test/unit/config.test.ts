/** loadConfig: the environment, a JSON file, defaults, validation, and a frozen result. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from '../../src/config';

let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'config-test-'));
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function configFile(content: unknown): string {
  const path = join(dir, 'billmgr-plugin.json');
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

describe('loadConfig', () => {
  it('uses the defaults of a real host when nothing is set', () => {
    // BMP_CONFIG points at a file that does not exist, so no host file on this machine can leak in.
    const config = loadConfig({ BMP_CONFIG: join(dir, 'absent.json') });
    expect(config).toMatchObject({
      mgrdir: '/usr/local/mgr5',
      mgrctlPath: '/usr/local/mgr5/sbin/mgrctl',
      log: { target: 'file', level: 'info' },
      http: { timeoutMs: 30000, retries: 3, maxBackoffMs: 5000 },
      mgrctlTimeoutMs: 60000,
    });
    expect(config.databaseUrl).toBeUndefined();
  });

  it('reads every setting from the environment', () => {
    const config = loadConfig({
      BMP_CONFIG: join(dir, 'absent.json'),
      BMP_MGRDIR: '/opt/mgr',
      BMP_DATABASE_URL: 'mysql://billmgr:secret@db.example:3307/billmgr',
      BMP_LOG: 'stderr',
      BMP_LOG_LEVEL: 'debug',
      BMP_HTTP_TIMEOUT_MS: '1500',
      BMP_HTTP_RETRIES: '0',
      BMP_HTTP_MAX_BACKOFF_MS: '250',
      BMP_MGRCTL_TIMEOUT_MS: '9000',
    });
    expect(config).toMatchObject({
      mgrdir: '/opt/mgr',
      mgrctlPath: '/opt/mgr/sbin/mgrctl',
      databaseUrl: 'mysql://billmgr:secret@db.example:3307/billmgr',
      log: { target: 'stderr', level: 'debug' },
      http: { timeoutMs: 1500, retries: 0, maxBackoffMs: 250 },
      mgrctlTimeoutMs: 9000,
    });
  });

  it('reads a JSON file, and the environment wins over it', () => {
    const path = configFile({
      mgrdir: '/srv/mgr5',
      mgrctl: '/srv/bin/mgrctl',
      databaseUrl: 'sqlite:/srv/demo.sqlite',
      log: 'stderr',
      httpRetries: 5,
      httpTimeoutMs: 2000,
    });
    const config = loadConfig({ BMP_CONFIG: path, BMP_HTTP_RETRIES: '1' });
    expect(config.mgrdir).toBe('/srv/mgr5');
    expect(config.mgrctlPath).toBe('/srv/bin/mgrctl');
    expect(config.databaseUrl).toBe('sqlite:/srv/demo.sqlite');
    expect(config.log.target).toBe('stderr');
    expect(config.http).toEqual({ timeoutMs: 2000, retries: 1, maxBackoffMs: 5000 });
  });

  it('finds the JSON file under <mgrdir>/etc when BMP_CONFIG is not set', () => {
    const etc = join(dir, 'etc');
    mkdirSync(etc);
    writeFileSync(join(etc, 'billmgr-plugin.json'), JSON.stringify({ logLevel: 'warn' }));
    expect(loadConfig({ BMP_MGRDIR: dir }).log.level).toBe('warn');
  });

  it('treats an empty environment value as not set', () => {
    const path = configFile({ databaseUrl: 'sqlite:/from/file.sqlite' });
    expect(loadConfig({ BMP_CONFIG: path, BMP_DATABASE_URL: '' }).databaseUrl).toBe(
      'sqlite:/from/file.sqlite',
    );
  });

  it.each([
    [{ BMP_LOG: 'syslog' }, /BMP_LOG must be 'file' or 'stderr', got 'syslog'/],
    [{ BMP_DATABASE_URL: 'postgres://x/y' }, /BMP_DATABASE_URL must start with mysql:\/\/ or sqlite:/],
    [{ BMP_HTTP_TIMEOUT_MS: '0' }, /BMP_HTTP_TIMEOUT_MS must be a positive whole number, got '0'/],
    [{ BMP_HTTP_TIMEOUT_MS: '1.5' }, /BMP_HTTP_TIMEOUT_MS must be a positive whole number/],
    [{ BMP_HTTP_RETRIES: '-1' }, /BMP_HTTP_RETRIES must be a non-negative whole number, got '-1'/],
    [{ BMP_HTTP_MAX_BACKOFF_MS: 'soon' }, /BMP_HTTP_MAX_BACKOFF_MS must be a positive whole number/],
    [{ BMP_MGRCTL_TIMEOUT_MS: '-5' }, /BMP_MGRCTL_TIMEOUT_MS must be a positive whole number/],
  ])('refuses %j', (env, message) => {
    expect(() => loadConfig({ BMP_CONFIG: join(dir, 'absent.json'), ...env })).toThrow(message);
    expect(() => loadConfig({ BMP_CONFIG: join(dir, 'absent.json'), ...env })).toThrow(ConfigError);
  });

  it('validates values from the file as it does those from the environment', () => {
    const path = configFile({ httpTimeoutMs: 'fast' });
    expect(() => loadConfig({ BMP_CONFIG: path })).toThrow(
      /BMP_HTTP_TIMEOUT_MS must be a positive whole number, got 'fast'/,
    );
  });

  it.each([
    ['not JSON', '{ mgrdir: '],
    ['a list', '["a"]'],
    ['null', 'null'],
  ])('refuses a config file that is %s, naming the file', (_what, content) => {
    const path = configFile(content);
    expect(() => loadConfig({ BMP_CONFIG: path })).toThrow(ConfigError);
    expect(() => loadConfig({ BMP_CONFIG: path })).toThrow(path);
  });

  it('returns a frozen config, nested parts too', () => {
    const config = loadConfig({ BMP_CONFIG: join(dir, 'absent.json') });
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.log)).toBe(true);
    expect(Object.isFrozen(config.http)).toBe(true);
    expect(() => {
      (config as { mgrdir: string }).mgrdir = '/tmp';
    }).toThrow(TypeError);
  });
});
