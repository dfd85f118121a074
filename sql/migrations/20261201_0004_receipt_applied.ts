/**
 * A receipt no longer says when its event was applied: the event is applied once its itemevent row is gone, and
 * both change in one transaction. Setting `applied_at` was the costliest statement of a checkevent run (a NULL
 * column made non-NULL grows every row: InnoDB cannot update it in place).
 */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('bmp_event_receipt', (t) => {
    t.dropColumn('applied_at');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('bmp_event_receipt', (t) => {
    t.dateTime('applied_at').nullable();
  });
}
