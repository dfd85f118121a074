/**
 * The affiliate section of `npm run demo`, on any database with the host fixture and the migrations (SQLite or
 * MySQL): a program, two partners, a link visit through the real counter endpoint, a signup it binds, a promo
 * code, paid invoices and expenses, the monthly run (twice: the second pays nothing), and the ledger.
 * The clock is fixed, so the output is the same on every run.
 */
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Knex } from 'knex';
import { accountBalance, ensureCurrency, insertDemoAccount, insertPaidExpense } from '../db/demo-host';
import { formatMoney, parseMoney } from '../domain/money';
import { createInProcessMgrctl } from '../host-standin/in-process';
import { parseRule } from '../domain/affiliate/rules';
import { bindByPromoCode, bindSignupToVisit, type BindingResult } from './attribution';
import { COUNTER_PATH, counterHandler, VISITOR_COOKIE } from './counter';
import { balancesOf } from './holding';
import { runAffiliateMonthly, type MonthlyRunSummary } from './monthly';
import { addPartner, createProgram } from './programs';
import { ledgerLines, referralLog, type LedgerLine } from './reports';
import { setOverride } from './rules';
import { saveSettings } from './settings';

export async function runAffiliateDemo(db: Knex, print: (line: string) => void): Promise<void> {
  const usd = await ensureCurrency(db, 'USD');
  const account = async (name: string, email: string): Promise<number> => {
    return insertDemoAccount(db, { name, email, currency: usd, registrationDate: '2026-08-01 00:00:00' });
  };

  await saveSettings(
    db,
    {
      commissionDelayDays: 0,
      autoApply: true,
      linkTemplate: 'https://demo-hosting.example/?ref=[AffiliateLinkCode]',
    },
    at('2026-08-01 00:00:00'),
  );
  const program = await createProgram(
    db,
    {
      name: 'Friends of Demo Hosting',
      promocodeTemplate: 'FRIEND@ID@',
      rewardPercent: '10',
      referralMonths: 12,
      websiteUrl: 'https://demo-hosting.example/',
    },
    at('2026-08-01 00:00:00'),
  );
  print(`  program ${program.id} '${program.name}': 10% of referral expenses for 12 months`);
  const blogger = await addPartner(
    db,
    program.id,
    await account('Demo Blogger', 'blogger@demo.example'),
    at('2026-08-02 00:00:00'),
  );
  print(
    `  partner ${blogger.id} (account ${blogger.account}): promo code ${blogger.promocode}, link ${blogger.link}`,
  );
  const reseller = await addPartner(
    db,
    program.id,
    await account('Demo Reseller', 'sales@demo.example'),
    at('2026-08-02 00:00:00'),
  );
  await setOverride(
    db,
    reseller.id,
    parseRule({ kind: 'fixed_after_invoice', amount: '20', currency: 'USD' }),
    at('2026-08-02 00:00:00'),
  );
  print(
    `  partner ${reseller.id} (account ${reseller.account}): promo code ${reseller.promocode}, override: $20 after the first paid invoice`,
  );

  const visitor = await visitThroughCounter(db, blogger.link, at('2026-09-03 10:00:00'));
  print(
    `  a reader of blog.example opens ${blogger.link}: the counter answers a 1x1 GIF and sets visitor ${visitor.slice(0, 8)}...`,
  );
  const reader = await account('Demo Reader', 'reader@demo.example');
  print(
    `  the reader signs up (account ${reader}): ${bindingText(await bindSignupToVisit(db, { account: reader, visitor, now: at('2026-09-05 09:00:00') }))}`,
  );
  const customer = await account('Demo Customer', 'customer@demo.example');
  const promo = await bindByPromoCode(db, {
    account: customer,
    code: reseller.promocode.toLowerCase(),
    now: at('2026-09-06 09:00:00'),
  });
  print(
    `  a customer (account ${customer}) types '${reseller.promocode.toLowerCase()}': ${bindingText(promo)}`,
  );
  const again = await bindByPromoCode(db, {
    account: customer,
    code: blogger.promocode,
    now: at('2026-09-07 09:00:00'),
  });
  print(`  the same customer types '${blogger.promocode}': ${bindingText(again)}`);

  for (const [who, amount, date] of [
    [reader, '100.00', '2026-09-05 09:30:00'],
    [reader, '23.45', '2026-09-20 00:00:00'],
    [customer, '59.99', '2026-09-06 10:00:00'],
  ] as const) {
    await insertPaidExpense(db, { account: who, amount, currency: usd, date });
  }
  print('  in September the reader pays invoices of 100.00 and 23.45 USD, the customer one of 59.99 USD');

  const now = at('2026-10-01 03:00:00');
  // The partners' accounts are credited through the core: here the host stand-in, in-process.
  const core = { mgrctl: createInProcessMgrctl(db, {}, () => now), concurrency: 4 };
  print(
    `  affiliatemonthly --date 2026-10-01: ${summaryText(await runAffiliateMonthly(db, { date: '2026-10-01', now, core }))}`,
  );
  print(
    `  affiliatemonthly --date 2026-10-01 again: ${summaryText(await runAffiliateMonthly(db, { date: '2026-10-01', now, core }))}`,
  );

  for (const partner of [blogger, reseller]) {
    print(`  ledger of partner ${partner.id}:`);
    for (const line of await ledgerLines(db, { affiliate: partner.id })) print(`    ${ledgerText(line)}`);
    const [balance] = await balancesOf(db, partner.id);
    if (balance) {
      print(
        `    holding: pending ${formatMoney(balance.pending)}, available ${formatMoney(balance.available)}, paid out ${formatMoney(balance.paidOut)}`,
      );
    }
    const stored = await accountBalance(db, partner.account);
    print(`    account ${partner.account} balance: ${formatMoney(parseMoney(String(stored), 'USD'))}`);
  }
  const [log] = (await referralLog(db, blogger.account)).partners;
  for (const r of log?.referrals ?? []) {
    print(
      `  referral log of ${blogger.account}: ${r.name} via ${r.source}, ${r.status}, charged ${formatMoney(parseMoney(r.charged.USD ?? '0', 'USD'))} in its period`,
    );
  }
}

/** One GET through the real counter handler on a local port; returns the visitor cookie it set. */
async function visitThroughCounter(db: Knex, link: string, when: Date): Promise<string> {
  const server = createServer(counterHandler(db, { now: () => when }));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const { port } = server.address() as AddressInfo;
    const query = new URLSearchParams({
      rnd: '0.42',
      project: '1',
      r: 'https://blog.example/best-hosting',
      p: link,
    });
    const cookie = await new Promise<string>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, path: `${COUNTER_PATH}?${query.toString()}` }, (res) => {
        res.resume();
        res.on('end', () => {
          const header = ([] as string[]).concat(res.headers['set-cookie'] ?? []).join(';');
          const match = new RegExp(`${VISITOR_COOKIE}=([0-9a-f]{32})`).exec(header);
          if (res.statusCode === 200 && res.headers['content-type'] === 'image/gif' && match?.[1])
            resolve(match[1]);
          else reject(new Error(`the counter answered ${res.statusCode} without a visitor cookie`));
        });
      });
      req.on('error', reject);
      req.end();
    });
    return cookie;
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

function at(dateTime: string): Date {
  return new Date(`${dateTime.replace(' ', 'T')}Z`);
}

function bindingText(result: BindingResult): string {
  return result.bound ? `bound to partner ${result.affiliate}` : `refused (${result.message})`;
}

function summaryText(s: MonthlyRunSummary): string {
  const paid = Object.entries(s.applied).map(([currency, amount]) => `${amount} ${currency}`);
  return `pays for ${s.period}: ${s.payments} payment(s)${paid.length ? ` of ${paid.join(', ')} in all` : ''}`;
}

function ledgerText(l: LedgerLine): string {
  return `${l.kind.padEnd(8)} ${formatMoney(l.amount).padStart(11)}  ${l.rule} ${l.period}${l.note ? ` (${l.note})` : ''}`;
}
