/**
 * The referral sweep's high-water mark: accounts registered up to `swept_until` were looked at. One row per sweep
 * name, so two sweeps at once (kept apart by a named lock) and a sweep repeated move it once.
 */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('bmp_affiliate_sweep', (t) => {
    t.string('name', 32).notNullable().primary();
    t.dateTime('swept_until')
      .notNullable()
      .comment('accounts registered up to here (inclusive) were looked at');
    t.dateTime('ran_at').notNullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('bmp_affiliate_sweep');
}
