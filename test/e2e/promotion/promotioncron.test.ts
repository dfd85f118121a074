/**
 * handlers/promotioncron as cron runs it, on MariaDB, with the host stand-in's mgrctl as the core: a reservation
 * whose hold ran out is released, a certificate's unspent funds are taken back by an expense the core books, and a
 * second run does nothing again (with --quiet, it prints nothing).
 */
import { parseXml, textOf, type XmlNode } from '../../../src/contract/xml';
import { money } from '../../../src/domain/money';
import { redeem } from '../../../src/promotions/redemption/redeem';
import { outboxCredit } from '../../../src/promotions/redemption/wiring';
import { PromotionWorld } from '../../integration/promotion/codes-world';
import { alwaysEligible, makeCertificates, makeCodes } from '../../integration/promotion/redemption-world';
import { runHandlerProcess, type HandlerOutcome } from '../../support/handler';
import { createThrowawayDb, type ThrowawayDb } from '../../support/mysql';

let throwaway: ThrowawayDb;
let world: PromotionWorld;

beforeAll(async () => {
  throwaway = await createThrowawayDb();
  world = new PromotionWorld(throwaway.db);
});
afterAll(async () => {
  await throwaway.drop();
});

type Outcome = HandlerOutcome;

function promotioncron(args: string[]): Promise<Outcome> {
  return runHandlerProcess('promotioncron', throwaway.url, args);
}

async function summaryOf(outcome: Outcome): Promise<XmlNode> {
  expect(outcome.code).toBe(0);
  return (await parseXml(outcome.stdout, 'promotioncron')).promotioncron as XmlNode;
}

it('releases a hold that ran out, takes unspent certificate funds back through the core, and does neither twice', async () => {
  // A month ago: a code reserved for 24 hours and never paid, and a certificate of 15.00 whose funds last a day.
  const then = new Date(Date.now() - 30 * 86_400_000);
  const ports = { now: then, eligibility: alwaysEligible, credit: outboxCredit(then) };
  const account = await world.account();
  const [code = ''] = await makeCodes(throwaway.db, { promotion: await world.promotion() }, then);
  const held = await redeem(throwaway.db, { account, code, mode: 'reserve', holdHours: 24 }, ports);
  expect(held.redeemed && held.redemption.status).toBe('reserved');
  const [certificate = ''] = await makeCertificates(
    throwaway.db,
    {
      promotion: await world.promotion({ kind: 'certificate' }),
      amount: { kind: 'fixed', amount: money(1500n, 'USD') },
      fundsPeriod: { type: 'day', length: 1 },
    },
    then,
  );
  expect((await redeem(throwaway.db, { account, code: certificate }, ports)).redeemed).toBe(true);

  const first = await summaryOf(await promotioncron([]));
  expect(textOf(first.released)).toBe('1');
  expect(first.expired).toMatchObject({ $: { settled: '1', takenback: '1' } });
  // The certificate's own credit (15.00) and its take-back (15.00, nothing spent) are both made through the core.
  expect(first.credits).toMatchObject({ $: { credited: '1', debited: '1', waiting: '0' } });
  expect(await throwaway.db('payment').where({ account }).pluck('amount')).toEqual(['15.0000']);
  expect(await throwaway.db('expense').where({ account }).pluck('amount')).toEqual(['15.0000']);
  expect(
    (await throwaway.db('account').where({ id: account }).first('balance')) as { balance: string },
  ).toEqual({ balance: '0.0000' });

  const quiet = await promotioncron(['--quiet']);
  expect(quiet).toMatchObject({ code: 0, stdout: '' });
  const again = await summaryOf(await promotioncron([]));
  expect(textOf(again.released)).toBe('0');
  expect(again.expired).toMatchObject({ $: { settled: '0', takenback: '0' } });
  expect(again.credits).toMatchObject({ $: { credited: '0', debited: '0', waiting: '0' } });
  expect(await throwaway.db('expense').where({ account }).pluck('amount')).toEqual(['15.0000']);
});
