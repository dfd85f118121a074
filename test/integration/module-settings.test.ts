/** Module settings as the reseller code reads them: params, the password decrypted with the host's CryptKey. */
import { generateKeyPairSync } from 'node:crypto';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { toHostError, type HostError } from '../../src/contract/errors';
import { createMgrctl, type Mgrctl } from '../../src/contract/mgrctl';
import { redact } from '../../src/contract/redact';
import { activeModules, loadModuleSettings } from '../../src/db/processing-module';
import { money } from '../../src/domain/money';
import { ensureHostKey } from '../../src/host-standin/host-key';
import { createInProcessMgrctl } from '../../src/host-standin/in-process';
import { projectPath } from '../../src/paths';
import { createModule } from '../support/module';
import { createThrowawayDb, type ThrowawayDb } from '../support/mysql';
import { MODULE_NAME } from '../../src/module-name';

let t: ThrowawayDb;
let mgrdir: string;
let keyPath: string;
let mgrctl: Mgrctl;

beforeAll(async () => {
  t = await createThrowawayDb();
  mgrdir = await mkdtemp(join(tmpdir(), 'module-settings-'));
  keyPath = ensureHostKey(mgrdir);
  mgrctl = createInProcessMgrctl(t.db, { databaseUrl: t.url, mgrdir });
});

afterAll(async () => {
  await t.drop();
  await rm(mgrdir, { recursive: true, force: true });
});

/** What the host is told of the failure: the one mapping of the error thrown, never an internal error. */
async function failureOf(promise: Promise<unknown>): Promise<HostError> {
  const err: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(Error);
  const hostError = toHostError(err);
  expect(hostError.type).not.toBe('internal');
  return hostError;
}

describe('loadModuleSettings', () => {
  it('reads url and username and decrypts the password with the key paramlist names', async () => {
    const id = await createModule(
      t.db,
      {
        url: 'https://selling.example/billmgr',
        username: 'acme',
        password: 'Tr0ub4dor&3',
        minbalance: '120.50',
      },
      keyPath,
    );
    const stored = await t.db('processingcryptedparam').where({ processingmodule: id }).first();
    expect(stored.value).not.toContain('Tr0ub4dor');

    expect(await loadModuleSettings(t.db, mgrctl, id)).toEqual({
      id,
      name: 'Selling BILLmanager',
      active: true,
      module: MODULE_NAME,
      url: 'https://selling.example/billmgr',
      username: 'acme',
      password: 'Tr0ub4dor&3',
      minBalance: money(12050n, 'USD'),
    });
  });

  it('does the same through the spawned host-mgrctl', async () => {
    const wrapper = join(mgrdir, 'mgrctl');
    await writeFile(
      wrapper,
      `#!/bin/sh\nexport BMP_DATABASE_URL='${t.url}' BMP_MGRDIR='${mgrdir}'\nexec '${projectPath('bin', 'host-mgrctl')}' "$@"\n`,
    );
    await chmod(wrapper, 0o755);
    const id = await createModule(t.db, { password: 'via-a-real-process' }, keyPath);
    const settings = await loadModuleSettings(t.db, createMgrctl({ path: wrapper, timeoutMs: 30000 }), id);
    expect(settings.password).toBe('via-a-real-process');
  });

  it('reads minbalance in the currency the module names, and leaves it out when unset', async () => {
    const inEuro = await createModule(t.db, { minbalance: '7.5', currency: 'EUR' }, keyPath);
    expect((await loadModuleSettings(t.db, mgrctl, inEuro)).minBalance).toEqual(money(750n, 'EUR'));
    const without = await createModule(t.db, { minbalance: null }, keyPath);
    expect(await loadModuleSettings(t.db, mgrctl, without)).not.toHaveProperty('minBalance');
  });

  it('keeps the decrypted password out of anything redacted', async () => {
    const id = await createModule(t.db, { password: 'never-in-a-log-42' }, keyPath);
    await loadModuleSettings(t.db, mgrctl, id);
    expect(redact('selling login failed with never-in-a-log-42')).toBe('selling login failed with ***');
  });

  it('reports a module that does not exist', async () => {
    const err = await failureOf(loadModuleSettings(t.db, mgrctl, 987654));
    expect(err).toMatchObject({ type: 'missed', object: 'processingmodule' });
    expect(err.message).toBe('processing module 987654 does not exist');
  });

  it.each([
    ['url', { url: '' }, 'processingparam'],
    ['username', { username: '' }, 'processingparam'],
    ['password', { password: null }, 'processingcryptedparam'],
  ])('names a missing %s', async (name, overrides, table) => {
    const id = await createModule(t.db, overrides, keyPath);
    const err = await failureOf(loadModuleSettings(t.db, mgrctl, id));
    expect(err).toMatchObject({ type: 'missed', object: table, params: { name } });
    expect(err.message).toBe(`processing module ${id} has no '${name}' set`);
  });

  it('refuses a minbalance that is not an amount', async () => {
    const id = await createModule(t.db, { minbalance: 'lots' }, keyPath);
    const err = await failureOf(loadModuleSettings(t.db, mgrctl, id));
    expect(err).toMatchObject({ type: 'value', params: { name: 'minbalance' } });
  });

  it('refuses a password stored under another key without revealing it', async () => {
    const otherKey = join(mgrdir, 'other.pem');
    const { privateKey } = generateKeyPairSync('rsa', {
      modulusLength: 2048,
      publicKeyEncoding: { type: 'spki', format: 'pem' },
      privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
    });
    await writeFile(otherKey, privateKey);
    const id = await createModule(t.db, { password: 'from-another-host' }, otherKey);
    const err = await failureOf(loadModuleSettings(t.db, mgrctl, id));
    expect(err.message).toMatch(/^cannot decrypt a crypted parameter/);
    expect(err.message).not.toContain('from-another-host');
  });
});

describe('activeModules', () => {
  it('lists the active modules of the kind asked for, by id', async () => {
    await t.db('processingmodule').delete();
    const first = await createModule(t.db, { name: 'first' }, keyPath);
    await createModule(t.db, { name: 'switched off', active: false }, keyPath);
    await createModule(t.db, { name: 'other kind', module: 'pmvmmanager' }, keyPath);
    const second = await createModule(t.db, { name: 'second' }, keyPath);

    expect((await activeModules(t.db)).map((m) => [m.id, m.name])).toEqual([
      [first, 'first'],
      [second, 'second'],
    ]);
    expect((await activeModules(t.db, 'pmvmmanager')).map((m) => m.name)).toEqual(['other kind']);
  });

  it('still loads an inactive module, saying it is inactive', async () => {
    const id = await createModule(t.db, { active: false }, keyPath);
    expect(await loadModuleSettings(t.db, mgrctl, id)).toMatchObject({ active: false });
  });
});
