/** Processing-module settings: `processingmodule` + `processingparam` + `processingcryptedparam` (password). */
import { MODULE_NAME } from '../module-name';
import { readFile } from 'node:fs/promises';
import type { Db } from './types';
import { decryptCryptedParam } from '../contract/crypt';
import { ConfigurationError, NotFoundError, ValidationError } from '../domain/errors';
import type { Mgrctl } from '../contract/mgrctl';
import { registerSecret } from '../contract/redact';
import { parseMoney, type Money } from '../domain/money';
import { readParamlist } from './connect';

export interface DbProcessingModuleRow {
  id: number;
  orderpriority: number | null;
  name: string | null;
  module: string | null;
  ipmgr: string | null;
  laststatdate: string | null;
  config: string | null;
  datacenter: number | null;
  department: number | null;
  licserver: string | null;
  licserverprovider: string | null;
  active: string | null;
  ippool: string | null;
  failed: string | null;
}

/** `processingparam` and `processingcryptedparam` have the same columns. */
export interface DbProcessingParamRow {
  id: number;
  intname: string | null;
  processingmodule: number | null;
  value: string | null;
}

export interface ModuleSettings {
  id: number;
  name: string;
  active: boolean;
  module: string;
  /** The selling BILLmanager, e.g. `https://my.example.com/billmgr`. */
  url: string;
  username: string;
  /** Decrypted; registered with redact() so it never reaches a log. */
  password: string;
  /** Below this selling balance the module warns; absent when the module has no `minbalance`. */
  minBalance?: Money;
}

/** [assumed] Currency of `minbalance` when the module has no `currency` parameter. */
export const DEFAULT_MODULE_CURRENCY = 'USD';

/** Reads one module's settings; the password is decrypted with the key file paramlist names as CryptKey. */
export async function loadModuleSettings(db: Db, mgrctl: Mgrctl, moduleId: number): Promise<ModuleSettings> {
  const row = await db<DbProcessingModuleRow>('processingmodule').where({ id: moduleId }).first();
  if (!row) {
    throw new NotFoundError('processingmodule', `processing module ${moduleId} does not exist`, {
      elid: String(moduleId),
    });
  }
  const params = await paramsOf(db, 'processingparam', moduleId);
  const crypted = await paramsOf(db, 'processingcryptedparam', moduleId);
  const url = required(params, 'url', moduleId, 'processingparam');
  const username = required(params, 'username', moduleId, 'processingparam');
  const password = decryptCryptedParam(
    required(crypted, 'password', moduleId, 'processingcryptedparam'),
    await readCryptKey(mgrctl),
  );
  registerSecret(password);
  const minBalance = readMinBalance(params, moduleId);
  return {
    id: Number(row.id),
    name: row.name ?? '',
    active: row.active === 'on',
    module: row.module ?? '',
    url,
    username,
    password,
    ...(minBalance ? { minBalance } : {}),
  };
}

/** The active modules of one kind (this plugin's MODULE_NAME by default), by id. */
export async function activeModules(db: Db, moduleName = MODULE_NAME): Promise<DbProcessingModuleRow[]> {
  return db<DbProcessingModuleRow>('processingmodule')
    .where({ module: moduleName, active: 'on' })
    .orderBy('id');
}

async function paramsOf(
  db: Db,
  table: 'processingparam' | 'processingcryptedparam',
  moduleId: number,
): Promise<Map<string, string>> {
  const rows = await db<DbProcessingParamRow>(table).where({ processingmodule: moduleId }).orderBy('id');
  return new Map(rows.map((r) => [r.intname ?? '', r.value ?? '']));
}

function required(params: Map<string, string>, name: string, moduleId: number, table: string): string {
  const value = params.get(name)?.trim();
  if (!value) {
    throw new NotFoundError(table, `processing module ${moduleId} has no '${name}' set`, { name });
  }
  return value;
}

function readMinBalance(params: Map<string, string>, moduleId: number): Money | undefined {
  const amount = params.get('minbalance')?.trim();
  if (!amount) return undefined;
  const currency = params.get('currency')?.trim() || DEFAULT_MODULE_CURRENCY;
  try {
    return parseMoney(amount, currency);
  } catch {
    throw new ValidationError(
      'processingparam',
      [`processing module ${moduleId}: minbalance '${amount}' is not an amount`],
      { name: 'minbalance' },
    );
  }
}

async function readCryptKey(mgrctl: Mgrctl): Promise<string> {
  const path = readParamlist(await mgrctl.call('paramlist')).CryptKey;
  if (!path) throw new ConfigurationError('paramlist', 'mgrctl paramlist did not report CryptKey');
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    throw new ConfigurationError(
      'CryptKey',
      `cannot read the key file ${path}: ${(err as NodeJS.ErrnoException).code ?? 'error'}`,
    );
  }
}

export async function getProcessingModule(db: Db, id: number): Promise<DbProcessingModuleRow | undefined> {
  return db<DbProcessingModuleRow>('processingmodule').where({ id }).first();
}
