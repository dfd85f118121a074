/** The tariffs a fresh sandbox sells: a few of every item type, one in EUR, one switched off. */
import type { EnumerationItem, OsTemplate, PricePeriod, SellingAddon, SellingTariff } from './types';

export type NewEnumerationItem = Omit<EnumerationItem, 'id' | 'active'> & { active?: boolean };

export type NewAddon = Omit<SellingAddon, 'id' | 'active' | 'billtype' | 'enumeration'> & {
  active?: boolean;
  billtype?: number;
  enumeration?: { intname: string; name: string; items: NewEnumerationItem[] };
};

export type NewTariff = Omit<SellingTariff, 'id' | 'addons'> & { addons: NewAddon[] };

/** Prices for 1, 3 and 12 months. */
export function monthly(oneMonth: string, threeMonths: string, twelveMonths: string): PricePeriod[] {
  return [
    { type: 'month', length: 1, cost: oneMonth },
    { type: 'month', length: 3, cost: threeMonths },
    { type: 'month', length: 12, cost: twelveMonths },
  ];
}

const LINUX_AND_WINDOWS: OsTemplate[] = [
  { intname: 'debian-12', name: 'Debian 12', tags: ['linux', 'debian'] },
  { intname: 'ubuntu-24.04', name: 'Ubuntu 24.04', tags: ['linux', 'ubuntu'] },
  { intname: 'windows-2022', name: 'Windows Server 2022', tags: ['windows'] },
];

function panelAddon(): NewAddon {
  return {
    intname: 'panel',
    name: 'Control panel',
    addontype: 3,
    prices: [],
    enumeration: {
      intname: 'panel',
      name: 'Panels',
      items: [
        { intname: 'none', name: 'No panel', prices: monthly('0.00', '0.00', '0.00') },
        { intname: 'isplite', name: 'ISPmanager Lite', prices: monthly('5.00', '15.00', '50.00') },
        { intname: 'isppro', name: 'ISPmanager Pro', prices: monthly('10.00', '30.00', '100.00') },
      ],
    },
  };
}

function backupAddon(cost: string): NewAddon {
  return { intname: 'backup', name: 'Backup', addontype: 1, prices: monthly(cost, cost, cost) };
}

/** Server add-ons: RAM and disk (integer), backup (boolean), control panel (enum). */
function serverAddons(ram: { limit: number; max: number }, disk: { limit: number; max: number }): NewAddon[] {
  return [
    {
      intname: 'ram',
      name: 'RAM',
      addontype: 2,
      measure: 'MB',
      limit: ram.limit,
      min: 512,
      max: ram.max,
      step: 512,
      prices: monthly('0.0100', '0.0300', '0.1000'),
    },
    {
      intname: 'disk',
      name: 'Disk',
      addontype: 2,
      measure: 'GB',
      limit: disk.limit,
      min: 10,
      max: disk.max,
      step: 10,
      prices: monthly('0.10', '0.30', '1.00'),
    },
    backupAddon('2.00'),
    panelAddon(),
  ];
}

function server(
  itemtype: 'vds' | 'dedic',
  intname: string,
  name: string,
  prices: PricePeriod[],
  options: {
    currency?: string;
    active?: boolean;
    ram: { limit: number; max: number };
    disk: { limit: number; max: number };
  },
): NewTariff {
  return {
    itemtype,
    intname,
    name,
    prices,
    currency: options.currency ?? 'USD',
    active: options.active ?? true,
    addons: serverAddons(options.ram, options.disk),
    osTemplates: LINUX_AND_WINDOWS.map((os) => ({ ...os, tags: [...os.tags] })),
  };
}

function hosting(intname: string, name: string, prices: PricePeriod[], diskLimit: number): NewTariff {
  const disk: NewAddon = {
    intname: 'disk',
    name: 'Disk space',
    addontype: 2,
    measure: 'MB',
    limit: diskLimit,
    min: diskLimit,
    max: diskLimit * 10,
    step: 1000,
    prices: monthly('0.0010', '0.0030', '0.0100'),
  };
  return {
    itemtype: 'vhost',
    intname,
    name,
    prices,
    currency: 'USD',
    active: true,
    addons: [disk],
    osTemplates: [],
  };
}

function plain(
  itemtype: 'soft' | 'certificate',
  intname: string,
  name: string,
  prices: PricePeriod[],
): NewTariff {
  return { itemtype, intname, name, prices, currency: 'USD', active: true, addons: [], osTemplates: [] };
}

export function seedTariffs(): NewTariff[] {
  const small = { ram: { limit: 1024, max: 8192 }, disk: { limit: 20, max: 200 } };
  const large = { ram: { limit: 4096, max: 32768 }, disk: { limit: 80, max: 1000 } };
  return [
    server('vds', 'vps-start', 'VPS Start', monthly('10.00', '27.00', '100.00'), small),
    server('vds', 'vps-pro', 'VPS Pro', monthly('20.00', '54.00', '200.00'), large),
    server('vds', 'vps-euro', 'VPS Euro', monthly('9.00', '25.00', '90.00'), { ...small, currency: 'EUR' }),
    server('vds', 'vps-legacy', 'VPS Legacy', monthly('5.00', '15.00', '50.00'), { ...small, active: false }),
    server('dedic', 'dedic-e3', 'Dedicated E3', monthly('80.00', '225.00', '840.00'), large),
    server('dedic', 'dedic-xeon', 'Dedicated Xeon', monthly('150.00', '420.00', '1600.00'), large),
    hosting('hosting-lite', 'Hosting Lite', monthly('3.00', '8.00', '30.00'), 1000),
    hosting('hosting-pro', 'Hosting Pro', monthly('8.00', '21.00', '80.00'), 10000),
    plain('soft', 'ispmanager-lite', 'ISPmanager 6 Lite', monthly('8.00', '24.00', '80.00')),
    plain('soft', 'ispmanager-business', 'ISPmanager 6 Business', monthly('30.00', '90.00', '300.00')),
    plain('certificate', 'alphassl', 'AlphaSSL', monthly('4.00', '11.00', '40.00')),
    plain('certificate', 'globalsign-ov', 'GlobalSign OV', monthly('20.00', '55.00', '200.00')),
  ];
}
