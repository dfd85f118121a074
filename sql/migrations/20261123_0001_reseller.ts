/** Period comparison (seed 004 "Matching periods"): a module property mapping a source period to another. */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('bmp_period_mapping', (t) => {
    t.increments('id');
    t.integer('processingmodule').notNullable();
    t.integer('source_period').notNullable().comment('months; -100 trial, -50 day, 0 lifetime');
    t.integer('target_period').notNullable();
    t.string('itemtype', 64).notNullable().defaultTo('').comment("'' = every product type");
    t.integer('pricelist').notNullable().defaultTo(0).comment('0 = every tariff');
    t.unique(['processingmodule', 'source_period', 'itemtype', 'pricelist'], {
      indexName: 'bmp_period_mapping_key',
    });
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('bmp_period_mapping');
}
