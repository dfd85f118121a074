/** The sandbox's tariff catalog: seeded on start, changed by tests that exercise tariff sync. */
import { seedTariffs, type NewAddon, type NewEnumerationItem, type NewTariff } from './tariffs-seed';
import type { EnumerationItem, ItemType, OsTemplate, SellingAddon, SellingTariff } from './types';

/** Tariffs and add-ons are both pricelists on the selling side and share one id sequence. */
class IdSequence {
  constructor(private next: number) {}
  take(): number {
    return this.next++;
  }
}

export class TariffCatalog {
  private readonly pricelistIds = new IdSequence(11);
  private readonly enumerationIds = new IdSequence(1);
  private readonly enumerationItemIds = new IdSequence(31);
  private readonly tariffs: SellingTariff[];

  constructor(seed: NewTariff[] = seedTariffs()) {
    this.tariffs = seed.map((t) => this.createTariff(t));
  }

  all(itemtype?: ItemType): SellingTariff[] {
    return this.tariffs.filter((t) => itemtype === undefined || t.itemtype === itemtype);
  }

  find(id: number): SellingTariff | undefined {
    return this.tariffs.find((t) => t.id === id);
  }

  get(id: number): SellingTariff {
    const tariff = this.find(id);
    if (!tariff) throw new Error(`sandbox has no tariff ${id}`);
    return tariff;
  }

  byIntname(intname: string): SellingTariff {
    const tariff = this.tariffs.find((t) => t.intname === intname);
    if (!tariff) throw new Error(`sandbox has no tariff '${intname}'`);
    return tariff;
  }

  addon(tariffId: number, addonId: number): SellingAddon {
    const addon = this.get(tariffId).addons.find((a) => a.id === addonId);
    if (!addon) throw new Error(`tariff ${tariffId} has no add-on ${addonId}`);
    return addon;
  }

  setTariffActive(tariffId: number, active: boolean): void {
    this.get(tariffId).active = active;
  }

  addAddon(tariffId: number, addon: NewAddon): SellingAddon {
    const created = this.createAddon(addon);
    this.get(tariffId).addons.push(created);
    return created;
  }

  removeAddon(tariffId: number, addonId: number): void {
    const tariff = this.get(tariffId);
    this.addon(tariffId, addonId);
    tariff.addons = tariff.addons.filter((a) => a.id !== addonId);
  }

  setAddonActive(tariffId: number, addonId: number, active: boolean): void {
    this.addon(tariffId, addonId).active = active;
  }

  addOsTemplate(tariffId: number, os: OsTemplate): void {
    this.get(tariffId).osTemplates.push({ ...os, tags: [...os.tags] });
  }

  removeOsTemplate(tariffId: number, intname: string): void {
    const tariff = this.get(tariffId);
    this.osTemplate(tariffId, intname);
    tariff.osTemplates = tariff.osTemplates.filter((os) => os.intname !== intname);
  }

  /** Replaces the tags of one OS template. */
  setTag(tariffId: number, osIntname: string, tags: string[]): void {
    this.osTemplate(tariffId, osIntname).tags = [...tags];
  }

  addEnumerationItem(tariffId: number, addonId: number, item: NewEnumerationItem): EnumerationItem {
    const enumeration = this.enumerationOf(tariffId, addonId);
    const created = this.createEnumerationItem(item);
    enumeration.items.push(created);
    return created;
  }

  removeEnumerationItem(tariffId: number, addonId: number, itemId: number): void {
    const enumeration = this.enumerationOf(tariffId, addonId);
    if (!enumeration.items.some((i) => i.id === itemId))
      throw new Error(`add-on ${addonId} has no item ${itemId}`);
    enumeration.items = enumeration.items.filter((i) => i.id !== itemId);
  }

  private osTemplate(tariffId: number, intname: string): OsTemplate {
    const os = this.get(tariffId).osTemplates.find((o) => o.intname === intname);
    if (!os) throw new Error(`tariff ${tariffId} has no OS template '${intname}'`);
    return os;
  }

  private enumerationOf(tariffId: number, addonId: number) {
    const enumeration = this.addon(tariffId, addonId).enumeration;
    if (!enumeration) throw new Error(`add-on ${addonId} is not an enumeration`);
    return enumeration;
  }

  private createTariff(tariff: NewTariff): SellingTariff {
    const id = this.pricelistIds.take();
    return { ...tariff, id, addons: tariff.addons.map((a) => this.createAddon(a)) };
  }

  private createAddon(addon: NewAddon): SellingAddon {
    const { enumeration, ...rest } = addon;
    return {
      ...rest,
      id: this.pricelistIds.take(),
      active: addon.active ?? true,
      billtype: addon.billtype ?? 2,
      ...(enumeration
        ? {
            enumeration: {
              id: this.enumerationIds.take(),
              intname: enumeration.intname,
              name: enumeration.name,
              items: enumeration.items.map((i) => this.createEnumerationItem(i)),
            },
          }
        : {}),
    };
  }

  private createEnumerationItem(item: NewEnumerationItem): EnumerationItem {
    return { ...item, id: this.enumerationItemIds.take(), active: item.active ?? true };
  }
}
