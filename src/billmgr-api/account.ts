/** The selling account the plugin orders with: who it is and how much money it has there. */
import { textOf, type XmlNode } from '../contract/xml';
import { parseMoney, type Money } from '../domain/money';
import { SellingXmlError, type SellingClient } from './types';

/**
 * [assumed] The access level of a client account in BILLmanager 5 (contract section 4: administrators are higher).
 * Older answers, and the sandbox's classic shape, say `client` in words.
 */
export const CLIENT_LEVEL = '16';

export interface SellingAccount {
  name: string;
  /** As the selling side said it: a number (`16`) or a word (`client`, `admin`). */
  level: string;
  balance: Money;
}

export function isClientLevel(level: string): boolean {
  return level === CLIENT_LEVEL || level.toLowerCase() === 'client';
}

/**
 * `func=whoami`: the account at the top level (`<name/><level/><balance currency="USD">1000.00</balance>`) or
 * nested (`<user><id/><name/><level>16</level></user><balance currency="USD">..</balance>`); either may hold the
 * balance. Anything else in the answer is ignored.
 */
export async function whoami(client: SellingClient): Promise<SellingAccount> {
  const doc = await client.call('whoami', {}, { safe: true });
  const user = typeof doc.user === 'object' && doc.user !== null ? (doc.user as XmlNode) : {};
  const field = (name: string): unknown => user[name] ?? doc[name];
  const balance = (doc.balance ?? user.balance) as XmlNode | string | undefined;
  const amount = textOf(balance)?.trim();
  const currency = typeof balance === 'object' ? balance.$?.currency : undefined;
  if (!amount || !currency) throw new SellingXmlError('whoami', 'no <balance currency=".."> in the answer');
  try {
    return {
      name: textOf(field('name'))?.trim() ?? '',
      level: textOf(field('level'))?.trim() ?? '',
      balance: parseMoney(amount, currency),
    };
  } catch {
    throw new SellingXmlError('whoami', `balance '${amount}' is not an amount`);
  }
}
