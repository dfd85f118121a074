/**
 * checkevent's own tables (issue 4): a receipt per selling event, whose unique key makes re-delivery harmless,
 * and a lock row for databases without GET_LOCK (SQLite).
 */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('bmp_event_receipt', (t) => {
    t.increments('id');
    t.integer('processingmodule').notNullable();
    t.string('selling_event_id', 64).notNullable().comment('itemevent id on the selling side');
    t.string('selling_item', 64).nullable().comment('the service id on the selling side');
    t.dateTime('received_at').notNullable();
    t.dateTime('applied_at').nullable();
    // Also how a stored event's itemevent row (processingmodule, externalid) finds its receipt.
    t.unique(['processingmodule', 'selling_event_id'], { indexName: 'bmp_event_receipt_key' });
  });
  await knex.schema.createTable('bmp_job_lock', (t) => {
    t.string('name', 128).primary();
    t.string('holder', 255).notNullable();
    t.dateTime('expires_at').notNullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('bmp_job_lock');
  await knex.schema.dropTable('bmp_event_receipt');
}
