/**
 * `handlers/bmp_promotion_price`: the discounted price of a tariff before an order, for the panel's order form.
 * Answers one document with the price, the discount and the promotions that gave it; bad input is an error
 * document and a non-zero exit.
 */
import { parseOptions } from '../contract/argv';
import { runHandler, type HandlerIo, type HandlerSpec } from './handler';
import { buildDoc } from '../contract/xml';
import type { PriceQuote } from '../promotions/discounts/price';

/**
 * [assumed] The panel function that calls this handler, and how: `bmp.promotion.price`, registered in the
 * plugin's XML, with the fields `account` (the ordering client), `pricelist` (the tariff), `price` (the price of
 * the chosen period, major units) and `currency` (ISO) in its query string. No public source names such a
 * function; the same fields are taken as `--name value` options from a shell.
 */
export const PANEL_PRICE_FUNCTION = 'bmp.promotion.price';
const FIELDS = ['account', 'pricelist', 'price', 'currency'] as const;

const OPTIONS = {
  account: { kind: 'int' },
  pricelist: { kind: 'int' },
  price: { kind: 'string' },
  currency: { kind: 'string' },
} as const;

export interface PriceArgs {
  account: number | undefined;
  pricelist: number | undefined;
  price: string | undefined;
  currency: string | undefined;
}

const HELP = `bmp_promotion_price: the discounted price of a tariff before an order (panel function ${PANEL_PRICE_FUNCTION}).

Usage: bmp_promotion_price --account N --pricelist N --price P --currency ISO [--help]
  (or the same fields in QUERY_STRING, as the panel passes them)

Output: one XML document: <price>, <discount>, <total> (all in the currency) and one <promotion> per
promotion that gave part of the discount. Bad input: an error document and a non-zero exit.`;

export const bmpPromotionPrice: HandlerSpec<PriceArgs> = {
  name: 'bmp_promotion_price',
  help: HELP,
  parse(argv) {
    const o = parseOptions(argv, OPTIONS);
    return { account: o.account, pricelist: o.pricelist, price: o.price, currency: o.currency };
  },
  logContext: () => ({ command: 'price' }),
  async execute(args, ctx) {
    const { quotePrice } = await import('../promotions/discounts/price');
    const { ValidationError } = await import('../domain/errors');
    const missing = FIELDS.filter((f) => args[f] === undefined).map((f) => `${f} is missing`);
    if (missing.length > 0) throw new ValidationError('price query', missing);
    return priceDoc(
      await quotePrice(
        await ctx.db(),
        {
          account: args.account ?? 0,
          pricelist: args.pricelist ?? 0,
          price: args.price ?? '',
          currency: (args.currency ?? '').toUpperCase(),
        },
        ctx.clock.now(),
      ),
    );
  },
};

export function priceDoc(quote: PriceQuote): string {
  const cur = { currency: quote.currency };
  return buildDoc({
    $: { account: String(quote.account), pricelist: String(quote.pricelist) },
    price: { $: cur, _: quote.price },
    discount: { $: cur, _: quote.discount },
    total: { $: cur, _: quote.total },
    promotion: quote.promotions.map((p) => ({
      $: { id: String(p.promotion), name: p.name, currency: quote.currency },
      _: p.discount,
    })),
  });
}

/** The panel's query string as options: `account=7&pricelist=3` becomes `--account 7 --pricelist 3`. */
export function argvOfQuery(query: string): string[] {
  const argv: string[] = [];
  for (const [key, value] of new URLSearchParams(query))
    if ((FIELDS as readonly string[]).includes(key)) argv.push(`--${key}`, value);
  return argv;
}

export function run(
  argv: readonly string[] = process.argv.slice(2),
  io: HandlerIo = { stdout: process.stdout },
): Promise<void> {
  const env = io.env ?? process.env;
  const query = env.QUERY_STRING;
  return runHandler(bmpPromotionPrice, query !== undefined ? argvOfQuery(query) : argv, io);
}
