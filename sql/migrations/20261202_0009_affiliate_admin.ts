/**
 * The admin's loop of the affiliates (issue 13): manual adjustments (each one a row here and ledger entries, never
 * an edit of an entry), how a withdrawal was paid out (its payout reference), and a referral's unassignment (when,
 * by whom: the referral stops earning from then on).
 */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('bmp_affiliate_adjustment', (t) => {
    t.increments('id').comment('the ledger entries of the adjustment name it as their source');
    t.integer('affiliate').notNullable();
    t.bigInteger('amount_minor').notNullable().comment('signed; never 0');
    t.string('currency', 3).notNullable();
    t.string('reason', 255).notNullable();
    t.string('created_by', 64).notNullable();
    t.dateTime('created_at').notNullable();
    t.index(['affiliate'], 'bmp_affiliate_adjustment_affiliate');
  });
  await knex.schema.alterTable('bmp_affiliate_withdrawal', (t) => {
    t.string('payout_reference', 255)
      .nullable()
      .comment('how a paid withdrawal was paid out (transfer id ...)');
  });
  await knex.schema.alterTable('bmp_affiliate_referral', (t) => {
    t.dateTime('unassigned_at').nullable().comment('the referral earns nothing from this moment');
    t.string('unassigned_by', 64).nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('bmp_affiliate_referral', (t) => {
    t.dropColumn('unassigned_by');
    t.dropColumn('unassigned_at');
  });
  await knex.schema.alterTable('bmp_affiliate_withdrawal', (t) => {
    t.dropColumn('payout_reference');
  });
  await knex.schema.dropTableIfExists('bmp_affiliate_adjustment');
}
