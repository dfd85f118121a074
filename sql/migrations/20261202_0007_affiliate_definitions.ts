/**
 * Issue 13: a rule's factor holds any percentage exactly (33.33 % one-time is the factor 0.3333, which
 * decimal(6,3) cut to 0.333), and a run's record says what became of it: running, finished, failed or killed
 * (found unfinished by a later run), with the partners that failed; credits are found by account.
 */
import type { Knex } from 'knex';

const RULE_TABLES = ['bmp_affiliate_override', 'bmp_affiliate_group_rule'] as const;
const RUN = 'bmp_affiliate_run';
const HOST_CREDIT = 'bmp_host_credit';

function isMysql(knex: Knex): boolean {
  return String(knex.client.config.client).startsWith('mysql');
}

export async function up(knex: Knex): Promise<void> {
  // SQLite keeps any decimal as written: only MariaDB/MySQL have a precision to widen.
  if (isMysql(knex)) {
    for (const table of RULE_TABLES) {
      // A percent column holds four decimals (decimal(9,4)); as a factor that is six.
      await knex.raw(`ALTER TABLE ${table} MODIFY factor DECIMAL(10, 6) NULL`);
    }
  }
  await knex.schema.alterTable(RUN, (t) => {
    t.string('status', 16)
      .notNullable()
      .defaultTo('running')
      .comment('running | finished | failed | killed (found unfinished by a later run)');
    t.dateTime('killed_found_at').nullable().comment('when a later run found it unfinished');
    t.integer('killed_found_by').nullable().comment('the run that found it unfinished');
    t.integer('failed_partners').notNullable().defaultTo(0);
    t.string('error', 255).nullable().comment('why a failed run stopped');
    t.index(['status'], 'bmp_affiliate_run_status');
  });
  await knex(RUN).whereNotNull('finished_at').update({ status: 'finished' });
  // A paid invoice is never a credit the plugin made: each payment is looked up by account and info here.
  await knex.schema.alterTable(HOST_CREDIT, (t) => {
    t.index(['account'], 'bmp_host_credit_account');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable(HOST_CREDIT, (t) => {
    t.dropIndex(['account'], 'bmp_host_credit_account');
  });
  await knex.schema.alterTable(RUN, (t) => {
    t.dropIndex(['status'], 'bmp_affiliate_run_status');
    t.dropColumn('status');
    t.dropColumn('killed_found_at');
    t.dropColumn('killed_found_by');
    t.dropColumn('failed_partners');
    t.dropColumn('error');
  });
  if (isMysql(knex)) {
    for (const table of RULE_TABLES) await knex.raw(`ALTER TABLE ${table} MODIFY factor DECIMAL(6, 3) NULL`);
  }
}
