import { asList, type XmlNode } from '../../../src/contract/xml';
import { startSandbox, type Sandbox } from '../../../src/sandbox/server';
import { call, errorOf } from './selling-http';

const AUTH = { authinfo: 'reseller:reseller-secret' };

async function exportTariffs(sandbox: Sandbox, params: Record<string, string | number>): Promise<XmlNode[]> {
  const { doc } = await call(sandbox.url, { func: 'pricelist.export', ...AUTH, ...params });
  return asList(doc.pricelist as XmlNode | XmlNode[]);
}

const periods = (node: XmlNode): Array<Record<string, string> | undefined> =>
  asList((node.price as XmlNode).period as XmlNode | XmlNode[]).map((p) => p.$);

const byIntname = (tariffs: XmlNode[], intname: string): XmlNode => {
  const found = tariffs.find((t) => t.intname === intname);
  if (!found) throw new Error(`no tariff ${intname}`);
  return found;
};

describe('sandbox pricelist.export', () => {
  let sandbox: Sandbox;

  beforeAll(async () => {
    sandbox = await startSandbox();
  });
  afterAll(() => sandbox.close());

  it.each(['vds', 'dedic', 'vhost', 'soft', 'certificate'])(
    'exports %s tariffs priced for 1, 3 and 12 months',
    async (type) => {
      const tariffs = await exportTariffs(sandbox, { itemtype: type, onlyavailable: 'on' });
      expect(tariffs.length).toBeGreaterThanOrEqual(2);
      for (const t of tariffs) {
        expect(t.itemtype).toBe(type);
        expect(t.active).toBe('on');
        expect(periods(t).map((p) => `${p?.type}:${p?.length}`)).toEqual(['month:1', 'month:3', 'month:12']);
      }
    },
  );

  it('describes a VPS tariff with integer, boolean and enum add-ons and the ostempl parameter', async () => {
    const start = byIntname(await exportTariffs(sandbox, { itemtype: 'vds' }), 'vps-start');
    expect(start.price).toMatchObject({ $: { currency: 'USD' } });
    expect(periods(start)[0]).toEqual({ type: 'month', length: '1', cost: '10.00' });

    const addons = asList(start.addon as XmlNode[]);
    const ram = addons.find((a) => a.intname === 'ram');
    expect(ram).toMatchObject({
      addontype: '2',
      billtype: '2',
      addonlimit: '1024',
      addonmin: '512',
      addonmax: '8192',
    });
    expect(ram).toMatchObject({ addonstep: '512', measure: 'MB', active: 'on' });
    expect(addons.find((a) => a.intname === 'backup')).toMatchObject({ addontype: '1' });
    const panel = addons.find((a) => a.intname === 'panel');
    expect(panel).toMatchObject({ addontype: '3' });
    const items = asList((panel?.enumeration as XmlNode).enumerationitem as XmlNode[]);
    expect(items.map((i) => i.intname)).toEqual(['none', 'isplite', 'isppro']);
    expect(periods(items[1] as XmlNode)[0]?.cost).toBe('5.00');

    const os = start.itemtypeparam as XmlNode;
    expect(os.intname).toBe('ostempl');
    expect(asList(os.value as XmlNode[]).map((v) => [v.intname, v.tags])).toEqual([
      ['debian-12', 'linux,debian'],
      ['ubuntu-24.04', 'linux,ubuntu'],
      ['windows-2022', 'windows'],
    ]);
  });

  it('gives hosting one integer add-on and licenses and certificates none', async () => {
    const hosting = await exportTariffs(sandbox, { itemtype: 'vhost' });
    expect(asList(hosting[0]?.addon as XmlNode | XmlNode[]).map((a) => a.addontype)).toEqual(['2']);
    for (const type of ['soft', 'certificate']) {
      for (const t of await exportTariffs(sandbox, { itemtype: type })) {
        expect(t.addon).toBeUndefined();
        expect(t.itemtypeparam).toBeUndefined();
      }
    }
  });

  it('prices one tariff in EUR', async () => {
    const euro = byIntname(await exportTariffs(sandbox, { itemtype: 'vds' }), 'vps-euro');
    expect(euro.price).toMatchObject({ $: { currency: 'EUR' } });
  });

  it('hides the switched-off tariff only with onlyavailable=on', async () => {
    const all = await exportTariffs(sandbox, { itemtype: 'vds' });
    expect(byIntname(all, 'vps-legacy').active).toBe('off');
    const available = await exportTariffs(sandbox, { itemtype: 'vds', onlyavailable: 'on' });
    expect(available.map((t) => t.intname)).not.toContain('vps-legacy');
    expect(available.length).toBe(all.length - 1);
  });

  it('exports one tariff by elid, and refuses an unknown one', async () => {
    const pro = sandbox.state.tariffByIntname('vps-pro');
    const one = await exportTariffs(sandbox, { itemtype: 'vds', elid: pro.id });
    expect(one.map((t) => t.name)).toEqual(['VPS Pro']);
    const { doc } = await call(sandbox.url, { func: 'pricelist.export', ...AUTH, elid: 99999 });
    expect(errorOf(doc)).toMatchObject({ type: 'missed', object: 'elid' });
  });

  it('shows tariff changes made through the state (for sync tests)', async () => {
    const pro = sandbox.state.tariffByIntname('vps-pro');
    const [ram, , backup, panel] = pro.addons;
    const ipv6 = sandbox.state.addAddon(pro.id, {
      intname: 'ipv6',
      name: 'IPv6 subnet',
      addontype: 1,
      prices: [{ type: 'month', length: 1, cost: '1.00' }],
    });
    sandbox.state.removeAddon(pro.id, ram!.id);
    sandbox.state.setAddonActive(pro.id, backup!.id, false);
    const plesk = sandbox.state.addEnumerationItem(pro.id, panel!.id, {
      intname: 'plesk',
      name: 'Plesk',
      prices: [{ type: 'month', length: 1, cost: '15.00' }],
    });
    sandbox.state.removeEnumerationItem(pro.id, panel!.id, panel!.enumeration!.items[0]!.id);
    sandbox.state.addOsTemplate(pro.id, { intname: 'alma-9', name: 'AlmaLinux 9', tags: ['linux', 'rhel'] });
    sandbox.state.removeOsTemplate(pro.id, 'windows-2022');
    sandbox.state.setTag(pro.id, 'debian-12', ['linux', 'debian', 'lts']);

    const [tariff] = await exportTariffs(sandbox, { elid: pro.id });
    const addons = asList(tariff?.addon as XmlNode[]);
    expect(addons.map((a) => a.intname)).toEqual(['disk', 'backup', 'panel', 'ipv6']);
    expect(addons.find((a) => a.id === String(ipv6.id))?.active).toBe('on');
    expect(addons.find((a) => a.intname === 'backup')?.active).toBe('off');
    const items = asList(
      (addons.find((a) => a.intname === 'panel')?.enumeration as XmlNode).enumerationitem as XmlNode[],
    );
    expect(items.map((i) => [i.id, i.intname])).toEqual([
      [expect.any(String), 'isplite'],
      [expect.any(String), 'isppro'],
      [String(plesk.id), 'plesk'],
    ]);
    const os = asList((tariff?.itemtypeparam as XmlNode).value as XmlNode[]);
    expect(os.map((v) => [v.intname, v.tags])).toEqual([
      ['debian-12', 'linux,debian,lts'],
      ['ubuntu-24.04', 'linux,ubuntu'],
      ['alma-9', 'linux,rhel'],
    ]);
  });
});
