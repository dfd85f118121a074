/**
 * Promotions (seed 002): the conditions of a promotion. A condition is one of the 17 condition types by its code,
 * with its arguments as the admin gave them (JSON of strings, checked against the type's declaration when added and
 * again when read), and its condition group: NULL = ungrouped (every ungrouped condition is required); within a
 * named group any one condition is enough; every group must be satisfied.
 */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('bmp_promotion_condition', (t) => {
    t.increments('id');
    t.integer('promotion').notNullable();
    t.string('code', 64).notNullable().comment('the condition type, e.g. expenses_over_period');
    t.string('condition_group', 64).nullable().comment('NULL = ungrouped: required');
    t.text('args').notNullable().comment('JSON object of the arguments as given');
    t.dateTime('created_at').notNullable();
    t.index(['promotion'], 'bmp_promotion_condition_promotion');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('bmp_promotion_condition');
}
