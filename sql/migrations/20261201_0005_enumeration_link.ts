/**
 * Which host enumeration item stands for which selling one. The selling side may send enumeration items without
 * an intname (contract section 4), and the host tables have no column for a selling id, so the plugin keeps the
 * link itself: matched by selling id first, then by intname. A link belongs to the selling add-on it was imported
 * for: add-ons of several tariffs may share one host enumeration (found by its intname), each with selling items
 * of their own. (The enumeration itself is the add-on tariff's `pricelist.enumeration`.)
 */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('bmp_enumeration_link', (t) => {
    t.increments('id');
    t.integer('processingmodule').notNullable();
    t.string('selling_addon', 64).notNullable().comment('the selling add-on (pricelist) id');
    t.string('selling_item', 64).notNullable().comment('the selling enumeration item id');
    t.integer('enumerationitem').notNullable().comment('the host enumerationitem.id');
    t.unique(['processingmodule', 'selling_addon', 'selling_item'], {
      indexName: 'bmp_enumeration_link_selling',
    });
    t.index(['processingmodule', 'selling_addon', 'enumerationitem'], 'bmp_enumeration_link_local');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('bmp_enumeration_link');
}
