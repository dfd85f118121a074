/** Config from paramlist: with no database URL the plugin asks mgrctl (here the stand-in) where the host database is. */
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Knex } from 'knex';
import { loadConfig } from '../../src/config';
import { createMgrctl } from '../../src/contract/mgrctl';
import { parseXml } from '../../src/contract/xml';
import { openDatabase, readParamlist } from '../../src/db/connect';
import { recordedCalls } from '../../src/host-standin/callbacks';
import { projectPath } from '../../src/paths';
import { createThrowawayDb, type ThrowawayDb } from '../support/mysql';
import { MODULE_NAME } from '../../src/module-name';

let t: ThrowawayDb;
let mgrdir: string;
let opened: Knex | undefined;

/** A host's mgrctl knows its own database: the wrapper gives the stand-in the throwaway one, the plugin nothing. */
async function writeHostMgrctl(): Promise<string> {
  const path = join(mgrdir, 'sbin-mgrctl');
  const script = [
    '#!/bin/sh',
    `export BMP_DATABASE_URL='${t.url}'`,
    `export BMP_MGRDIR='${mgrdir}'`,
    `exec '${projectPath('bin', 'host-mgrctl')}' "$@"`,
    '',
  ].join('\n');
  await writeFile(path, script);
  await chmod(path, 0o755);
  return path;
}

beforeAll(async () => {
  t = await createThrowawayDb();
  mgrdir = await mkdtemp(join(tmpdir(), 'config-paramlist-'));
});

afterEach(async () => {
  await opened?.destroy();
  opened = undefined;
});

afterAll(async () => {
  await t.drop();
  await rm(mgrdir, { recursive: true, force: true });
});

describe('openDatabase without a database URL', () => {
  it('connects to the database mgrctl paramlist reports', async () => {
    const config = loadConfig({ BMP_MGRDIR: mgrdir, BMP_MGRCTL: await writeHostMgrctl() });
    expect(config.databaseUrl).toBeUndefined();
    await t.db('processingmodule').insert({ name: 'only in the throwaway database', module: MODULE_NAME });

    opened = await openDatabase(
      config,
      createMgrctl({ path: config.mgrctlPath, timeoutMs: config.mgrctlTimeoutMs }),
    );

    const [rows] = (await opened.raw('SELECT DATABASE() AS name')) as [{ name: string }[]];
    expect(rows[0]?.name).toBe(new URL(t.url).pathname.slice(1));
    expect(await opened('processingmodule').pluck('name')).toEqual(['only in the throwaway database']);
    expect(await recordedCalls(t.db, 'paramlist')).toHaveLength(1);
  });

  it('fails naming mgrctl when there is no mgrctl to ask', async () => {
    const config = loadConfig({ BMP_MGRDIR: mgrdir, BMP_MGRCTL: join(mgrdir, 'no-such-mgrctl') });
    await expect(
      openDatabase(config, createMgrctl({ path: config.mgrctlPath, timeoutMs: config.mgrctlTimeoutMs })),
    ).rejects.toThrow('mgrctl paramlist failed: not found');
  });
});

describe('readParamlist', () => {
  const expected = {
    DBHost: 'db.internal',
    DBUser: 'billmgr',
    DBPassword: 'p&ss<word>',
    DBName: 'billmgr',
    DBSocket: '',
    CryptKey: '/usr/local/mgr5/etc/billmgr.pem',
  };

  it("reads the core's shape, one setting per <elem> named by its element (the SDK's billmgr/config.py)", async () => {
    const elems = Object.entries({ ...expected, DBPassword: 'p&amp;ss&lt;word&gt;' })
      .map(([name, value]) =>
        value ? `<elem><${name}>${value}</${name}></elem>` : `<elem><${name}/></elem>`,
      )
      .join('');
    expect(readParamlist(await parseXml(`<doc>${elems}</doc>`, 'paramlist'))).toEqual(expected);
  });

  it('reads the flat shape <doc><DBHost>..</DBHost>..</doc>', async () => {
    const doc = await parseXml(
      `<doc><DBHost>db.internal</DBHost><DBUser>billmgr</DBUser><DBPassword>p&amp;ss&lt;word&gt;</DBPassword>
       <DBName>billmgr</DBName><DBSocket/><CryptKey>/usr/local/mgr5/etc/billmgr.pem</CryptKey></doc>`,
      'paramlist',
    );
    expect(readParamlist(doc)).toEqual(expected);
  });

  it('reads the list shape <doc><elem><name/><value/></elem>..</doc>', async () => {
    const elems = Object.entries({ ...expected, DBPassword: 'p&amp;ss&lt;word&gt;' })
      .map(([name, value]) => `<elem><name>${name}</name><value>${value}</value></elem>`)
      .join('');
    expect(readParamlist(await parseXml(`<doc>${elems}</doc>`, 'paramlist'))).toEqual(expected);
  });
});
