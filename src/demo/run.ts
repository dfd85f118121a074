/** `npm run demo`: the whole reseller lifecycle against the sandbox selling BILLmanager and an embedded SQLite host. */
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Knex } from 'knex';
import { asList, parseXml, textOf, type XmlNode } from '../contract/xml';
import { openDatabaseUrl } from '../db/connect';
import { migrate } from '../db/migrate';
import { formatMoney } from '../domain/money';
import { ensureHostKey } from '../host-standin/host-key';
import {
  createAccount,
  createModule,
  payProlongation,
  placeOrder,
  setupCurrencies,
  setupItemtypes,
  startOperation,
} from '../host-standin/panel';
import { setReselling } from '../reseller/tariffs/admin';
import { ITEM_TYPES } from '../contract/item-types';
import { projectPath } from '../paths';
import { startSandbox, type Sandbox } from '../sandbox/server';

const STATUS = ['', 'ordered', 'active', 'suspended', 'deleted', 'processing'];

/** The demo prints to the terminal: this is its whole job. */
function print(line = ''): void {
  process.stdout.write(line + '\n');
}

interface HandlerRun {
  code: number;
  doc: XmlNode;
  stdout: string;
}

class DemoHost {
  constructor(
    readonly db: Knex,
    readonly env: NodeJS.ProcessEnv,
    readonly sandbox: Sandbox,
  ) {}

  /** Runs a real handler process, as the core would. */
  handler(name: string, args: string[], stdin?: string): Promise<HandlerRun> {
    return new Promise((resolve, reject) => {
      const child = execFile(
        projectPath('handlers', name),
        args,
        { env: this.env },
        (err, stdout, stderr) => {
          const code = err ? Number((err as { code?: number }).code ?? 1) : 0;
          if (err && !stdout)
            return reject(new Error(`${name} ${args.join(' ')} failed: ${stderr || err.message}`));
          parseXml(stdout, name)
            .then((doc) => resolve({ code, doc, stdout }))
            .catch(() => resolve({ code, doc: {}, stdout }));
        },
      );
      if (stdin !== undefined) child.stdin?.end(stdin);
    });
  }

  async pmbillmgr(args: string[], stdin?: string): Promise<HandlerRun> {
    const run = await this.handler('pmbillmgr', args, stdin);
    if (run.code !== 0) throw new Error(`pmbillmgr ${args.join(' ')} failed:\n${run.stdout}`);
    return run;
  }

  /** A service operation as the core runs it: a runningoperation row, then the handler. */
  async operation(item: number, command: string): Promise<void> {
    const op = await startOperation(this.db, item, command);
    await this.pmbillmgr(['--command', command, '--item', String(item), '--runningoperation', String(op)]);
    const row = await this.db('runningoperation').where({ id: op }).first('manual');
    const state = row?.manual === 'on' ? 'set to manual: it waits for the selling side' : 'finished';
    print(`  ${command.padEnd(8)} item ${item}: sent to the selling side; operation ${op} ${state}`);
  }

  async checkevent(): Promise<void> {
    const run = await this.handler('checkevent', []);
    if (run.code !== 0) throw new Error(`checkevent failed:\n${run.stdout}`);
    for (const module of asList(run.doc.module as XmlNode | XmlNode[] | undefined))
      print(`  checkevent: ${textOf(module)}`);
  }

  async describe(item: number): Promise<string> {
    const row = await this.db('item').where({ id: item }).first();
    const ips = await this.db('ip').where({ item }).pluck('name');
    const ip = ips.length ? `, IP ${ips.join(' ')}` : '';
    return `status ${row.status} (${STATUS[row.status]}), selling id ${row.remoteid ?? '-'}, expires ${row.expiredate ?? '-'}${ip}`;
  }
}

async function main(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'billmgr-demo-'));
  const databaseUrl = `sqlite:${join(work, 'billmgr.sqlite')}`;
  print(`== Host: an embedded SQLite database in ${work}`);
  const db = openDatabaseUrl(databaseUrl);
  const sandbox = await startSandbox();
  try {
    const { hostTablesCreated, migrationsApplied } = await migrate(db, { hostFixture: true });
    print(
      `  ${hostTablesCreated.length} host tables (fixture), ${migrationsApplied.length} plugin migrations`,
    );
    const currencies = await setupCurrencies(db, 'USD', { EUR: '1.08' });
    await setupItemtypes(db, ITEM_TYPES);
    const keyPath = ensureHostKey(work);
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      BMP_DATABASE_URL: databaseUrl,
      BMP_MGRDIR: work,
      BMP_MGRCTL: projectPath('bin', 'host-mgrctl'),
      BMP_LOG: 'file',
    };
    const host = new DemoHost(db, env, sandbox);
    print(`== Selling BILLmanager sandbox at ${sandbox.url}`);

    const module = await createModule(db, { url: sandbox.url, minbalance: '50' }, keyPath);
    const moduleXml = `<doc><processingmodule><url>${sandbox.url}</url><username>reseller</username><password>reseller-secret</password></processingmodule></doc>`;
    await host.pmbillmgr(['--command', 'check_connection'], moduleXml);
    print(`  processing module ${module} added; check_connection: ok`);

    print('== Import tariffs');
    const listing = await host.pmbillmgr([
      '--command',
      'import_pricelist',
      '--module',
      String(module),
      '--itemtype',
      'vds',
    ]);
    const offered = asList(listing.doc.elem as XmlNode[] | XmlNode | undefined);
    print(
      `  the selling side offers ${offered.length} VPS tariffs: ${offered.map((e) => textOf(e.name)).join(', ')}`,
    );
    const vps = sandbox.state.tariffs('vds')[0];
    const ssl = sandbox.state.tariffs('certificate')[0];
    if (!vps || !ssl) throw new Error('the sandbox has no VPS or certificate tariff');
    const tariffs: Record<string, number> = {};
    for (const selling of [vps, ssl]) {
      const args = [
        '--command',
        'import_pricelist',
        '--module',
        String(module),
        '--subcommand',
        'pricelist',
        '--id',
        String(selling.id),
      ];
      await host.pmbillmgr(args);
      const local = await db('pricelist')
        .where({ intname: `${selling.id}-${selling.intname}`, parent: null })
        .first();
      tariffs[selling.itemtype] = Number(local.id);
      const addons = await db('pricelist').where({ parent: local.id }).count({ n: '*' }).first();
      print(`  ${selling.name}: local tariff ${local.id} '${local.intname}' with ${addons?.n ?? 0} add-ons`);
      await host.pmbillmgr(args);
    }
    print('  importing both again changed nothing (idempotent)');
    await setReselling(db, Object.values(tariffs), true);
    print(
      `  reselling enabled for tariffs ${Object.values(tariffs).join(', ')} (imported tariffs start disabled)`,
    );

    const client = await createAccount(db, 'Demo Client', 'client@example.com', currencies.USD ?? 0);
    for (const [itemtype, label] of [
      ['vds', 'VPS'],
      ['certificate', 'SSL certificate'],
    ] as const) {
      print(`== ${label}: order, open, activate, suspend, resume, prolong, close`);
      const item = await placeOrder(db, {
        account: client,
        pricelist: tariffs[itemtype] ?? 0,
        period: 1,
        currency: currencies.USD ?? 0,
        processingmodule: module,
        name: `${label} for Demo Client`,
        params: itemtype === 'vds' ? { ostempl: 'debian-12' } : {},
      });
      print(`  client ordered item ${item}: ${await host.describe(item)}`);
      await host.operation(item, 'open');
      await host.operation(item, 'open');
      print(
        `  a second open found the order by remoteid: ${sandbox.state.calls(`${itemtype}.order.param`).length} order call(s) in all`,
      );
      const selling = sandbox.state.itemByRemoteid(String(item));
      if (!selling) throw new Error(`the selling side has no item for ${item}`);
      sandbox.state.activate(selling.id);
      print(`  the selling side activates its item ${selling.id}`);
      await host.checkevent();
      print(`  item ${item}: ${await host.describe(item)}`);
      for (const command of ['suspend', 'resume', 'prolong', 'close']) {
        if (command === 'prolong')
          print(
            `  the client pays one more month: the core moves the expiry to ${await payProlongation(db, item)}`,
          );
        await host.operation(item, command);
        await host.checkevent();
        print(`  item ${item}: ${await host.describe(item)}`);
      }
    }
    print(`== Selling account balance left: ${formatMoney(sandbox.state.balance('reseller'))}`);

    print('== Affiliates');
    const { runAffiliateDemo } = await import('../affiliate/demo');
    await runAffiliateDemo(db, print);
    print('== Promotions');
    await (await import('../promotions/demo')).runPromotionDemo(db, print);
    print('== Demo finished');
  } finally {
    await sandbox.close();
    await db.destroy();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`demo failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
