/**
 * Promotions (seed 002): the promotion itself and the one table of codes that promo codes and certificates share,
 * so that a code is unique across both by its normalised key (case and look-alike characters folded). Conditions,
 * generation batches, redemptions and the ledger come in their own migrations.
 */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('bmp_promotion', (t) => {
    t.increments('id');
    t.integer('project').notNullable().defaultTo(1).comment('the provider');
    t.string('internal_name', 255).notNullable();
    t.string('client_name', 255).notNullable().comment('the name shown to clients');
    t.string('kind', 16).notNullable().comment('discount | certificate');
    t.dateTime('starts_at').nullable().comment('server-local, inclusive; NULL = from the start');
    t.dateTime('ends_at').nullable().comment('server-local, exclusive; NULL = no end');
    t.integer('per_client_limit').nullable().comment('uses per client across the codes of this promotion');
    t.string('status', 16).notNullable().defaultTo('draft').comment('draft | active | archived');
    t.dateTime('created_at').notNullable();
    t.dateTime('updated_at').nullable();
    t.unique(['project', 'internal_name'], { indexName: 'bmp_promotion_project_name' });
  });

  await knex.schema.createTable('bmp_promotion_code', (t) => {
    t.bigIncrements('id');
    t.integer('promotion').notNullable();
    t.string('kind', 16).notNullable().comment('code | certificate');
    t.string('code', 64).notNullable().comment('as generated and shown');
    t.string('code_key', 64).notNullable().comment('normalised: upper case, look-alike characters folded');
    t.integer('uses_limit').nullable().comment('NULL = no limit');
    t.integer('uses').notNullable().defaultTo(0);
    t.dateTime('created_at').notNullable();
    t.dateTime('revoked_at').nullable();
    t.unique(['code_key'], { indexName: 'bmp_promotion_code_key' });
    t.index(['promotion'], 'bmp_promotion_code_promotion');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('bmp_promotion_code');
  await knex.schema.dropTable('bmp_promotion');
}
