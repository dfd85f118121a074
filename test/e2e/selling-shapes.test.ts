/**
 * The reseller module against the selling side in each answer shape it documents (contract section 4): the same
 * steps, as the core and cron run them, once with the sandbox's classic answers and once with the variant ones
 * (enumerations without intname, OS templates as <itemtypeparamvalue>, add-on events naming addon_<id>, a setup
 * event with the IP, whoami nested with a numeric level, a <tparams> echo ending every document).
 * `npm run build` first.
 */
import type { Knex } from 'knex';
import { addIpAddon } from '../../src/host-standin/panel';
import { spawnHandler } from '../support/reseller-env';
import {
  docOf,
  errorOfRun,
  importTariff,
  orderService,
  runUnderOperation,
  startServicesEnv,
  type LocalTariff,
  type ServicesEnv,
} from '../support/services';
import type { AnswerShape, SellingTariff } from '../../src/sandbox/types';
import { asList, type XmlNode } from '../../src/contract/xml';

/** The addresses a service has on the host, on itself or on one of its add-on items. */
async function ipsOf(db: Knex, item: number): Promise<string[]> {
  const rows = (await db('ip')
    .leftJoin('item as child', 'child.id', 'ip.item')
    .where('ip.item', item)
    .orWhere('child.parent', item)
    .orderBy('ip.name')
    .select('ip.name')) as { name: string }[];
  return rows.map((row) => row.name);
}

describe.each<AnswerShape>(['classic', 'variant'])(
  'against a selling side answering in the %s shape',
  (shape) => {
    let env: ServicesEnv;

    beforeAll(async () => {
      env = await startServicesEnv({ sandbox: { shape } });
    }, 60_000);

    afterAll(async () => {
      await env?.close();
    });

    beforeEach(() => env.sandbox.faults.reset());

    const selling = (intname: string): SellingTariff => env.sandbox.state.tariffByIntname(intname);
    const sellingAddon = (intname: string, addon: string) => {
      const found = selling(intname).addons.find((a) => a.intname === addon);
      if (!found) throw new Error(`no add-on ${addon} on ${intname}`);
      return found;
    };
    const checkevent = () => spawnHandler('checkevent', [], env.env);

    it('imports a tariff of every item type with its add-ons, enumeration items (priced) and OS templates', async () => {
      for (const intname of ['vps-start', 'dedic-e3', 'hosting-lite', 'ispmanager-lite', 'alphassl']) {
        const tariff = await importTariff(env, intname);
        const sold = selling(intname);

        expect(Object.keys(tariff.addons).sort()).toEqual(sold.addons.map((a) => a.intname).sort());
        const values = (await env
          .db('pricelist2itemtypeparamvalue as a')
          .join('itemtypeparamvalue as v', 'v.id', 'a.itemtypeparamvalue')
          .where('a.pricelist', tariff.id)
          .orderBy('v.intname')
          .pluck('v.intname')) as string[];
        expect(values).toEqual(sold.osTemplates.map((os) => os.intname).sort());

        const panel = sold.addons.find((a) => a.intname === 'panel');
        if (!panel) continue;
        expect(Object.keys(tariff.enumerationItems).sort()).toEqual(['isplite', 'isppro', 'none']);
        const priced = (await env
          .db('pricelistenumerationitem')
          .where({ pricelist: tariff.addons.panel })
          .orderBy('enumerationitem')
          .pluck('enumerationitem')) as number[];
        expect(priced).toEqual(Object.values(tariff.enumerationItems).sort((a, b) => a - b));
      }
    });

    it('importing again, and a sync, change nothing: the enumeration items are found again by selling id', async () => {
      const before = await env.db('enumerationitem').count({ n: '*' }).first();
      const again = await env.runModuleCommand('import_pricelist', [
        '--subcommand',
        'pricelist',
        '--id',
        String(selling('vps-start').id),
      ]);
      expect(again.code).toBe(0);
      const tariff = await importTariff(env, 'vps-start');
      const sync = await env.runModuleCommand('sync_pricelist', ['--id', String(tariff.id)]);

      expect(sync.stdout).not.toContain('<error');
      expect(sync.code).toBe(0);
      const changes = asList(
        ((docOf(sync).pricelist as XmlNode).changes as XmlNode | undefined)?.change as XmlNode[] | undefined,
      );
      expect(changes.filter((c) => String(c.$?.object).startsWith('enumeration'))).toEqual([]);
      expect(await env.db('enumerationitem').count({ n: '*' }).first()).toEqual(before);
    });

    describe('a VPS with an enum add-on', () => {
      let vps: LocalTariff;
      let item: number;
      let sellingId: number;

      beforeAll(async () => {
        vps = await importTariff(env, 'vps-start');
        // The provider gives the tariff IP addresses: the core keeps a service's addresses on this add-on.
        vps.addons.ip = await addIpAddon(env.db, vps.id);
        item = await orderService(env, {
          tariff: vps,
          params: { ostempl: 'debian-12' },
          addons: { ram: 2048 },
          enumerations: { panel: 'isplite' },
        });
      });

      const panelItem = (intname: string) =>
        sellingAddon('vps-start', 'panel').enumeration?.items.find((i) => i.intname === intname)?.id;

      it('is opened with the selling enumeration item id of its panel', async () => {
        const run = await runUnderOperation(env, 'open', item);

        expect(run.code).toBe(0);
        sellingId = Number((await env.db('item').where({ id: item }).first('remoteid')).remoteid);
        const ordered = env.sandbox.state.item(sellingId);
        expect(ordered.addons[sellingAddon('vps-start', 'panel').id]).toBe(String(panelItem('isplite')));
        expect(ordered.params.ostempl).toBe('debian-12');
      });

      it('becomes active with the IP of the setup event when the selling side names one', async () => {
        env.sandbox.state.activate(sellingId);
        const ip = env.sandbox.state.item(sellingId).ips[0];

        const run = await checkevent();

        expect(run.code).toBe(0);
        expect(Number((await env.db('item').where({ id: item }).first('status')).status)).toBe(2);
        // Only the variant's setup event carries the IP; the classic one says nothing of it.
        expect(await ipsOf(env.db, item)).toEqual(shape === 'variant' ? [ip] : []);
      });

      it('sends a changed panel to the selling side with setparam', async () => {
        const panelChild = (await env
          .db('item')
          .where({ parent: item, pricelist: vps.addons.panel })
          .first('id')) as { id: number };
        await env
          .db('item')
          .where({ id: panelChild.id })
          .update({ enumerationitem: vps.enumerationItems.isppro });

        const run = await env.run(['--command', 'setparam', '--item', String(item)]);

        expect(run.code).toBe(0);
        expect(env.sandbox.state.item(sellingId).addons[sellingAddon('vps-start', 'panel').id]).toBe(
          String(panelItem('isppro')),
        );
      });

      it('applies add-on changes made on the selling side to the host add-on items, and keeps no event', async () => {
        const panel = sellingAddon('vps-start', 'panel');
        const ram = sellingAddon('vps-start', 'ram');
        env.sandbox.state.edit(sellingId, {
          addons: { [panel.id]: String(panelItem('none')), [ram.id]: '4096' },
        });

        const run = await checkevent();

        expect(run.code).toBe(0);
        const children = (await env
          .db('item')
          .where({ parent: item })
          .select('pricelist', 'enumerationitem', 'intvalue')) as {
          pricelist: number;
          enumerationitem: number | null;
          intvalue: number | null;
        }[];
        const child = (pricelist: number | undefined) =>
          children.find((c) => Number(c.pricelist) === pricelist);
        expect(Number(child(vps.addons.panel)?.enumerationitem)).toBe(vps.enumerationItems.none);
        expect(Number(child(vps.addons.ram)?.intvalue)).toBe(4096);
        // The echoes of our own setparam are applied too (to the values they already have), not piled up.
        expect(await env.db('itemevent').where({ item }).select('type', 'param')).toEqual([]);
      });
    });

    describe('check_connection', () => {
      const form = (username: string, password: string) =>
        `<doc><processingmodule><url>${env.sandbox.url}</url><username>${username}</username><password>${password}</password></processingmodule></doc>`;

      it('takes the client account', async () => {
        const run = await env.run(['--command', 'check_connection'], {
          stdin: form('reseller', 'reseller-secret'),
        });
        expect(run.code).toBe(0);
        expect(run.stdout.trim()).toBe('<doc/>');
      });

      it('refuses an administrator, naming the level it found', async () => {
        const run = await env.run(['--command', 'check_connection'], {
          stdin: form('admin', 'admin-secret'),
        });
        expect(run.code).not.toBe(0);
        expect(errorOfRun(run)).toMatchObject({ type: 'access', object: 'username' });
        expect(errorOfRun(run)?.msg).toContain(
          `its access level is '${shape === 'variant' ? '28' : 'admin'}'`,
        );
      });
    });

    describe('a catalogue with one tariff that cannot be read', () => {
      it('still lists the others, and says which one it left out and why', async () => {
        env.sandbox.faults.unreadableTariffs.add(selling('vps-pro').id);

        const run = await env.runModuleCommand('import_pricelist', ['--itemtype', 'vds']);

        expect(run.code).toBe(0);
        const listed = asList(docOf(run).elem as XmlNode[] | XmlNode | undefined).map((e) =>
          String(e.intname),
        );
        expect(listed).toEqual(expect.arrayContaining(['vps-start', 'vps-euro']));
        expect(listed).not.toContain('vps-pro');
        expect(run.stderr).toContain(`tariff ${selling('vps-pro').id}: a <price> without currency`);
      });

      it('refuses to import that tariff with the same message, and imports another', async () => {
        env.sandbox.faults.unreadableTariffs.add(selling('vps-pro').id);
        const broken = await env.runModuleCommand('import_pricelist', [
          '--subcommand',
          'pricelist',
          '--id',
          String(selling('vps-pro').id),
        ]);
        const other = await env.runModuleCommand('import_pricelist', [
          '--subcommand',
          'pricelist',
          '--id',
          String(selling('vps-euro').id),
        ]);

        expect(broken.code).not.toBe(0);
        expect(errorOfRun(broken)?.msg).toContain(
          `tariff ${selling('vps-pro').id}: a <price> without currency`,
        );
        expect(
          await env
            .db('pricelist')
            .where({ remoteid: String(selling('vps-pro').id) })
            .first(),
        ).toBeUndefined();
        expect(other.code).toBe(0);
      });
    });

    it('syncs every other tariff of the module and then fails naming the unreadable one', async () => {
      const imported = await env
        .db('processingmodule2pricelist')
        .where({ processingmodule: env.module })
        .count({ n: '*' })
        .first();
      const start = (await env
        .db('pricelist')
        .where({ remoteid: String(selling('vps-start').id) })
        .whereNull('parent')
        .first('id')) as { id: number };
      env.sandbox.faults.unreadableTariffs.add(selling('vps-start').id);

      const run = await env.runModuleCommand('sync_pricelist');

      expect(run.code).not.toBe(0);
      expect(errorOfRun(run)?.msg).toContain(
        `local tariff ${start.id}: selling BILLmanager sent a malformed answer`,
      );
      expect(errorOfRun(run)?.msg).toContain(`${Number(imported?.n) - 1} other tariff(s) were synced`);
    });
  },
);
