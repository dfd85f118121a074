/**
 * Promotions II, discounts (seed 002, issue 15): a discount promotion's offer, keyed by its promotion, the tariffs
 * or product types it is off, and the spend budget's counter, moved only by a conditional UPDATE. What the offer
 * gave is in the promotion ledger (kind `discount`), one entry per promotion and expense.
 */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('bmp_promotion_discount', (t) => {
    t.integer('promotion').notNullable().primary();
    t.string('percent', 16).nullable().comment('a decimal string, "12.5"; NULL = a fixed amount');
    t.bigInteger('amount_minor').nullable().comment('fixed: minor units of `currency`');
    t.string('currency', 3).nullable();
    t.string('target_kind', 16).notNullable().comment('all | item_type | tariff');
    t.boolean('exclusive').notNullable().defaultTo(true);
    t.integer('priority').notNullable().defaultTo(0).comment('higher wins among exclusive offers');
    t.bigInteger('budget_minor').nullable().comment('the most the offer gives, ever; NULL = no budget');
    t.string('budget_currency', 3).nullable();
    t.bigInteger('spent_minor').notNullable().defaultTo(0).comment('never above budget_minor');
    t.dateTime('created_at').notNullable();
    t.dateTime('updated_at').nullable();
  });
  await knex.schema.createTable('bmp_promotion_discount_target', (t) => {
    t.integer('promotion').notNullable();
    t.string('value', 64).notNullable().comment('an item type intname, or a pricelist id');
    t.primary(['promotion', 'value']);
  });
  // One row per expense the run discounted: its key, so a re-run or a second run at once discounts it once.
  await knex.schema.createTable('bmp_promotion_discount_expense', (t) => {
    t.integer('expense').notNullable().primary();
    t.integer('account').notNullable();
    t.bigInteger('total_minor').notNullable().comment('what all its offers gave together');
    t.string('currency', 3).notNullable();
    t.dateTime('created_at').notNullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('bmp_promotion_discount_expense');
  await knex.schema.dropTable('bmp_promotion_discount_target');
  await knex.schema.dropTable('bmp_promotion_discount');
}
