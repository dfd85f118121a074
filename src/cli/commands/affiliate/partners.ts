/** `affiliate partner add|list|enable|disable`: the partners (affiliates) of the programs. */
import type { Command } from 'commander';
import { withDatabase } from '../../database';
import { outputOf, parseWholeNumber } from '../../output';
import { balanceLine, plain } from './options';

export function registerPartners(affiliate: Command): void {
  affiliate
    .command('overview')
    .description(
      'per partner: visits (hits), signups, active referrals, pending, available, paid out; one line each',
    )
    .option('--partner <id>', 'of one partner', parseWholeNumber)
    .action(async (options: { partner?: number }, command: Command) => {
      const { partnerOverview } = await import('../../../affiliate/reports');
      const rows = await withDatabase((db, cli) =>
        partnerOverview(db, {
          ...(options.partner !== undefined ? { affiliate: options.partner } : {}),
          now: cli.clock.now(),
        }),
      );
      outputOf(command).result(
        plain(rows),
        rows.length === 0
          ? ['no partners']
          : rows.map(
              (r) =>
                `partner ${r.affiliate}${r.active ? '' : ' (disabled)'} (account ${r.account}, program ${r.program}, ` +
                `${r.promocode}): ${r.visits} visits (${r.hits} hits), ${r.signups} signups, ` +
                `${r.activeReferrals} active referrals; ` +
                (r.balances.length === 0 ? 'no credit' : r.balances.map(balanceLine).join('; ')),
            ),
      );
    });
  const partners = affiliate.command('partner').description('partners (affiliates) of the programs');
  partners
    .command('add')
    .description('make an account a partner: a unique promo code and link')
    .requiredOption('--program <id>', 'program id', parseWholeNumber)
    .requiredOption('--account <id>', 'the partner account', parseWholeNumber)
    .action(async (options: { program: number; account: number }, command: Command) => {
      const { addPartner } = await import('../../../affiliate/programs');
      const partner = await withDatabase((db, cli) =>
        addPartner(db, options.program, options.account, cli.clock.now()),
      );
      outputOf(command).result(partner, [partnerLine(partner)]);
    });
  partners
    .command('list')
    .description('list partners')
    .option('--program <id>', 'of one program', parseWholeNumber)
    .option('--account <id>', 'of one account', parseWholeNumber)
    .action(async (options: { program?: number; account?: number }, command: Command) => {
      const { listPartners } = await import('../../../affiliate/programs');
      const list = await withDatabase((db) => listPartners(db, options));
      outputOf(command).result(list, list.length === 0 ? ['no partners'] : list.map(partnerLine));
    });
  for (const [name, active] of [
    ['enable', true],
    ['disable', false],
  ] as const) {
    partners
      .command(name)
      .description(`${name} a partner (a disabled partner earns nothing new)`)
      .argument('<id>', 'partner id', parseWholeNumber)
      .action(async (id: number, _options: unknown, command: Command) => {
        const { setPartnerActive } = await import('../../../affiliate/programs');
        await withDatabase((db) => setPartnerActive(db, id, active));
        outputOf(command).result({ affiliate: id, active }, [
          `partner ${id} ${active ? 'enabled' : 'disabled'}`,
        ]);
      });
  }
}

function partnerLine(p: {
  id: number;
  program: number;
  account: number;
  promocode: string;
  active: boolean;
  link: string;
  templatedLink?: string;
}): string {
  return (
    `partner ${p.id}${p.active ? '' : ' (disabled)'}: account ${p.account}, program ${p.program}, ` +
    `promo code ${p.promocode}, link ${p.link}${p.templatedLink ? `, ${p.templatedLink}` : ''}`
  );
}
