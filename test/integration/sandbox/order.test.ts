import { toMajorString } from '../../../src/domain/money';
import { startSandbox, type Sandbox } from '../../../src/sandbox/server';
import type { SellingTariff } from '../../../src/sandbox/types';
import { call, elems, errorOf, type Params } from './selling-http';

const AUTH = { authinfo: 'reseller:reseller-secret' };

function addonId(tariff: SellingTariff, intname: string): number {
  const addon = tariff.addons.find((a) => a.intname === intname);
  if (!addon) throw new Error(`no add-on ${intname}`);
  return addon.id;
}

describe('sandbox orders', () => {
  let sandbox: Sandbox;
  let start: SellingTariff;

  const order = (params: Params, func = 'vds.order.param') =>
    call(sandbox.url, { func, ...AUTH, skipbasket: 'on', sok: 'ok', ...params });
  const balance = (): string => toMajorString(sandbox.state.balance('reseller'));

  beforeEach(async () => {
    sandbox = await startSandbox({ now: () => new Date('2025-01-31T12:00:00Z') });
    start = sandbox.state.tariffByIntname('vps-start');
  });
  afterEach(() => sandbox.close());

  it('orders, finds the service by remoteid, activates it and hands out the setup event once', async () => {
    const placed = await order({
      pricelist: start.id,
      period: 1,
      ostempl: 'debian-12',
      remoteid: 77,
      domain: 'a.example',
    });
    expect(placed.doc.ok).toBe('');
    const sellingId = String(placed.doc.id);

    const listed = elems((await call(sandbox.url, { func: 'vds', ...AUTH, remoteid: 77 })).doc);
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({
      id: sellingId,
      remoteid: '77',
      status: '1',
      name: 'a.example',
      expiredate: '',
    });
    expect(sandbox.state.events()).toEqual([]);

    sandbox.state.activate(Number(sellingId));
    const [active] = elems((await call(sandbox.url, { func: 'vds', ...AUTH, elid: sellingId })).doc);
    expect(active).toMatchObject({
      status: '2',
      opendate: '2025-01-31',
      expiredate: '2025-02-28',
    });
    // <username> is the service's own login, which a VPS does not have; the owner is the account that ordered.
    expect(active?.username ?? '').toBe('');
    expect(sandbox.state.item(Number(sellingId)).owner).toBe('reseller');
    expect(active?.ip).toMatch(/^198\.51\.100\.\d+$/);

    const events = elems((await call(sandbox.url, { func: 'itemevent', ...AUTH })).doc);
    expect(events).toEqual([
      expect.objectContaining({
        item: sellingId,
        remoteid: '77',
        type: 'setup',
        date: '2025-01-31 12:00:00',
      }),
    ]);
    await call(sandbox.url, {
      func: 'itemevent.delete',
      ...AUTH,
      elid: `${String(events[0]?.id)},999`,
      sok: 'ok',
    });
    expect(elems((await call(sandbox.url, { func: 'itemevent', ...AUTH })).doc)).toEqual([]);
    expect(sandbox.state.acknowledgedEventIds()).toEqual([Number(events[0]?.id)]);
  });

  it('charges the tariff and the add-ons above what it includes', async () => {
    const panel = start.addons.find((a) => a.intname === 'panel');
    const isplite = panel?.enumeration?.items.find((i) => i.intname === 'isplite');
    await order({
      pricelist: start.id,
      period: 1,
      ostempl: 'ubuntu-24.04',
      [`addon_${addonId(start, 'ram')}`]: 2048,
      [`addon_${addonId(start, 'backup')}`]: 'on',
      [`addon_${addonId(start, 'panel')}`]: String(isplite?.id),
    });
    // 10.00 tariff + 1024 MB x 0.01 + 2.00 backup + 5.00 panel
    expect(balance()).toBe('972.76');
    expect(sandbox.state.items()[0]?.addons[addonId(start, 'ram')]).toBe('2048');
  });

  it('converts an EUR tariff into the account currency', async () => {
    const euro = sandbox.state.tariffByIntname('vps-euro');
    await order({ pricelist: euro.id, period: 1, ostempl: 'debian-12' });
    expect(balance()).toBe('990.10');
  });

  it('refuses an order the balance cannot pay, and orders nothing', async () => {
    sandbox.state.setBalance('reseller', '5.00');
    const { doc } = await order({ pricelist: start.id, period: 1, ostempl: 'debian-12', remoteid: 1 });
    expect(errorOf(doc)?.type).toBe('balance');
    expect(sandbox.state.items()).toEqual([]);
    expect(balance()).toBe('5.00');
  });

  it.each([
    ['pricelist', { pricelist: 99999, period: 1, ostempl: 'debian-12' }],
    ['period', { period: 6, ostempl: 'debian-12' }],
    ['ostempl', { period: 1, ostempl: 'freebsd' }],
    ['ostempl', { period: 1 }],
    ['addon_999', { period: 1, ostempl: 'debian-12', addon_999: 1 }],
  ])('refuses a bad %s with type="value" naming it', async (object, params) => {
    const { doc } = await order({ pricelist: start.id, ...params });
    expect(errorOf(doc)).toMatchObject({ type: 'value', object });
    expect(sandbox.state.items()).toEqual([]);
  });

  it('refuses add-on values out of range or off-step, and the switched-off tariff', async () => {
    const ram = `addon_${addonId(start, 'ram')}`;
    for (const value of [256, 9216, 1000]) {
      const { doc } = await order({ pricelist: start.id, period: 1, ostempl: 'debian-12', [ram]: value });
      expect(errorOf(doc)).toMatchObject({ type: 'value', object: ram });
    }
    const legacy = sandbox.state.tariffByIntname('vps-legacy');
    const { doc } = await order({ pricelist: legacy.id, period: 1, ostempl: 'debian-12' });
    expect(errorOf(doc)).toMatchObject({ type: 'value', object: 'pricelist' });
  });

  it('orders again when the same remoteid comes twice, like a real panel', async () => {
    await order({ pricelist: start.id, period: 1, ostempl: 'debian-12', remoteid: 5 });
    await order({ pricelist: start.id, period: 1, ostempl: 'debian-12', remoteid: 5 });
    expect(elems((await call(sandbox.url, { func: 'vds', ...AUTH, remoteid: 5 })).doc)).toHaveLength(2);
    expect(sandbox.state.callCount('vds.order.param')).toBe(2);
  });

  it('takes the BILLmanager 6 v2 order with order_period', async () => {
    const license = sandbox.state.tariffByIntname('ispmanager-lite');
    const { doc } = await order(
      { pricelist: license.id, order_period: 12, remoteid: 9 },
      'v2.soft.order.param',
    );
    const item = sandbox.state.item(Number(doc.id));
    expect(item).toMatchObject({ itemtype: 'soft', period: 12, remoteid: '9' });
    expect(balance()).toBe('920.00');
  });

  it('shows only the order form without sok=ok, and wants skipbasket=on', async () => {
    const form = await call(sandbox.url, {
      func: 'vds.order.param',
      ...AUTH,
      pricelist: start.id,
      period: 1,
    });
    expect(form.doc.ok).toBeUndefined();
    const basket = await call(sandbox.url, {
      func: 'vds.order.param',
      ...AUTH,
      sok: 'ok',
      pricelist: start.id,
      period: 1,
    });
    expect(errorOf(basket.doc)).toMatchObject({ type: 'value', object: 'skipbasket' });
    expect(sandbox.state.items()).toEqual([]);
  });

  it('leaves out the selling id when told to, so clients must look the service up', async () => {
    sandbox.faults.omitOrderId = true;
    const { doc } = await order({ pricelist: start.id, period: 1, ostempl: 'debian-12', remoteid: 3 });
    expect(doc.ok).toBe('');
    expect(doc.id).toBeUndefined();
    expect(sandbox.state.itemByRemoteid('3')).toBeDefined();
  });

  it('refuses orders from the admin account', async () => {
    const { doc } = await call(sandbox.url, {
      func: 'vds.order.param',
      authinfo: 'admin:admin-secret',
      skipbasket: 'on',
      sok: 'ok',
      pricelist: start.id,
      period: 1,
      ostempl: 'debian-12',
    });
    expect(errorOf(doc)).toMatchObject({ type: 'access' });
  });

  it('shows a client only its own services and events', async () => {
    await sandbox.close();
    sandbox = await startSandbox({
      accounts: [
        {
          username: 'reseller',
          password: 'reseller-secret',
          level: 'client',
          balance: '100.00',
          currency: 'USD',
        },
        { username: 'other', password: 'other-secret', level: 'client', balance: '100.00', currency: 'USD' },
      ],
    });
    const mine = sandbox.state.addItem({ pricelist: start.id, owner: 'reseller' });
    const theirs = sandbox.state.addItem({ pricelist: start.id, owner: 'other' });
    sandbox.state.emitEvent({ item: theirs.id, type: 'suspend' });
    const listed = elems((await call(sandbox.url, { func: 'vds', ...AUTH })).doc);
    expect(listed.map((e) => e.id)).toEqual([String(mine.id)]);
    expect(elems((await call(sandbox.url, { func: 'itemevent', ...AUTH })).doc)).toEqual([]);
    const { doc } = await call(sandbox.url, { func: 'vds.suspend', ...AUTH, elid: theirs.id });
    expect(errorOf(doc)).toMatchObject({ type: 'missed', object: 'elid' });
  });

  it('activates at once with autoActivate', async () => {
    await sandbox.close();
    sandbox = await startSandbox({ autoActivate: true });
    const { doc } = await order({ pricelist: start.id, period: 3, ostempl: 'debian-12', remoteid: 4 });
    expect(sandbox.state.item(Number(doc.id)).status).toBe(2);
    expect(sandbox.state.events().map((e) => e.type)).toEqual(['setup']);
  });
});
