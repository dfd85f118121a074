/**
 * Which host enumeration (and enumeration item) stands for which selling one. The selling side may send an
 * enumeration or its items without an intname (contract section 4), and the host tables have no column for a
 * selling id, so the plugin keeps the link itself: matched by selling id first, then by intname.
 */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('bmp_enumeration_link', (t) => {
    t.increments('id');
    t.integer('processingmodule').notNullable();
    t.string('kind', 16).notNullable().comment("'enumeration' or 'item'");
    t.string('selling_id', 64).notNullable();
    t.integer('local_id').notNullable().comment('enumeration.id or enumerationitem.id');
    t.unique(['processingmodule', 'kind', 'selling_id'], { indexName: 'bmp_enumeration_link_selling' });
    t.index(['kind', 'local_id'], 'bmp_enumeration_link_local');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('bmp_enumeration_link');
}
