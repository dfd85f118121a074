/**
 * The promotional ledger on MariaDB: the expiry of credited funds, and randomised histories of certificates
 * used, reserved, committed, released, retried and expired, after which every client's balance (the sum of its
 * entries) is what was credited less what was taken back, to the cent, and matches the host credits made.
 */
import { money } from '../../../src/domain/money';
import { commitRedemption } from '../../../src/promotions/redemption/commit';
import { expireCredits } from '../../../src/promotions/redemption/expire';
import { redeem } from '../../../src/promotions/redemption/redeem';
import { releaseRedemption } from '../../../src/promotions/redemption/release';
import { accountLedger } from '../../../src/promotions/redemption/reports';
import { createThrowawayDb, type ThrowawayDb } from '../../support/mysql';
import { makeCertificates, ports, RecordingCredit } from './redemption-world';
import { PromotionWorld } from './codes-world';

let throwaway: ThrowawayDb;
let world: PromotionWorld;

beforeAll(async () => {
  throwaway = await createThrowawayDb();
  world = new PromotionWorld(throwaway.db);
});
afterAll(async () => {
  await throwaway.drop();
});

/** Minor units of a "12.34" string, by digits (the test's own arithmetic, independent of money.ts). */
function minorOf(text: string): bigint {
  const [whole = '0', fraction = ''] = text.replace('-', '').split('.');
  const value = BigInt(whole) * 100n + BigInt((fraction + '00').slice(0, 2));
  return text.startsWith('-') ? -value : value;
}

async function balance(account: number): Promise<bigint> {
  const ledger = await accountLedger(throwaway.db, account);
  return ledger.balance.reduce((s, b) => s + minorOf(b.amount), 0n);
}

describe('expiry of credited funds', () => {
  it('takes back what was not spent by the end of the term, once, by an entry of its own (eligibility: always)', async () => {
    const promotion = await world.promotion({ kind: 'certificate' });
    const certificates = await makeCertificates(throwaway.db, {
      promotion,
      count: 3,
      amount: { kind: 'fixed', amount: money(3000n, 'USD') },
      fundsPeriod: { type: 'month', length: 1 },
    });
    const [partly, unspent, spent] = [await world.account(), await world.account(), await world.account()];
    const credit = new RecordingCredit();
    const at = new Date('2026-12-02T10:00:00Z');
    for (const [account, code] of [
      [partly, certificates[0]],
      [unspent, certificates[1]],
      [spent, certificates[2]],
    ] as const)
      await redeem(throwaway.db, { account, code: code ?? '' }, ports(at, credit));
    await world.expense(partly, '12.3400', '2026-12-15 00:00:00');
    await world.expense(partly, '99.0000', '2027-01-05 00:00:00'); // after the term: not the certificate's
    await world.expense(spent, '45.0000', '2026-12-20 00:00:00');

    const early = await expireCredits(throwaway.db, ports(new Date('2027-01-02T09:59:59Z'), credit));
    expect(early).toEqual({ settled: 0, takenBack: 0 });
    const due = await expireCredits(throwaway.db, ports(new Date('2027-01-02T10:00:00Z'), credit));
    expect(due).toEqual({ settled: 3, takenBack: 2 });
    expect(await expireCredits(throwaway.db, ports(new Date('2027-02-01T00:00:00Z'), credit))).toEqual({
      settled: 0,
      takenBack: 0,
    });

    const ledger = await accountLedger(throwaway.db, partly);
    expect(ledger.entries.map((e) => [e.kind, e.amount, e.source.replace(/\d+/, 'N')])).toEqual([
      ['redemption', '0.00', 'redemption:N'],
      ['credit', '30.00', 'redemption:N'],
      ['expiry', '-17.66', 'credit:N'],
    ]);
    expect(ledger.balance).toEqual([{ currency: 'USD', amount: '12.34' }]);
    expect(await balance(unspent)).toBe(0n);
    expect(await balance(spent)).toBe(3000n);
    expect(credit.credits.filter((c) => c.amount.minor < 0n).map((c) => [c.account, c.amount.minor])).toEqual(
      [
        [partly, -1766n],
        [unspent, -3000n],
      ],
    );
  });
});

/** A small seeded generator, so a failing history can be replayed by its seed. */
function generator(seed: number): (n: number) => number {
  let state = seed >>> 0;
  return (n) => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state % n;
  };
}

describe('randomised histories', () => {
  const seeds = [1, 7, 2026];
  it.each(seeds)(
    'seed %i: every balance is the sum of its entries, what was credited less what was taken back (eligibility: always)',
    async (seed) => {
      const random = generator(seed);
      const credit = new RecordingCredit();
      const promotion = await world.promotion({ kind: 'certificate' });
      const fixedMinor = BigInt(100 + random(99_900));
      const fixed = await makeCertificates(throwaway.db, {
        promotion,
        count: 40,
        amount: { kind: 'fixed', amount: money(fixedMinor, 'USD') },
        fundsPeriod: { type: 'day', length: 10 },
      });
      // 12.5 %: the test's own rounding of payment x 125 / 1000, half away from zero.
      const share = await makeCertificates(throwaway.db, {
        promotion,
        count: 40,
        amount: { kind: 'last_payment', percent: '12.5' },
      });
      const accounts = [
        await world.account(),
        await world.account(),
        await world.account(),
        await world.account(),
      ];
      const expected = new Map<number, bigint>(accounts.map((a) => [a, 0n]));
      const credits: { account: number; minor: bigint; at: Date; expires: boolean }[] = [];
      const lastPayment = new Map<number, bigint>();
      const expenses: { account: number; minor: bigint; at: number }[] = [];
      const reserved: { id: number; account: number; minor: bigint; code: string; expires: boolean }[] = [];
      let clock = new Date('2026-12-01T00:00:00Z').getTime();
      let nextFixed = 0;
      let nextShare = 0;

      for (let step = 0; step < 60; step += 1) {
        clock += (1 + random(36)) * 3_600_000;
        const now = new Date(clock);
        const account = accounts[random(accounts.length)] ?? 0;
        const op = random(6);
        if (op === 0) {
          const minor = BigInt(1 + random(500_000));
          const text = `${minor / 100n}.${String(minor % 100n).padStart(2, '0')}`;
          await world.payment(account, text, now.toISOString().slice(0, 19).replace('T', ' '));
          lastPayment.set(account, minor);
        } else if (op === 1) {
          const when = now.toISOString().slice(0, 19).replace('T', ' ');
          const text = `${random(50)}.${String(random(100)).padStart(2, '0')}`;
          await world.expense(account, text, when);
          expenses.push({ account, minor: minorOf(text), at: clock });
        } else if (op === 2 || op === 3) {
          const useShare = op === 3;
          const code = useShare ? share[nextShare++] : fixed[nextFixed++];
          if (code === undefined) continue;
          const payment = lastPayment.get(account);
          if (useShare && payment === undefined) {
            const refused = await redeem(throwaway.db, { account, code }, ports(now, credit));
            expect(refused.redeemed === false && refused.refusal.reason).toBe('no_payment');
            continue;
          }
          const minor = useShare ? ((payment ?? 0n) * 125n + 500n) / 1000n : fixedMinor;
          const reserve = random(2) === 0;
          const key = `h${seed}-${step}`;
          const outcome = await redeem(
            throwaway.db,
            { account, code, key, mode: reserve ? 'reserve' : 'commit' },
            ports(now, credit),
          );
          // A retry of the same request: the first answer, nothing credited twice.
          const retry = await redeem(
            throwaway.db,
            { account, code, key, mode: reserve ? 'reserve' : 'commit' },
            ports(now, credit),
          );
          expect(retry.replayed).toBe(true);
          expect(outcome.redeemed).toBe(true);
          if (!outcome.redeemed) continue;
          expect(outcome.redemption.amount).toBe(`${minor / 100n}.${String(minor % 100n).padStart(2, '0')}`);
          if (reserve) reserved.push({ id: outcome.redemption.id, account, minor, code, expires: !useShare });
          else {
            credits.push({ account, minor, at: now, expires: !useShare });
            expected.set(account, (expected.get(account) ?? 0n) + minor);
          }
        } else if (op === 4 && reserved.length > 0) {
          const held = reserved.splice(random(reserved.length), 1)[0];
          if (!held) continue;
          if (random(2) === 0) {
            await commitRedemption(throwaway.db, { id: held.id }, ports(now, credit));
            await commitRedemption(throwaway.db, { id: held.id }, ports(now, credit));
            credits.push({ account: held.account, minor: held.minor, at: now, expires: held.expires });
            expected.set(held.account, (expected.get(held.account) ?? 0n) + held.minor);
          } else {
            await releaseRedemption(throwaway.db, { id: held.id }, 'cancelled', now);
            await releaseRedemption(throwaway.db, { id: held.id }, 'cancelled', now);
          }
        } else if (op === 5) {
          await expireCredits(throwaway.db, ports(now, credit));
        }
      }
      // Every term ends: each client's balance is then what the credits left after their own term's expenses.
      await expireCredits(throwaway.db, ports(new Date(clock + 30 * 86_400_000), credit));
      let totalTakenBack = 0n;
      for (const account of accounts) {
        const entries = (await accountLedger(throwaway.db, account)).entries;
        const takenBack = entries
          .filter((e) => e.kind === 'expiry')
          .reduce((s, e) => s - minorOf(e.amount), 0n);
        const credited = entries
          .filter((e) => e.kind === 'credit')
          .reduce((s, e) => s + minorOf(e.amount), 0n);
        expect(credited).toBe(expected.get(account));
        expect(await balance(account)).toBe(credited - takenBack);
        expect(await balance(account)).toBe(credit.totalFor(account));
        // What each ten-day term did not spend (the expenses from the credit to the end of its term), to the cent.
        const model = credits
          .filter((c) => c.account === account && c.expires)
          .reduce((sum, c) => {
            const end = c.at.getTime() + 10 * 86_400_000;
            const spent = expenses
              .filter((x) => x.account === account && x.at >= c.at.getTime() && x.at < end)
              .reduce((t, x) => t + x.minor, 0n);
            return sum + (c.minor > spent ? c.minor - spent : 0n);
          }, 0n);
        expect(takenBack).toBe(model);
        totalTakenBack += takenBack;
      }
      // The history did something worth checking: credits made, and funds taken back.
      expect(credits.length).toBeGreaterThan(3);
      expect(totalTakenBack).toBeGreaterThan(0n);
    },
  );
});
