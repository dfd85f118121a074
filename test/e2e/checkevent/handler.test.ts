/**
 * `handlers/checkevent` as cron runs it: real processes, bin/host-mgrctl for callbacks, the sandbox, MariaDB.
 * `npm run build` first.
 */
import knex, { type Knex } from 'knex';
import { asList, textOf, type XmlNode } from '../../../src/contract/xml';
import { knexConfigFromUrl } from '../../../src/db/connect';
import { hostKeyPath } from '../../../src/host-standin/host-key';
import { startSandbox, type Sandbox } from '../../../src/sandbox/server';
import type { ItemEventType } from '../../../src/sandbox/server';
import { MODULE_NAME } from '../../../src/module-name';
import { createModule } from '../../support/module';
import type { HandlerRun } from '../../support/reseller-env';
import { startEventWorld, type EventWorld, type Service } from '../../integration/checkevent/world';

let w: EventWorld;

beforeAll(async () => {
  w = await startEventWorld();
}, 120_000);

afterAll(async () => {
  await w?.close();
});

beforeEach(() => {
  w.sandbox.faults.reset();
});

/** checkevent with --summary: the document with one `<module>` line per module (a cron run prints only problems). */
function checkevent(args: readonly string[] = [], env?: Record<string, string>): Promise<HandlerRun> {
  return w.checkevent(['--summary', ...args], env);
}

/** The `<module>` lines of the handler's document. */
function moduleLines(run: HandlerRun): XmlNode[] {
  if (!run.doc) throw new Error(`no document (exit ${String(run.code)}):\n${run.stdout}\n${run.stderr}`);
  return asList(run.doc.module as XmlNode | XmlNode[] | undefined);
}

function lineOf(run: HandlerRun, module: number): string {
  const line = moduleLines(run).find((m) => m.$?.id === String(module));
  return textOf(line) ?? '';
}

async function status(item: number): Promise<number> {
  return Number((await w.db('item').where({ id: item }).first('status')).status);
}

async function waitingServices(count: number): Promise<Service[]> {
  const services: Service[] = [];
  for (let i = 0; i < count; i++) services.push(await w.service());
  return services;
}

describe('checkevent as cron runs it (no --summary)', () => {
  it('prints nothing and exits 0 when all went well; the summary goes to the log', async () => {
    const [s] = await waitingServices(1);
    w.sandbox.state.activate(s!.selling.id);
    const run = await w.checkevent();
    expect(run.stdout).toBe('');
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(
      new RegExp(`module ${w.module} \\(Selling BILLmanager\\): fetched 1, applied 1`),
    );
    expect(await status(s!.local)).toBe(2);
  });

  it('--dry-run prints its summary document even without --summary: a person runs it', async () => {
    const run = await w.checkevent(['--dry-run']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^<doc>[\s\S]*dry run: fetched 0 \(not acknowledged\)[\s\S]*<\/doc>\n$/);
  });

  it('prints one line per kept event with its error and exits 3', async () => {
    const [s] = await waitingServices(1);
    const event = w.sandbox.state.emitEvent({ item: s!.selling.id, type: 'reboot' as ItemEventType });
    const run = await w.checkevent();
    expect(run.code).toBe(3);
    expect(run.stdout).toBe(
      `module ${w.module}: event ${event.id} (reboot, service ${s!.local}) kept: unknown event type 'reboot'\n`,
    );
    await w.db('itemevent').where({ item: s!.local }).delete();
  });
});

describe('checkevent', () => {
  it('prints one line per module with fetched, applied, kept and time, and exits 0', async () => {
    const [s] = await waitingServices(1);
    w.sandbox.state.activate(s!.selling.id);

    const run = await checkevent();

    expect(run.code).toBe(0);
    expect(lineOf(run, w.module)).toMatch(
      new RegExp(
        `^module ${w.module} \\(Selling BILLmanager\\): fetched 1, applied 1, kept with errors 0, \\d+\\.\\d\\d s$`,
      ),
    );
    expect(moduleLines(run)).toHaveLength(1);
    expect(await status(s!.local)).toBe(2);
    expect(run.stderr).toMatch(/applied event \d+ setup to service \d+ via service\.postopen/);
  });

  it('--dry-run reports what it would apply and writes nothing, here or on the selling side', async () => {
    const services = await waitingServices(2);
    for (const s of services) w.sandbox.state.activate(s.selling.id);
    w.sandbox.state.edit(services[0]!.selling.id, { params: { username: 'dry' } });
    const before = await w.snapshot();
    const acknowledgements = w.sandbox.state.callCount('itemevent.delete');

    const run = await checkevent(['--dry-run']);

    expect(run.code).toBe(0);
    expect(lineOf(run, w.module)).toMatch(
      /dry run: fetched 3 \(not acknowledged\), would apply 3, would keep 0/,
    );
    expect(await w.snapshot()).toEqual(before);
    expect(w.sandbox.state.callCount('itemevent.delete')).toBe(acknowledgements);
    expect(w.sandbox.state.events()).toHaveLength(3);

    expect((await checkevent()).code).toBe(0);
    expect(w.sandbox.state.events()).toHaveLength(0);
  });

  it('--limit N fetches and applies at most N events; the rest wait on the selling side', async () => {
    const services = await waitingServices(5);
    for (const s of services) w.sandbox.state.activate(s.selling.id);

    const run = await checkevent(['--limit', '2']);

    expect(lineOf(run, w.module)).toMatch(/fetched 2, applied 2, kept with errors 0/);
    expect(w.sandbox.state.events()).toHaveLength(3);
    expect(await Promise.all(services.map((s) => status(s.local)))).toEqual([2, 2, 1, 1, 1]);
    await checkevent();
  });

  it('leaves at once with a message when another run holds the module lock, and changes nothing', async () => {
    const [s] = await waitingServices(1);
    w.sandbox.state.activate(s!.selling.id);
    const holder: Knex = knex({ ...knexConfigFromUrl(w.dbUrl), pool: { min: 1, max: 1 } });
    try {
      await holder.transaction(async (connection) => {
        const lock = "LEFT(CONCAT('checkevent:', ?, '@', DATABASE()), 64)";
        await connection.raw(`SELECT GET_LOCK(${lock}, 10)`, [w.module]);
        const run = await checkevent();
        expect(run.code).toBe(0);
        expect(lineOf(run, w.module)).toMatch(/skipped, another checkevent run holds its lock/);
        expect(w.sandbox.state.events()).toHaveLength(1);
        expect(await status(s!.local)).toBe(1);
        await connection.raw(`SELECT RELEASE_LOCK(${lock})`, [w.module]);
      });
    } finally {
      await holder.destroy();
    }
    expect(lineOf(await checkevent(), w.module)).toMatch(/fetched 1, applied 1/);
  });

  it('two runs at once apply every event exactly once', async () => {
    const services = await waitingServices(40);
    for (const [i, s] of services.entries()) {
      w.sandbox.state.activate(s.selling.id);
      w.sandbox.state.edit(s.selling.id, { params: { username: `user${i}` } });
      w.sandbox.state.addIp(s.selling.id, `198.18.${Math.floor(i / 200)}.${i % 200}`);
      w.sandbox.state.emitEvent({ item: s.selling.id, type: 'prolong', value: '2027-01-31' });
      w.sandbox.state.suspend(s.selling.id);
      w.sandbox.state.resume(s.selling.id);
      w.sandbox.state.suspend(s.selling.id);
    }
    const events = w.sandbox.state.events().length;

    const runs = await Promise.all([checkevent(), checkevent()]);

    expect(runs.map((r) => r.code)).toEqual([0, 0]);
    const applied = runs.map((r) => Number(moduleLines(r)[0]?.$?.applied));
    expect(applied[0]! + applied[1]!).toBe(events);
    expect(w.sandbox.state.events()).toEqual([]);
    const locals = services.map((s) => s.local);
    expect(await w.db('item').whereIn('id', locals).distinct().pluck('status')).toEqual([3]);
    const calls = (await w.mgrctlCalls()).filter((c) => locals.includes(Number(c.params.elid)));
    expect(calls.filter((c) => c.func === 'service.postopen')).toHaveLength(services.length);
    expect(calls.filter((c) => c.func === 'service.postsuspend')).toHaveLength(services.length);
    expect(
      await w.db('itemparam').whereIn('item', locals).where({ intname: 'username' }).pluck('value'),
    ).toHaveLength(services.length);
    const ipAddons = services.map((s) => s.children.ip);
    expect(await w.db('ip').whereIn('item', ipAddons).pluck('name')).toHaveLength(services.length);
    const ipCalls = (await w.mgrctlCalls('service.ip.add')).filter((c) =>
      ipAddons.includes(Number(c.params.elid)),
    );
    expect(ipCalls).toHaveLength(services.length);
    const receipts = (await w
      .db('bmp_event_receipt')
      .whereIn(
        'selling_item',
        services.map((s) => String(s.selling.id)),
      )
      .pluck('selling_event_id')) as string[];
    expect(receipts).toHaveLength(events);
    // Every one applied: none is still stored.
    expect(await w.db('itemevent').whereIn('externalid', receipts).pluck('externalid')).toEqual([]);
  }, 180_000);

  describe('with a second module whose selling side is down', () => {
    let down: Sandbox;
    let second: number;
    let stranded: { local: number; selling: number };

    beforeAll(async () => {
      down = await startSandbox();
      second = await createModule(w.db, { url: down.url, name: 'Second panel' }, hostKeyPath(w.mgrdir));
      const tariff = down.state.tariffByIntname('vps-start');
      const selling = down.state.addItem({ pricelist: tariff.id, status: 1, username: 'reseller' });
      const [local] = await w
        .db('item')
        .insert({ processingmodule: second, status: 1, remoteid: String(selling.id) });
      stranded = { local: Number(local), selling: selling.id };
      down.state.activate(selling.id);
    });

    beforeEach(() => {
      down.faults.reset();
    });

    afterAll(async () => {
      await w.db('processingmodule').where({ id: second }).update({ active: 'off' });
      await down.close();
    });

    it('exits non-zero naming the module and why; the other module goes through; nothing is lost', async () => {
      const [s] = await waitingServices(1);
      w.sandbox.state.activate(s!.selling.id);
      down.faults.down = true;

      const run = await checkevent();

      expect(run.code).toBe(1);
      expect(lineOf(run, second)).toMatch(
        new RegExp(
          `^module ${second} \\(Second panel\\): FAILED: selling BILLmanager unreachable \\(\\w+\\) on \\w+; events stored so far are kept`,
        ),
      );
      expect(lineOf(run, w.module)).toMatch(/fetched 1, applied 1, kept with errors 0/);
      expect(await status(s!.local)).toBe(2);
      expect(down.state.events()).toHaveLength(1);
      expect(await status(stranded.local)).toBe(1);

      down.faults.down = false;
      const again = await checkevent(['--module', String(second)]);
      expect(again.code).toBe(0);
      expect(moduleLines(again)).toHaveLength(1);
      expect(lineOf(again, second)).toMatch(/fetched 1, applied 1/);
      expect(await status(stranded.local)).toBe(2);
    });

    it('a page stored but not acknowledged (the connection dropped) is kept, applied, and not stored twice', async () => {
      const selling = down.state.addItem({
        pricelist: down.state.tariffByIntname('vps-start').id,
        status: 1,
        username: 'reseller',
      });
      const [local] = await w
        .db('item')
        .insert({ processingmodule: second, status: 1, remoteid: String(selling.id) });
      down.state.activate(selling.id);
      down.faults.failNext('itemevent.delete', { kind: 'drop' }, 5);

      const run = await checkevent(['--module', String(second)]);

      expect(run.code).toBe(1);
      expect(lineOf(run, second)).toMatch(/FAILED: .*itemevent\.delete.*fetched 1, applied 1/);
      expect(await status(Number(local))).toBe(2);
      down.faults.reset();
      const again = await checkevent(['--module', String(second)]);
      expect(lineOf(again, second)).toMatch(
        /fetched 1, applied 0, kept with errors 0 \(1 re-delivered and not stored again\)/,
      );
      expect(down.state.events()).toEqual([]);
    });
  });

  it('refuses a module that is not an active module of this plugin', async () => {
    const run = await checkevent(['--module', '999']);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(`processing module 999 is not an active ${MODULE_NAME} module`);
  });
});
