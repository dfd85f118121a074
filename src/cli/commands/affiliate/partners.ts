/** `affiliate partner add|list|enable|disable`: the partners (affiliates) of the programs. */
import type { Command } from 'commander';
import { withDatabase } from '../../database';
import { outputOf, parseWholeNumber } from '../../output';

export function registerPartners(affiliate: Command): void {
  const partners = affiliate.command('partner').description('partners (affiliates) of the programs');
  partners
    .command('add')
    .description('make an account a partner: a unique promo code and link')
    .requiredOption('--program <id>', 'program id', parseWholeNumber)
    .requiredOption('--account <id>', 'the partner account', parseWholeNumber)
    .action(async (options: { program: number; account: number }, command: Command) => {
      const { addPartner } = await import('../../../affiliate/programs');
      const partner = await withDatabase((db) =>
        addPartner(db, options.program, options.account, new Date()),
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
