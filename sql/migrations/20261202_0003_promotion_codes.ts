/**
 * Promotions II (seed 002, issue 15): generation batches of promo codes and certificates, the counters a
 * redemption moves, redemptions, attempts at typing a code, and the promotional ledger. The codes themselves stay
 * in `bmp_promotion_code` (migration 0001), one unique normalised key for both kinds; each code names its batch,
 * which holds what the seed sets per generation (per-client limit, activation window, discount validity,
 * certificate amount and the validity term of the credited funds).
 */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('bmp_promotion_code_batch', (t) => {
    t.bigIncrements('id');
    t.integer('promotion').notNullable();
    t.string('kind', 16).notNullable().comment('code | certificate');
    t.string('template', 64).notNullable().comment("as typed; each '?' is one random character");
    t.boolean('digits_only').notNullable().defaultTo(false);
    t.integer('count').notNullable().comment('codes asked for');
    t.integer('generated').notNullable().defaultTo(0);
    t.integer('regenerated').notNullable().defaultTo(0).comment('draws that collided and were drawn again');
    t.integer('uses_limit').nullable().comment('per code; NULL = no limit');
    t.integer('per_client_limit').nullable().comment('uses of one code by one client; NULL = no limit');
    t.dateTime('active_from')
      .nullable()
      .comment("server-local, inclusive; both NULL = the promotion's window");
    t.dateTime('active_until').nullable().comment('server-local, exclusive');
    t.string('discount_period_type', 8).nullable().comment('day | month | year; NULL = the ordered period');
    t.integer('discount_period_length').nullable();
    t.string('amount_kind', 16).nullable().comment('certificates: fixed | last_payment');
    t.bigInteger('amount_minor').nullable().comment('fixed certificates, minor units of `currency`');
    t.string('currency', 3).nullable();
    t.string('percent', 16).nullable().comment('last_payment certificates: a decimal string, "10.5"');
    t.string('funds_period_type', 8).nullable().comment('certificates: day | month | year; NULL = no end');
    t.integer('funds_period_length').nullable();
    t.string('status', 16).notNullable().defaultTo('generating').comment('generating | complete | failed');
    t.dateTime('created_at').notNullable();
    t.dateTime('finished_at').nullable();
    t.index(['promotion'], 'bmp_promotion_code_batch_promotion');
  });

  await knex.schema.alterTable('bmp_promotion_code', (t) => {
    t.bigInteger('batch').nullable();
    t.index(['batch', 'id'], 'bmp_promotion_code_by_batch');
  });

  // The counters a redemption moves besides the code's own `uses`: each row exists before its conditional UPDATE.
  await knex.schema.createTable('bmp_promotion_code_client', (t) => {
    t.bigInteger('code').notNullable();
    t.integer('account').notNullable();
    t.integer('uses').notNullable().defaultTo(0);
    t.primary(['code', 'account']);
  });
  await knex.schema.createTable('bmp_promotion_client', (t) => {
    t.integer('promotion').notNullable();
    t.integer('account').notNullable();
    t.integer('uses').notNullable().defaultTo(0);
    t.primary(['promotion', 'account']);
  });

  await knex.schema.createTable('bmp_promotion_redemption', (t) => {
    t.bigIncrements('id');
    t.string('idempotency_key', 128).notNullable();
    t.integer('promotion').notNullable();
    t.bigInteger('code').notNullable();
    t.integer('account').notNullable();
    t.string('status', 16).notNullable().comment('reserved | committed | released');
    t.string('order_ref', 64).nullable().comment('the order a reservation holds the use for');
    t.bigInteger('amount_minor').nullable().comment('certificates: the amount credited');
    t.string('currency', 3).nullable();
    t.integer('based_on_payment')
      .nullable()
      .comment('last_payment certificates: the host payment it was based on');
    t.dateTime('reserved_at').notNullable();
    t.dateTime('hold_until').nullable().comment('UTC; a reservation not committed by then is released');
    t.dateTime('committed_at').nullable();
    t.dateTime('released_at').nullable();
    t.string('release_reason', 32).nullable().comment('cancelled | timed_out');
    t.unique(['idempotency_key'], { indexName: 'bmp_promotion_redemption_key' });
    t.index(['account', 'promotion'], 'bmp_promotion_redemption_account');
    t.index(['code'], 'bmp_promotion_redemption_code');
    t.index(['status', 'hold_until'], 'bmp_promotion_redemption_hold');
  });

  await knex.schema.createTable('bmp_promotion_attempt', (t) => {
    t.bigIncrements('id');
    t.integer('account').notNullable();
    t.string('address', 45).nullable();
    t.string('code_key', 64).notNullable();
    t.string('idempotency_key', 128).nullable().comment('a retry with this key gets this answer');
    t.string('outcome', 16).notNullable().comment('redeemed | refused');
    t.string('reason', 32).nullable();
    t.string('failed_condition', 255).nullable();
    t.bigInteger('redemption').nullable();
    t.dateTime('at').notNullable();
    t.unique(['idempotency_key'], { indexName: 'bmp_promotion_attempt_key' });
    t.index(['account', 'at'], 'bmp_promotion_attempt_account');
    t.index(['address', 'at'], 'bmp_promotion_attempt_address');
  });

  await knex.schema.createTable('bmp_promotion_ledger', (t) => {
    t.bigIncrements('id');
    t.integer('account').notNullable();
    t.integer('promotion').notNullable();
    t.bigInteger('redemption').notNullable();
    t.string('kind', 16).notNullable().comment('redemption | credit | expiry | release');
    t.string('source', 64)
      .notNullable()
      .comment('what the entry is for: redemption:<id>, credit:<ledger id>');
    t.bigInteger('amount_minor').notNullable().comment('+ credited to the promotional balance, - taken back');
    t.string('currency', 3).notNullable();
    t.dateTime('valid_until').nullable().comment('credits: UTC end of the validity term; NULL = no end');
    t.integer('payment').nullable().comment('the host payment a credit made, when the host answers one');
    t.dateTime('created_at').notNullable();
    t.unique(['kind', 'source'], { indexName: 'bmp_promotion_ledger_source' });
    t.index(['account', 'currency'], 'bmp_promotion_ledger_account');
    t.index(['kind', 'valid_until'], 'bmp_promotion_ledger_valid');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('bmp_promotion_ledger');
  await knex.schema.dropTable('bmp_promotion_attempt');
  await knex.schema.dropTable('bmp_promotion_redemption');
  await knex.schema.dropTable('bmp_promotion_client');
  await knex.schema.dropTable('bmp_promotion_code_client');
  await knex.schema.alterTable('bmp_promotion_code', (t) => {
    t.dropIndex(['batch', 'id'], 'bmp_promotion_code_by_batch');
    t.dropColumn('batch');
  });
  await knex.schema.dropTable('bmp_promotion_code_batch');
}
