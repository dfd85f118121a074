/** The host side of price conversion on a real MariaDB: main currency, newest rate, rates stored the other way round. */
import { loadMainCurrency, loadRates } from '../../../src/reseller/tariffs/host-currencies';
import { convertCost, TariffRefusedError } from '../../../src/reseller/tariffs/pricing';
import { createThrowawayDb, type ThrowawayDb } from '../../support/mysql';

let t: ThrowawayDb;
const ids = { KZT: 0, EUR: 0, USD: 0 };

beforeAll(async () => {
  t = await createThrowawayDb();
});

afterAll(async () => {
  await t?.drop();
});

const refusal = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (err: unknown) => err as TariffRefusedError,
  );

it('refuses when the host has no currencies', async () => {
  const err = await refusal(loadMainCurrency(t.db));
  expect(err).toBeInstanceOf(TariffRefusedError);
  expect(err).toMatchObject({ type: 'missed', object: 'currency' });
});

it('takes the only currency as the main one', async () => {
  ids.KZT = Number((await t.db('currency').insert({ iso: 'KZT', name: 'Tenge', active: 'on' }))[0]);
  expect(await loadMainCurrency(t.db)).toEqual({ main: { id: ids.KZT, iso: 'KZT' }, project: null });
});

it('refuses several currencies with none marked main, then takes the marked one and its provider', async () => {
  ids.EUR = Number((await t.db('currency').insert({ iso: 'EUR', name: 'Euro', active: 'on' }))[0]);
  expect(await refusal(loadMainCurrency(t.db))).toMatchObject({ object: 'currency' });
  const [project] = await t.db('project').insert({ name: 'EU provider' });
  await t.db('project2currency').insert({ project, currency: ids.EUR, main: 'on' });
  expect(await loadMainCurrency(t.db)).toEqual({ main: { id: ids.EUR, iso: 'EUR' }, project });
});

it('ignores a switched-off main currency', async () => {
  await t.db('currency').where({ id: ids.EUR }).update({ active: 'off' });
  expect((await loadMainCurrency(t.db)).main.iso).toBe('KZT');
  await t.db('currency').where({ id: ids.EUR }).update({ active: 'on' });
});

it('uses the newest rate and reads a rate stored in the other direction as its inverse', async () => {
  ids.USD = Number((await t.db('currency').insert({ iso: 'USD', name: 'Dollar', active: 'on' }))[0]);
  await t.db('currencyrate').insert([
    { currency: ids.USD, relcurrency: ids.EUR, rate: '0.50000000', ratedate: '2019-05-01' },
    { currency: ids.USD, relcurrency: ids.EUR, rate: '0.92000000', ratedate: '2026-10-01' },
    // 1 EUR = 500 KZT, stored as "1 EUR buys 500 KZT"; needed the other way round.
    { currency: ids.EUR, relcurrency: ids.KZT, rate: '500.00000000', ratedate: '2026-10-01' },
  ]);
  const { main } = await loadMainCurrency(t.db);
  const { rates, missing } = await loadRates(t.db, main, ['USD', 'KZT', 'GBP']);
  expect(missing).toEqual(['GBP']);
  expect(rates.get('USD')?.toString()).toBe('0.92');
  expect(rates.get('KZT')?.toString()).toBe('0.002');
  expect(convertCost('1999.00', 'KZT', { main, rates })).toBe('4.00');
  expect(convertCost('10.01', 'USD', { main, rates })).toBe('9.21');
});
