/** What an admin does in the panel to add a pmbillmgr processing module: its rows, password encrypted with the host key. */
import type { Knex } from 'knex';
import { encryptCryptedParam } from '../contract/crypt';
import { publicKeyOf } from './host-key';

export interface ModuleFixture {
  url: string;
  username: string;
  /** Stored encrypted; `null` leaves the crypted param out. */
  password: string | null;
  /** `null` leaves the param out. */
  minbalance: string | null;
  currency: string | null;
  name: string;
  module: string;
  active: boolean;
}

export const MODULE_DEFAULTS: ModuleFixture = {
  url: 'http://127.0.0.1:1/billmgr',
  username: 'reseller',
  password: 'reseller-secret',
  minbalance: null,
  currency: null,
  name: 'Selling BILLmanager',
  module: 'pmbillmgr',
  active: true,
};

/** Inserts the module with its params; `keyPath` is the host key (CryptKey). Returns the module id. */
export async function createModule(
  db: Knex,
  overrides: Partial<ModuleFixture>,
  keyPath: string,
): Promise<number> {
  const m = { ...MODULE_DEFAULTS, ...overrides };
  return db.transaction(async (trx) => {
    const [id] = await trx('processingmodule').insert({
      name: m.name,
      module: m.module,
      active: m.active ? 'on' : 'off',
    });
    const moduleId = Number(id);
    const params = { url: m.url, username: m.username, minbalance: m.minbalance, currency: m.currency };
    for (const [intname, value] of Object.entries(params)) {
      if (value !== null) await trx('processingparam').insert({ processingmodule: moduleId, intname, value });
    }
    if (m.password !== null) {
      const value = encryptCryptedParam(m.password, publicKeyOf(keyPath));
      await trx('processingcryptedparam').insert({ processingmodule: moduleId, intname: 'password', value });
    }
    return moduleId;
  });
}
