/**
 * Clawback once per commission, and late expenses (issue 13, items 2 and 3).
 *
 * - `bmp_affiliate_ledger.batch` joins the ledger's unique key: 0 for a source's first entry, and for a later
 *   top-up or reversal of the same source a number that says how far it goes (the run's expense high-water mark
 *   for a late-expense top-up, the cumulative amount reversed for a clawback), so that two runs that see the same
 *   facts write the same key and the second is refused.
 * - `bmp_affiliate_ledger.reverses`: on a reversal, the key of the commission it reverses (`ledger:<id>` for a
 *   reward set off by one payment, `referral:<id>` for a referral's share of the percent-of-expenses commissions).
 * - `bmp_affiliate_run.expense_high_water`: the highest `expense.id` when the run started; an expense row above
 *   the mark of every run that paid its month was booked after they ran (a late expense).
 */
import type { Knex } from 'knex';

const OLD_KEY = ['kind', 'source_kind', 'source_id', 'rule', 'affiliate', 'period', 'currency'];

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('bmp_affiliate_ledger', (t) => {
    t.bigInteger('batch')
      .notNullable()
      .defaultTo(0)
      .comment('0, or how far a later entry of the source goes');
    t.string('reverses', 64)
      .nullable()
      .comment('reversed: the commission it reverses (ledger:<id>, referral:<id>)');
  });
  await knex.schema.alterTable('bmp_affiliate_ledger', (t) => {
    t.dropUnique(OLD_KEY, 'bmp_affiliate_ledger_once');
    t.unique([...OLD_KEY, 'batch'], { indexName: 'bmp_affiliate_ledger_once' });
    t.index(['reverses'], 'bmp_affiliate_ledger_reverses');
  });
  await knex.schema.alterTable('bmp_affiliate_run', (t) => {
    t.bigInteger('expense_high_water').nullable().comment('max expense.id when the run started');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('bmp_affiliate_run', (t) => {
    t.dropColumn('expense_high_water');
  });
  await knex.schema.alterTable('bmp_affiliate_ledger', (t) => {
    t.dropIndex(['reverses'], 'bmp_affiliate_ledger_reverses');
    t.dropUnique([...OLD_KEY, 'batch'], 'bmp_affiliate_ledger_once');
    t.unique(OLD_KEY, { indexName: 'bmp_affiliate_ledger_once' });
  });
  await knex.schema.alterTable('bmp_affiliate_ledger', (t) => {
    t.dropColumn('reverses');
    t.dropColumn('batch');
  });
}
