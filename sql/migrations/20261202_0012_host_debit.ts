/**
 * Taking funds back through the host adapter (issue 15: certificate funds unspent at the end of their term). An
 * outbox row is a credit (a payment the core makes and credits) or a debit (an expense the core books, host/facts.ts
 * `expense.edit`); `amount_minor` stays positive and `kind` says which way it goes. The expense's id is recorded, so
 * the plugin's own expenses are told apart from the client's charges (they earn no affiliate reward, count as no
 * spending and get no discount).
 */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('bmp_host_credit', (t) => {
    t.string('kind', 8).notNullable().defaultTo('credit').comment('credit | debit');
    t.integer('expense').nullable().comment('the host expense a debit made');
    t.index(['expense'], 'bmp_host_credit_expense');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('bmp_host_credit', (t) => {
    t.dropIndex(['expense'], 'bmp_host_credit_expense');
    t.dropColumn('expense');
    t.dropColumn('kind');
  });
}
