/** The selling account the plugin orders with: who it is and how much money it has there. */
import { textOf, type XmlNode } from '../contract/xml';
import { parseMoney, type Money } from '../domain/money';
import { SellingXmlError, type SellingClient } from './types';

export interface SellingAccount {
  name: string;
  /** `client` or `admin` [assumed]. */
  level: string;
  balance: Money;
}

/** `func=whoami`: `<name/><level/><balance currency="USD">1000.00</balance>`. */
export async function whoami(client: SellingClient): Promise<SellingAccount> {
  const doc = await client.call('whoami', {}, { safe: true });
  const balance = doc.balance as XmlNode | string | undefined;
  const amount = textOf(balance);
  const currency = typeof balance === 'object' ? balance.$?.currency : undefined;
  if (!amount || !currency) throw new SellingXmlError('whoami', 'no <balance currency=".."> in the answer');
  try {
    return {
      name: textOf(doc.name) ?? '',
      level: textOf(doc.level) ?? '',
      balance: parseMoney(amount, currency),
    };
  } catch {
    throw new SellingXmlError('whoami', `balance '${amount}' is not an amount`);
  }
}
