/**
 * Affiliate programs and referral rewards (seeds 000 and 001): programs, global settings, partners, their rule
 * overrides, per-group and per-account-type rules, referrals, counter visits, the append-only reward ledger,
 * withdrawals, runs and refused bindings. Money is integer minor units beside a currency code.
 */
import type { Knex } from 'knex';

/** The columns of one reward rule (src/domain/affiliate/rules.ts), shared by overrides and group rules. */
function ruleColumns(t: Knex.CreateTableBuilder): void {
  t.string('rule_kind', 32).notNullable();
  t.decimal('percent', 9, 4).nullable();
  t.bigInteger('amount_minor').nullable();
  t.string('currency', 3).nullable();
  t.integer('nth_invoice').nullable();
  t.string('occurrence', 16).nullable();
  t.decimal('factor', 6, 3).nullable();
  t.integer('min_active').nullable();
}

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('bmp_affiliate_settings', (t) => {
    t.integer('id').primary().comment('always 1: the settings are global');
    t.boolean('enabled').notNullable().defaultTo(true);
    t.decimal('default_percent', 7, 4).nullable().comment('used when a program has no reward');
    t.bigInteger('signup_bonus_minor').notNullable().defaultTo(0);
    t.bigInteger('min_withdrawal_minor').notNullable().defaultTo(0);
    t.string('currency', 3).notNullable().defaultTo('USD').comment('of the signup bonus and the minimum');
    t.integer('commission_delay_days').notNullable().defaultTo(0);
    t.integer('support_department').nullable();
    t.string('link_template', 255).nullable().comment('holds [AffiliateLinkCode]');
    t.boolean('auto_apply').notNullable().defaultTo(true).comment('monthly run pays available credit');
    t.dateTime('updated_at').nullable();
  });

  await knex.schema.createTable('bmp_affiliate_program', (t) => {
    t.increments('id');
    t.integer('project').notNullable().defaultTo(1).comment('the provider');
    t.string('name', 255).notNullable();
    t.string('promocode_template', 64).notNullable().comment('holds @ID@');
    t.decimal('reward_percent', 7, 4).nullable().comment('NULL = the global default percentage');
    t.integer('referral_months').notNullable().defaultTo(0).comment('0 = no end');
    t.string('website_url', 255).notNullable();
    t.integer('client_group').nullable().comment('accountgroup that may take part; NULL = everyone');
    t.integer('forbidden_group').nullable().comment('accountgroup never rewarded');
    t.boolean('active').notNullable().defaultTo(true);
    t.dateTime('created_at').notNullable();
  });

  await knex.schema.createTable('bmp_affiliate', (t) => {
    t.increments('id').comment('the partner id of links (?from=) and of @ID@');
    t.integer('program').notNullable();
    t.integer('account').notNullable().comment('the partner account');
    t.string('promocode', 64).notNullable();
    t.boolean('active').notNullable().defaultTo(true);
    t.dateTime('created_at').notNullable();
    t.unique(['promocode'], { indexName: 'bmp_affiliate_promocode' });
    t.unique(['program', 'account'], { indexName: 'bmp_affiliate_program_account' });
    t.index(['account'], 'bmp_affiliate_account');
  });

  await knex.schema.createTable('bmp_affiliate_override', (t) => {
    t.increments('id');
    t.integer('affiliate').notNullable();
    ruleColumns(t);
    t.dateTime('updated_at').notNullable();
    t.unique(['affiliate'], { indexName: 'bmp_affiliate_override_affiliate' });
  });

  await knex.schema.createTable('bmp_affiliate_group_rule', (t) => {
    t.increments('id');
    t.integer('program').nullable().comment('NULL = every program');
    t.integer('accountgroup').nullable().comment("the PARTNER's client group");
    t.string('account_type', 32).nullable().comment("the REFERRAL's account type: business | residential");
    ruleColumns(t);
    t.dateTime('created_at').notNullable();
  });

  await knex.schema.createTable('bmp_affiliate_referral', (t) => {
    t.increments('id');
    t.integer('affiliate').notNullable();
    t.integer('account').notNullable().comment('the referred account: one partner per account');
    t.string('source', 16).notNullable().comment('link | promocode | manual');
    t.dateTime('bound_at').notNullable().comment('start of the referral period, inclusive');
    t.dateTime('reward_until').nullable().comment('end of the referral period, exclusive; NULL = no end');
    t.string('status', 16).notNullable().defaultTo('active').comment('active | refused | cancelled');
    t.string('status_reason', 64).nullable();
    t.bigInteger('visit').nullable();
    t.string('assigned_by', 64).nullable();
    t.unique(['account'], { indexName: 'bmp_affiliate_referral_account' });
    t.index(['affiliate', 'status'], 'bmp_affiliate_referral_affiliate');
  });

  await knex.schema.createTable('bmp_affiliate_visit', (t) => {
    t.bigIncrements('id');
    t.integer('affiliate').notNullable();
    t.integer('project').nullable();
    t.string('visitor', 32).notNullable().comment('the counter cookie');
    t.string('referrer', 1024).nullable();
    t.string('page', 2048).nullable();
    t.string('ip', 45).nullable();
    t.dateTime('visited_at').notNullable();
    t.index(['visitor', 'visited_at'], 'bmp_affiliate_visit_visitor');
  });

  await knex.schema.createTable('bmp_affiliate_ledger', (t) => {
    t.bigIncrements('id');
    t.string('kind', 16).notNullable().comment('earned | cleared | applied | withdrawn | reversed');
    t.integer('affiliate').notNullable();
    t.integer('account').notNullable().comment('the partner account');
    t.integer('referral').nullable();
    t.string('source_kind', 16)
      .notNullable()
      .comment('expenses | referral | payment | affiliate | run | withdrawal');
    t.bigInteger('source_id').notNullable();
    t.string('rule', 32).notNullable().comment('rule kind, or clearing | apply | withdrawal | signup_bonus');
    t.string('rule_ref', 64)
      .nullable()
      .comment('where the rule came from: override:3, group:2, program:1 ...');
    t.string('period', 7).notNullable().comment("YYYY-MM, or 'once'");
    t.string('currency', 3).notNullable();
    t.bigInteger('amount_minor').notNullable().comment('signed');
    t.date('available_on')
      .nullable()
      .comment('earned, reversed: first day available; cleared: the day cleared against');
    t.integer('payment').nullable().comment('the referred payment that set the reward off (clawback)');
    t.integer('run').nullable();
    t.dateTime('created_at').notNullable();
    t.string('note', 255).nullable();
    t.unique(['kind', 'source_kind', 'source_id', 'rule', 'affiliate', 'period', 'currency'], {
      indexName: 'bmp_affiliate_ledger_once',
    });
    t.index(['affiliate', 'kind'], 'bmp_affiliate_ledger_affiliate');
    t.index(['payment'], 'bmp_affiliate_ledger_payment');
    t.index(['referral'], 'bmp_affiliate_ledger_referral');
    t.index(['run', 'kind', 'account'], 'bmp_affiliate_ledger_run');
  });

  await knex.schema.createTable('bmp_affiliate_withdrawal', (t) => {
    t.increments('id');
    t.integer('affiliate').notNullable();
    t.bigInteger('amount_minor').notNullable();
    t.string('currency', 3).notNullable();
    t.string('status', 16).notNullable().defaultTo('requested').comment('requested | paid | rejected');
    t.integer('department').nullable().comment('support department of the payout request');
    t.dateTime('requested_at').notNullable();
    t.dateTime('decided_at').nullable();
    t.string('note', 255).nullable();
    t.index(['affiliate', 'status'], 'bmp_affiliate_withdrawal_affiliate');
  });

  await knex.schema.createTable('bmp_affiliate_run', (t) => {
    t.increments('id');
    t.string('period', 7).notNullable();
    t.date('run_date').notNullable();
    t.dateTime('started_at').notNullable();
    t.dateTime('finished_at').nullable();
    t.text('summary').nullable();
  });

  await knex.schema.createTable('bmp_affiliate_refusal', (t) => {
    t.increments('id');
    t.integer('affiliate').nullable();
    t.integer('account').notNullable();
    t.string('source', 16).notNullable().comment('link | promocode | manual | run');
    t.string('reason', 32).notNullable();
    t.dateTime('created_at').notNullable();
    t.index(['account'], 'bmp_affiliate_refusal_account');
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const table of [
    'bmp_affiliate_refusal',
    'bmp_affiliate_run',
    'bmp_affiliate_withdrawal',
    'bmp_affiliate_ledger',
    'bmp_affiliate_visit',
    'bmp_affiliate_referral',
    'bmp_affiliate_group_rule',
    'bmp_affiliate_override',
    'bmp_affiliate',
    'bmp_affiliate_program',
    'bmp_affiliate_settings',
  ]) {
    await knex.schema.dropTableIfExists(table);
  }
}
