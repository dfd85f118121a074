/**
 * Credits the plugin asks the core to make on a client's account (affiliate rewards, later certificates): an
 * outbox. A feature adds its rows in the same transaction as its own ledger entries; the host adapter then makes
 * each credit through the core's payment functions and records the payment. The unique key makes a credit happen
 * once however often it is retried, and the recorded payment ids tell the plugin's own credits apart from the
 * client's payments.
 */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('bmp_host_credit', (t) => {
    t.bigIncrements('id');
    t.string('credit_key', 64).notNullable().comment('the source of the credit, e.g. affiliate:ledger:123');
    t.integer('account').notNullable();
    t.integer('project').notNullable().defaultTo(1);
    t.bigInteger('amount_minor').notNullable().comment('> 0');
    t.string('currency', 3).notNullable();
    t.string('info', 255).notNullable().comment('the payment text; unique per credit, so a lost answer is found');
    t.string('state', 16).notNullable().defaultTo('pending').comment('pending | added | done');
    t.integer('payment').nullable().comment('the host payment made for it');
    t.integer('attempts').notNullable().defaultTo(0);
    t.string('last_error', 255).nullable();
    t.dateTime('created_at').notNullable();
    t.dateTime('credited_at').nullable();
    t.unique(['credit_key'], { indexName: 'bmp_host_credit_key' });
    t.index(['state'], 'bmp_host_credit_state');
    t.index(['payment'], 'bmp_host_credit_payment');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('bmp_host_credit');
}
