/**
 * The IP rows the plugin added with `service.ip.add` and has not seen committed (`service.ip.add.commit`): a
 * commit that failed, or a process killed between the two calls, is made by the next checkevent run instead of
 * leaving the address added and never committed. A row leaves when its commit answers.
 */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('bmp_ip_uncommitted', (t) => {
    t.bigInteger('ip').notNullable().primary().comment('the host ip row service.ip.add answered');
    t.dateTime('added_at').notNullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('bmp_ip_uncommitted');
}
