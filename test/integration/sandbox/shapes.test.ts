/** The sandbox's answer shapes: the same state worded in the classic shape and in the variant one. */
import type { XmlNode } from '../../../src/contract/xml';
import { startSandbox, type Sandbox } from '../../../src/sandbox/server';
import { call, elems } from './selling-http';

const AUTH = { authinfo: 'reseller:reseller-secret' };

describe('sandbox answer shapes', () => {
  let sandbox: Sandbox;
  let sellingId: number;
  let panelId: number;

  beforeAll(async () => {
    sandbox = await startSandbox();
    const start = sandbox.state.tariffByIntname('vps-start');
    panelId = start.addons.find((a) => a.intname === 'panel')?.id ?? 0;
    const placed = await call(sandbox.url, {
      func: 'vds.order.param',
      ...AUTH,
      pricelist: start.id,
      period: 1,
      ostempl: 'debian-12',
      skipbasket: 'on',
      sok: 'ok',
    });
    sellingId = Number(placed.doc.id);
    sandbox.state.activate(sellingId);
    const lite = start.addons.find((a) => a.intname === 'panel')?.enumeration?.items[1]?.id;
    sandbox.state.edit(sellingId, { addons: { [panelId]: String(lite) } });
  });
  afterAll(() => sandbox.close());

  const events = async () => elems((await call(sandbox.url, { func: 'itemevent', ...AUTH })).doc);
  const panelOf = async () => {
    const doc = (await call(sandbox.url, { func: 'pricelist.export', ...AUTH, itemtype: 'vds' })).doc;
    const tariff = (doc.pricelist as XmlNode[])[0] as XmlNode;
    return (tariff.addon as XmlNode[]).find((a) => a.intname === 'panel') as XmlNode;
  };

  it('classic: add-on events name the add-on id, setup events carry nothing, whoami is flat with a word', async () => {
    sandbox.state.shape = 'classic';
    const [setup, addon] = await events();
    expect(setup).toMatchObject({ type: 'setup', param: '', value: '' });
    expect(addon).toMatchObject({ type: 'addon', param: String(panelId) });
    const whoami = (await call(sandbox.url, { func: 'whoami', ...AUTH })).doc;
    expect(whoami).toMatchObject({ name: 'reseller', level: 'client' });
    expect(whoami.tparams).toBeUndefined();
    const enumeration = (await panelOf()).enumeration as XmlNode;
    expect(enumeration.intname).toBe('panel');
  });

  it('variant: addon_<id>, the setup IP, a nested numeric level, no intnames, and a <tparams> echo without secrets', async () => {
    sandbox.state.shape = 'variant';
    const [setup, addon] = await events();
    expect(setup).toMatchObject({ type: 'setup', param: 'ip', value: sandbox.state.item(sellingId).ips[0] });
    expect(addon).toMatchObject({ type: 'addon', param: `addon_${panelId}` });

    const whoami = await call(sandbox.url, { func: 'whoami', ...AUTH });
    expect(whoami.doc.user).toMatchObject({ name: 'reseller', level: '16' });
    expect(whoami.doc.tparams).toMatchObject({ func: 'whoami', out: 'xml' });
    expect(whoami.text).not.toContain('reseller-secret');

    const enumeration = (await panelOf()).enumeration as XmlNode;
    expect(enumeration.intname).toBeUndefined();
    expect((enumeration.enumerationitem as XmlNode[]).map((i) => i.intname)).toEqual([
      undefined,
      undefined,
      undefined,
    ]);
    const doc = (await call(sandbox.url, { func: 'pricelist.export', ...AUTH, itemtype: 'vds' })).doc;
    const os = ((doc.pricelist as XmlNode[])[0] as XmlNode).itemtypeparam as XmlNode;
    expect((os.itemtypeparamvalue as XmlNode[]).map((v) => v.intname)).toEqual([
      'debian-12',
      'ubuntu-24.04',
      'windows-2022',
    ]);
    expect(os.value).toBeUndefined();
  });

  it('is switched over the control surface, which refuses an unknown shape', async () => {
    const base = sandbox.url.replace(/\/billmgr$/, '/sandbox');
    const post = (shape: string) =>
      fetch(`${base}/shape`, { method: 'POST', body: JSON.stringify({ shape }) });
    expect((await post('classic')).status).toBe(200);
    expect(sandbox.state.shape).toBe('classic');
    expect((await post('baroque')).status).toBe(400);
    expect(sandbox.state.shape).toBe('classic');
  });
});
