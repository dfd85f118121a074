/** Selling-side accounts: credentials, level and the balance that orders and prolongations are charged to. */
import { HostError } from '../contract/errors';
import { compare, formatMoney, parseMoney, subtract, type Money } from '../domain/money';
import type { AccountView, SandboxAccount } from './types';

export const DEFAULT_ACCOUNTS: readonly SandboxAccount[] = [
  { username: 'reseller', password: 'reseller-secret', level: 'client', balance: '1000.00', currency: 'USD' },
  { username: 'admin', password: 'admin-secret', level: 'admin', balance: '0.00', currency: 'USD' },
];

interface Account {
  username: string;
  password: string;
  level: 'client' | 'admin';
  balance: Money;
}

export class Accounts {
  private readonly byName = new Map<string, Account>();

  constructor(accounts: readonly SandboxAccount[]) {
    for (const a of accounts) {
      this.byName.set(a.username, {
        username: a.username,
        password: a.password,
        level: a.level,
        balance: parseMoney(a.balance, a.currency),
      });
    }
  }

  /** The account when the password matches, otherwise undefined. */
  authenticate(username: string, password: string): AccountView | undefined {
    const account = this.byName.get(username);
    return account && account.password === password ? this.view(account) : undefined;
  }

  get(username: string): AccountView {
    return this.view(this.require(username));
  }

  all(): AccountView[] {
    return [...this.byName.values()].map((a) => this.view(a));
  }

  setBalance(username: string, major: string): void {
    const account = this.require(username);
    account.balance = parseMoney(major, account.balance.currency);
  }

  /** Takes `amount` from the balance, or refuses with type="balance" and leaves it untouched. */
  charge(username: string, amount: Money): void {
    const account = this.require(username);
    if (compare(account.balance, amount) < 0) {
      throw new HostError(
        'balance',
        'balance',
        `Insufficient funds: ${formatMoney(amount)} needed, ${formatMoney(account.balance)} available`,
      );
    }
    account.balance = subtract(account.balance, amount);
  }

  private require(username: string): Account {
    const account = this.byName.get(username);
    if (!account) throw new Error(`sandbox has no account '${username}'`);
    return account;
  }

  private view(account: Account): AccountView {
    return { username: account.username, level: account.level, balance: account.balance };
  }
}
