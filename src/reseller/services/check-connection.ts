/**
 * check_connection: the module form's values arrive on stdin; the selling account must answer to them, be a
 * client account (seed 004: only client permissions may order) and hold at least the minimal balance, if one is set.
 * Each failure says which of them it is.
 */
import type { PluginConfig } from '../../config';
import { HostError } from '../../contract/errors';
import { registerSecret, redact } from '../../contract/redact';
import { parseXml, textOf, type XmlNode } from '../../contract/xml';
import type { Logger } from '../../log';
import { CLIENT_LEVEL, isClientLevel, whoami, type SellingAccount } from '../../billmgr-api/account';
import { SellingApiError, SellingHttpError, SellingNetworkError } from '../../billmgr-api/types';
import { formatMoney, parseMoney } from '../../domain/money';
import { sellingClientFor, type SellingTarget } from './selling-client';

interface ConnectionForm extends SellingTarget {
  minbalance?: string;
}

export function readConnectionForm(doc: XmlNode): ConnectionForm {
  const form = (typeof doc.processingmodule === 'object' ? doc.processingmodule : doc) as XmlNode;
  const field = (name: string): string => textOf(form[name])?.trim() ?? '';
  const password = textOf(form.password) ?? '';
  registerSecret(password);
  for (const name of ['url', 'username'] as const) {
    if (!field(name)) throw new HostError('missed', name, `the module form has no ${name}`, { value: name });
  }
  if (!password)
    throw new HostError('missed', 'password', 'the module form has no password', { value: 'password' });
  const minbalance = field('minbalance');
  return { url: field('url'), username: field('username'), password, ...(minbalance ? { minbalance } : {}) };
}

export async function checkConnection(
  stdin: string,
  config: PluginConfig,
  log: Logger,
): Promise<SellingAccount> {
  const form = readConnectionForm(await parseXml(stdin, 'the module form on stdin'));
  const account = await reachAccount(form, config, log);
  if (!isClientLevel(account.level)) {
    throw new HostError(
      'access',
      'username',
      `'${form.username}' is not a client account on the selling side: its access level is ${account.level ? `'${account.level}'` : 'not given'}, a client's is ${CLIENT_LEVEL} (or 'client'); use a client account`,
      { value: 'username' },
    );
  }
  if (form.minbalance !== undefined) requireBalance(account, form.minbalance);
  log.info(
    `connection to ${redact(form.url)} works: client '${account.name}', balance ${formatMoney(account.balance)}`,
  );
  return account;
}

/** whoami as the form's user; a refused login and an unreachable panel become errors that say so. */
async function reachAccount(
  form: ConnectionForm,
  config: PluginConfig,
  log: Logger,
): Promise<SellingAccount> {
  try {
    return await whoami(sellingClientFor(form, config, log));
  } catch (err) {
    if (err instanceof SellingApiError && err.type === 'auth') {
      throw new HostError(
        'auth',
        'username',
        `the selling side refused the username or password of '${form.username}'`,
        {
          value: 'username',
        },
      );
    }
    if (err instanceof SellingNetworkError || err instanceof SellingHttpError) {
      throw new HostError(
        'connection',
        'url',
        `the selling BILLmanager at ${redact(form.url)} is unreachable: ${err.message}`,
        {
          value: 'url',
        },
      );
    }
    throw err;
  }
}

function requireBalance(account: SellingAccount, minbalance: string): void {
  let minimum;
  try {
    minimum = parseMoney(minbalance, account.balance.currency);
  } catch {
    throw new HostError('value', 'minbalance', `minimal balance '${minbalance}' is not an amount`, {
      value: 'minbalance',
    });
  }
  if (account.balance.minor < minimum.minor) {
    throw new HostError(
      'balance',
      'minbalance',
      `the selling balance ${formatMoney(account.balance)} is below the minimal balance ${formatMoney(minimum)}`,
      { value: 'minbalance' },
    );
  }
}
