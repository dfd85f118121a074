/**
 * checkevent at volume (issue 4): 20,000 pending events over 5,000 services, fetched over HTTP from the sandbox
 * (in this process), applied on MariaDB by a child process whose host callbacks run in-process (the stand-in's
 * writes through its set-based batch form `callEach`, no process per call), so that the figure is the plugin's own
 * cost. mgrctl calls are counted as a real host makes them: one per callback. Compared with a floor: the same row
 * changes as plain set-based SQL in one script. The 20,000-event run and the floor are taken as medians of 3
 * alternate measurements. Peak memory is the child's maxRSS at 2,000 and 20,000 events (the highest of the 3).
 */
import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import knex, { type Knex } from 'knex';
import { createSellingClient } from '../../src/billmgr-api/client';
import type { SellingClient } from '../../src/billmgr-api/types';
import { createMgrctl, type Mgrctl } from '../../src/contract/mgrctl';
import { knexConfigFromUrl } from '../../src/db/connect';
import { migrate } from '../../src/db/migrate';
import { runCheckevent, silentLog } from '../../src/events';
import type { HostWrites } from '../../src/events/core-steps';
import { ensureHostKey } from '../../src/host-standin/host-key';
import { createInProcessMgrctl } from '../../src/host-standin/in-process';
import { addIpAddon, createModule } from '../../src/host-standin/panel';
import { projectPath } from '../../src/paths';
import { startSandbox, type ItemEventType, type Sandbox } from '../../src/sandbox/server';
import type { Figure } from '../figure';
import { median } from './coldstart';
import { round } from '../support';

const SERVICES = 5000;
const EVENTS_PER_SERVICE = 4;
export const RATIO_TARGET = 3;
export const MEMORY_TARGET_MB = 150;
const HTTP = { timeoutMs: 60_000, retries: 0, maxBackoffMs: 100 };
const OPEN_DATE = '2026-11-23';

/** What the child process reports. */
interface ChildReport {
  ms: number;
  /**
   * Waiting for the selling side (the sandbox's answers and their parsing): fetches and acknowledgements, summed.
   * A page is listed while the one before it is stored, so this time overlaps the store's and is not all added on.
   */
  sellingMs: number;
  callbackMs: number;
  applied: number;
  kept: number;
  mgrctlCalls: number;
  maxRssKb: number;
  /** CPU time of the child during the run (the plugin and the in-process callbacks): less sensitive to other load. */
  cpuMs: number;
}

/** The run of median time (an odd number of runs). */
function medianRun(runs: readonly ChildReport[]): ChildReport {
  const sorted = [...runs].sort((a, b) => a.ms - b.ms);
  const middle = sorted[Math.floor(sorted.length / 2)];
  if (!middle) throw new Error('no checkevent run to take the median of');
  return middle;
}

/** The run and the floor are each measured this many times, alternately, and the medians kept: the 2 cores are shared. */
const REPEATS = 3;

export async function measure(): Promise<Figure[]> {
  const events = SERVICES * EVENTS_PER_SERVICE;
  const runs: ChildReport[] = [];
  const floors: number[] = [];
  for (let i = 0; i < REPEATS; i += 1) {
    const run = await withWorld(SERVICES, (world) => runChild(world, 'in-process'));
    if (run.applied !== events)
      throw new Error(`checkevent applied ${run.applied} of ${events} events (kept ${run.kept})`);
    runs.push(run);
    floors.push(await withWorld(SERVICES, (world) => setBasedFloor(world.db, world.module)));
  }
  const large = medianRun(runs);
  const floorMs = median(floors);
  const small = await withWorld(SERVICES / 10, (world) => runChild(world, 'in-process'));
  const callbackFree = await withWorld(SERVICES, (world) => runChild(world, 'none'));
  const throughCore = await withWorld(SERVICES, (world) =>
    runChild(world, 'in-process', { hostWrites: 'core' }),
  );
  const spawned = await spawnedFigures(events);
  return [
    { name: 'checkevent_events_per_second', value: round((events / large.ms) * 1000, 0), unit: 'events/s' },
    { name: 'checkevent_time_20000', value: round(large.ms, 0), unit: 'ms' },
    { name: 'checkevent_cpu_time_20000', value: round(large.cpuMs, 0), unit: 'ms' },
    { name: 'checkevent_floor_set_based_sql_20000', value: round(floorMs, 0), unit: 'ms' },
    {
      name: 'checkevent_ratio_to_floor',
      value: round(large.ms / floorMs, 2),
      unit: 'ratio',
      target: RATIO_TARGET,
    },
    { name: 'checkevent_selling_http_time_20000', value: round(large.sellingMs, 0), unit: 'ms' },
    { name: 'checkevent_host_callback_time_20000', value: round(large.callbackMs, 0), unit: 'ms' },
    {
      name: 'checkevent_time_20000_callbacks_answered_at_once',
      value: round(callbackFree.ms, 0),
      unit: 'ms',
    },
    {
      name: 'checkevent_ratio_to_floor_callbacks_answered_at_once',
      value: round(callbackFree.ms / floorMs, 2),
      unit: 'ratio',
    },
    {
      name: 'checkevent_mgrctl_calls_per_1000_events',
      value: round((large.mgrctlCalls / events) * 1000, 1),
      unit: 'calls',
    },
    {
      name: 'checkevent_mgrctl_calls_per_1000_events_host_writes_sql',
      value: round((large.mgrctlCalls / events) * 1000, 1),
      unit: 'calls',
    },
    {
      name: 'checkevent_mgrctl_calls_per_1000_events_host_writes_core',
      value: round((throughCore.mgrctlCalls / events) * 1000, 1),
      unit: 'calls',
    },
    ...spawned,
    {
      name: 'checkevent_peak_rss_2000_events',
      value: round(small.maxRssKb / 1024, 1),
      unit: 'MB',
      target: MEMORY_TARGET_MB,
    },
    {
      name: 'checkevent_peak_rss_20000_events',
      value: round(Math.max(...runs.map((run) => run.maxRssKb)) / 1024, 1),
      unit: 'MB',
      target: MEMORY_TARGET_MB,
    },
    {
      name: 'checkevent_peak_rss_20000_events_callbacks_answered_at_once',
      value: round(callbackFree.maxRssKb / 1024, 1),
      unit: 'MB',
      target: MEMORY_TARGET_MB,
    },
  ];
}

interface World {
  db: Knex;
  dbUrl: string;
  mgrdir: string;
  module: number;
  sandbox: Sandbox;
}

/** A throwaway database with `services` resold VPS, the sandbox holding their events; torn down afterwards. */
async function withWorld<T>(services: number, use: (world: World) => Promise<T>): Promise<T> {
  const server = process.env.TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/';
  const name = `bmp_bench_${randomBytes(5).toString('hex')}`;
  const admin = knex(knexConfigFromUrl(server));
  await admin.raw(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4`);
  const url = new URL(server);
  url.pathname = `/${name}`;
  const db = knex(knexConfigFromUrl(url.toString()));
  const sandbox = await startSandbox();
  const mgrdir = await mkdtemp(join(tmpdir(), 'bmp-bench-'));
  try {
    await migrate(db, { hostFixture: true });
    const module = await createModule(db, { url: sandbox.url }, ensureHostKey(mgrdir));
    await seedServices(db, sandbox, module, services);
    return await use({ db, dbUrl: url.toString(), mgrdir, module, sandbox });
  } finally {
    await sandbox.close();
    await db.destroy();
    await admin.raw(`DROP DATABASE IF EXISTS \`${name}\``);
    await admin.destroy();
    await rm(mgrdir, { recursive: true, force: true });
  }
}

/**
 * Each service gets setup, a parameter, an IP address and one more event in turn: prolong, add-on, suspend,
 * parameter. Lifecycle events are 5 in 16: the core is called for those only.
 */
async function seedServices(db: Knex, sandbox: Sandbox, module: number, count: number): Promise<void> {
  const tariff = sandbox.state.tariffByIntname('vps-start');
  const ram = tariff.addons.find((a) => a.intname === 'ram');
  if (!ram) throw new Error('the sandbox tariff vps-start has no ram add-on');
  const [itemtype] = await db('itemtype').insert({ intname: 'vds', name: 'VPS' });
  const [pricelist] = await db('pricelist').insert({
    name: 'VPS Start',
    itemtype,
    intname: `${tariff.id}-vps-start`,
    remoteid: String(tariff.id),
  });
  const [addon] = await db('pricelist').insert({
    name: 'RAM',
    parent: pricelist,
    addontype: 2,
    remoteid: String(ram.id),
  });
  const selling = Array.from({ length: count }, () =>
    sandbox.state.addItem({ pricelist: tariff.id, status: 1, username: 'reseller' }),
  );
  const services = selling.map((s) => ({
    processingmodule: module,
    pricelist,
    status: 1,
    remoteid: String(s.id),
  }));
  for (let i = 0; i < services.length; i += 1000) await db('item').insert(services.slice(i, i + 1000));
  const locals = (await db('item')
    .where({ processingmodule: module })
    .orderBy('id')
    .select('id', 'remoteid')) as { id: number; remoteid: string }[];
  // The provider's IP add-on: each service's addresses hang on its child item of it.
  const ipAddon = await addIpAddon(db, Number(pricelist));
  const children = locals.flatMap((l) => [
    { parent: l.id, pricelist: addon, status: 1, intvalue: 1024 },
    { parent: l.id, pricelist: ipAddon, status: 1, intvalue: 1 },
  ]);
  for (let i = 0; i < children.length; i += 1000) await db('item').insert(children.slice(i, i + 1000));
  const fourth: [ItemEventType, string, string][] = [
    ['prolong', '', '2027-11-23'],
    ['addon', String(ram.id), '2048'],
    ['suspend', '', ''],
    ['param', 'panelid', 'vds-panel'],
  ];
  for (const [i, item] of selling.entries()) {
    const emit = (type: ItemEventType, param = '', value = ''): void =>
      void sandbox.state.emitEvent({ item: item.id, type, param, value });
    emit('setup');
    emit('param', 'username', `user${i}`);
    emit('ip_add', 'ip', `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`);
    const [type, param, value] = fourth[i % fourth.length] as [ItemEventType, string, string];
    emit(type, param, value);
  }
}

/**
 * How the child answers the core's callbacks: `in-process` makes the stand-in's writes; `none` answers at once,
 * to show the plugin's cost without the host's.
 */
type Callbacks = 'in-process' | 'none' | 'spawned';

interface ChildOptions {
  hostWrites?: HostWrites;
  callbackConcurrency?: number;
  /** `spawned`: the socket of the running stand-in core that bin/host-mgrctl-thin talks to. */
  socket?: string;
}

/** Runs the child (this file with --child) against the world; returns what it measured. */
function runChild(world: World, callbacks: Callbacks, options: ChildOptions = {}): Promise<ChildReport> {
  const args = [__filename, '--child', world.dbUrl, world.mgrdir, callbacks, JSON.stringify(options)];
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      args,
      {
        encoding: 'utf8',
        maxBuffer: 16 * 1024 * 1024,
        env: { ...process.env, ...(options.socket ? { BMP_STANDIN_SOCKET: options.socket } : {}) },
      },
      (err, stdout, stderr) => {
        if (err)
          return reject(new Error(`checkevent child failed: ${stderr.trim().slice(0, 500) || err.message}`));
        resolve(JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as ChildReport);
      },
    );
  });
}

/** The child: one checkevent run with in-process callbacks, timed and counted. */
async function child(
  dbUrl: string,
  mgrdir: string,
  callbacks: Callbacks,
  options: ChildOptions,
): Promise<void> {
  const db = knex(knexConfigFromUrl(dbUrl));
  // The core's callbacks have connections of their own, as mgrctl processes would.
  const hostDb = knex(knexConfigFromUrl(dbUrl));
  const standin = createInProcessMgrctl(hostDb, { databaseUrl: dbUrl, mgrdir });
  // Counted as a real host makes them: one mgrctl process per callback, batched here or not.
  let mgrctlCalls = 0;
  const answeredAtOnce = (func: string): boolean => callbacks === 'none' && func.startsWith('service.');
  let answer = 0;
  const mgrctl: Mgrctl =
    callbacks === 'spawned'
      ? countingCalls(
          createMgrctl({ path: projectPath('bin', 'host-mgrctl-thin'), timeoutMs: 60_000 }),
          () => {
            mgrctlCalls += 1;
          },
        )
      : {
          call: (func, params) => {
            mgrctlCalls += 1;
            if (answeredAtOnce(func))
              return Promise.resolve(func === 'service.ip.add' ? { 'ip.id': String(++answer) } : { ok: '' });
            return standin.call(func, params);
          },
          callEach: async (func, paramsList) => {
            mgrctlCalls += paramsList.length;
            if (!answeredAtOnce(func)) return standin.callEach?.(func, paramsList);
            return paramsList.map(() =>
              func === 'service.ip.add' ? { 'ip.id': String(++answer) } : { ok: '' },
            );
          },
        };
  let sellingMs = 0;
  const time = async <T>(call: () => Promise<T>): Promise<T> => {
    const started = performance.now();
    try {
      return await call();
    } finally {
      sellingMs += performance.now() - started;
    }
  };
  const timed = (client: SellingClient): SellingClient => ({
    call: (func, params, options) => time(() => client.call(func, params, options)),
    list: (func, params) => time(() => client.list(func, params)),
  });
  const started = performance.now();
  const cpuAtStart = process.cpuUsage();
  const result = await runCheckevent(db, mgrctl, {
    http: HTTP,
    log: silentLog,
    ...(options.hostWrites ? { hostWrites: options.hostWrites } : {}),
    ...(options.callbackConcurrency ? { callbackConcurrency: options.callbackConcurrency } : {}),
    sellingClient: (settings) => timed(createSellingClient({ ...settings, ...HTTP })),
  });
  const ms = performance.now() - started;
  const cpu = process.cpuUsage(cpuAtStart);
  await db.destroy();
  await hostDb.destroy();
  const run = result.modules[0];
  if (!run || run.error) throw new Error(`checkevent failed: ${run?.error ?? 'no module'}`);
  const report: ChildReport = {
    ms,
    sellingMs,
    callbackMs: run.callbackMs,
    applied: run.applied,
    kept: run.kept.length,
    mgrctlCalls,
    maxRssKb: process.resourceUsage().maxRSS,
    cpuMs: (cpu.user + cpu.system) / 1000,
  };
  process.stdout.write(JSON.stringify(report) + '\n');
}

/**
 * The floor: the same row changes as set-based SQL in one script. The events are inserted into itemevent as the
 * selling side lists them (one multi-row INSERT per 1,000), applied with joined updates, then deleted.
 */
async function setBasedFloor(db: Knex, module: number): Promise<number> {
  const started = performance.now();
  await db.transaction(async (trx) => {
    const rows = (await trx('item')
      .where({ processingmodule: module })
      .whereNull('parent')
      .orderBy('id')
      .select('id')) as { id: number }[];
    await insertEventRows(
      trx,
      module,
      rows.map((r) => Number(r.id)),
    );
    const mine = `e.processingmodule = ${module}`;
    await trx.raw(
      `UPDATE item i JOIN itemevent e ON e.item = i.id AND ${mine} AND e.type = 'setup' SET i.status = 2, i.opendate = '${OPEN_DATE}'`,
    );
    await trx.raw(
      `UPDATE item i JOIN itemevent e ON e.item = i.id AND ${mine} AND e.type = 'suspend' SET i.status = 3`,
    );
    await trx.raw(
      `UPDATE item i JOIN itemevent e ON e.item = i.id AND ${mine} AND e.type = 'prolong' SET i.expiredate = e.value`,
    );
    await trx.raw(
      `UPDATE item c JOIN pricelist p ON p.id = c.pricelist JOIN itemevent e ON e.item = c.parent AND ${mine} AND e.type = 'addon' AND e.param = p.remoteid SET c.intvalue = e.value`,
    );
    await trx.raw(
      `INSERT INTO itemparam (item, intname, value) SELECT e.item, e.param, e.value FROM itemevent e WHERE ${mine} AND e.type = 'param' ON DUPLICATE KEY UPDATE value = VALUES(value)`,
    );
    await trx.raw(
      `INSERT IGNORE INTO ip (item, name) SELECT c.id, e.value FROM itemevent e JOIN item c ON c.parent = e.item JOIN pricelist p ON p.id = c.pricelist AND p.intname = 'ip' WHERE ${mine} AND e.type = 'ip_add'`,
    );
    await trx('itemevent').where({ processingmodule: module }).delete();
  });
  return performance.now() - started;
}

async function insertEventRows(
  trx: Knex.Transaction,
  module: number,
  items: readonly number[],
): Promise<void> {
  const fourth = [
    { type: 'prolong', param: '', value: '2027-11-23' },
    { type: 'addon', param: '', value: '2048' },
    { type: 'suspend', param: '', value: '' },
    { type: 'param', param: 'panelid', value: 'vds-panel' },
  ];
  const ram = (await trx('pricelist').whereNotNull('parent').whereNotNull('remoteid').first('remoteid')) as {
    remoteid: string;
  };
  const rows = items.flatMap((item, i) => {
    const extra = fourth[i % fourth.length] ?? { type: 'param', param: 'x', value: '' };
    const base = { item, processingmodule: module, eventdate: `${OPEN_DATE} 00:00:00` };
    return [
      { ...base, externalid: String(i * 4 + 1), type: 'setup', param: '', value: '' },
      { ...base, externalid: String(i * 4 + 2), type: 'param', param: 'username', value: `user${i}` },
      {
        ...base,
        externalid: String(i * 4 + 3),
        type: 'ip_add',
        param: 'ip',
        value: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`,
      },
      {
        ...base,
        externalid: String(i * 4 + 4),
        ...extra,
        param: extra.type === 'addon' ? ram.remoteid : extra.param,
      },
    ];
  });
  for (let i = 0; i < rows.length; i += 1000) await trx('itemevent').insert(rows.slice(i, i + 1000));
}

/** Target of the pool: at least 1.6 times faster than one call at a time, as pool time over sequential time. */
export const POOL_TIME_RATIO_TARGET = 0.625;
const POOL = 4;

/**
 * The host's way: one mgrctl process per call (the thin client of a running stand-in core, as a real mgrctl is of
 * the real core), 20,000 events over 5,000 services, one call at a time and with the pool.
 */
export async function spawnedFigures(events: number): Promise<Figure[]> {
  await ensureSocat();
  const sequential = await withWorld(SERVICES, (world) =>
    withStandinServer(world, (socket) => runChild(world, 'spawned', { socket, callbackConcurrency: 1 })),
  );
  const pooled = await withWorld(SERVICES, (world) =>
    withStandinServer(world, (socket) => runChild(world, 'spawned', { socket, callbackConcurrency: POOL })),
  );
  for (const run of [sequential, pooled])
    if (run.applied !== events)
      throw new Error(`spawned checkevent applied ${run.applied} of ${events} events`);
  return [
    { name: 'checkevent_spawned_mgrctl_time_20000_sequential', value: round(sequential.ms, 0), unit: 'ms' },
    { name: `checkevent_spawned_mgrctl_time_20000_pool_${POOL}`, value: round(pooled.ms, 0), unit: 'ms' },
    {
      name: 'checkevent_spawned_mgrctl_calls_20000',
      value: pooled.mgrctlCalls,
      unit: 'calls',
    },
    {
      name: `checkevent_spawned_pool_${POOL}_speedup`,
      value: round(sequential.ms / pooled.ms, 2),
      unit: 'ratio',
    },
    {
      name: `checkevent_spawned_pool_${POOL}_time_ratio`,
      value: round(pooled.ms / sequential.ms, 3),
      unit: 'ratio',
      target: POOL_TIME_RATIO_TARGET,
    },
  ];
}

/**
 * bin/host-mgrctl-thin needs socat. A new machine may not have it: like scripts/with-mariadb.js does for MariaDB,
 * Debian's package is installed when apt-get can (as root); otherwise the figure fails saying what is missing.
 */
async function ensureSocat(): Promise<void> {
  const run = (file: string, args: string[]) =>
    new Promise<boolean>((resolve) => execFile(file, args, { timeout: 300_000 }, (err) => resolve(!err)));
  if (await run('socat', ['-V'])) return;
  const root = process.getuid?.() === 0;
  if (root && (await run('apt-get', ['update'])) && (await run('apt-get', ['install', '-y', 'socat'])))
    return;
  throw new Error('socat is not installed (bin/host-mgrctl-thin needs it): apt-get install socat');
}

/** The stand-in core as its own process, with its own database connections, for the thin mgrctl to call. */
async function withStandinServer<T>(world: World, use: (socket: string) => Promise<T>): Promise<T> {
  const socket = join(world.mgrdir, 'standin.sock');
  const server = spawn(
    process.execPath,
    [projectPath('dist', 'src', 'host-standin', 'server.js'), socket, world.dbUrl, world.mgrdir],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.once('exit', (code) => reject(new Error(`the stand-in server ended (${String(code)})`)));
      server.stdout.once('data', () => resolve());
    });
    return await use(socket);
  } finally {
    server.kill('SIGTERM');
  }
}

function countingCalls(mgrctl: Mgrctl, count: () => void): Mgrctl {
  return {
    call: (func, params) => {
      count();
      return mgrctl.call(func, params);
    },
  };
}

if (require.main === module && process.argv[2] === '--child') {
  const [, , , dbUrl, mgrdir, callbacks, options] = process.argv;
  const mode: Callbacks = callbacks === 'none' || callbacks === 'spawned' ? callbacks : 'in-process';
  child(dbUrl ?? '', mgrdir ?? '', mode, JSON.parse(options ?? '{}') as ChildOptions).catch(
    (err: unknown) => {
      process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
      process.exitCode = 1;
    },
  );
}
