/** The host's `account` table and its group memberships (`account2group`), as the affiliate code reads them. */
import { selectRows } from './affiliate/sql';
import type { Db } from './types';

export async function accountExists(db: Db, id: number): Promise<boolean> {
  return (await db('account').where({ id }).first('id')) !== undefined;
}

export async function emailsOf(
  db: Db,
  accounts: readonly number[],
): Promise<Array<{ id: number; email: string | null }>> {
  return (await db('account')
    .whereIn('id', [...accounts])
    .select('id', 'email')) as Array<{ id: number; email: string | null }>;
}

/** The client groups of each of the accounts. */
export async function groupsOfAccounts(
  db: Db,
  accounts: readonly number[],
): Promise<Map<number, Set<number>>> {
  const groups = new Map<number, Set<number>>();
  if (accounts.length === 0) return groups;
  const memberships = (await db('account2group')
    .whereIn('account', [...accounts])
    .select('account', 'accountgroup')) as Array<{ account: number; accountgroup: number }>;
  for (const m of memberships) {
    const set = groups.get(Number(m.account)) ?? new Set<number>();
    set.add(Number(m.accountgroup));
    groups.set(Number(m.account), set);
  }
  return groups;
}

/** The newest account with this e-mail, its own or one of its users'. */
export async function newestAccountByEmail(db: Db, email: string): Promise<number | undefined> {
  const row = (await db('account')
    .whereRaw('LOWER(email) = ?', [email.toLowerCase()])
    .orWhereIn('id', db('user').whereRaw('LOWER(email) = ?', [email.toLowerCase()]).select('account'))
    .orderBy('id', 'desc')
    .first('id')) as { id: number } | undefined;
  return row ? Number(row.id) : undefined;
}

export async function newestAccountByName(db: Db, name: string): Promise<number | undefined> {
  const row = (await db('account').where({ name }).orderBy('id', 'desc').first('id')) as
    { id: number } | undefined;
  return row ? Number(row.id) : undefined;
}

/** Accounts whose name matches a LIKE `pattern` (escape character `!`), by name, at most `limit`. */
export async function accountsNamedLike(
  db: Db,
  pattern: string,
  limit: number,
): Promise<Array<{ id: number; name: string | null; email: string | null }>> {
  return selectRows<{ id: number; name: string | null; email: string | null }>(
    db,
    `SELECT id, name, email FROM account WHERE name LIKE ? ESCAPE '!' ORDER BY name, id LIMIT ?`,
    [pattern, limit],
  );
}
