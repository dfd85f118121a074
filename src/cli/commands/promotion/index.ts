/**
 * `billmgr-plugin promotion ...`: promotions (seed 002) and who may take part. This file registers the group and
 * the promotion's own commands; each area adds its file here (conditions, check, audience; codes and
 * certificates come with issue 15).
 */
import { InvalidArgumentError, type Command } from 'commander';
import type { PromotionInput } from '../../../domain/promotion/promotion';
import type { PromotionView } from '../../../promotions/promotions';
import { withDatabase } from '../../database';
import { outputOf, parseWholeNumber } from '../../output';
import { registerAudience } from './audience';
import { registerCheck } from './check';
import { registerConditions } from './conditions';
import * as certificates from './certificates';
import * as codes from './codes';
import { registerDiscounts } from './discounts';
import * as redeem from './redeem';

export function register(program: Command): void {
  const promotion = program
    .command('promotion')
    .description(
      'promotions, the conditions to take part, promo codes, certificates, redemptions (seed 002)',
    );
  registerPromotions(promotion);
  registerConditions(promotion);
  registerCheck(promotion);
  registerAudience(promotion);
  codes.register(promotion);
  certificates.register(promotion);
  redeem.register(promotion);
  registerDiscounts(promotion);
}

interface PromotionOptions {
  name?: string;
  clientName?: string;
  kind?: string;
  starts?: string | null;
  ends?: string | null;
  limit?: number | null;
  project?: number;
  status?: string;
}

function promotionOptions(command: Command): Command {
  return command
    .option('--name <name>', 'internal name (unique per provider)')
    .option('--client-name <name>', 'the name shown to clients')
    .option('--kind <kind>', 'discount (on services) | certificate (balance top-up)')
    .option(
      '--starts <date>',
      "start, server-local YYYY-MM-DD [HH:MM[:SS]], inclusive; 'none' for no start",
      orNone,
    )
    .option(
      '--ends <date>',
      "end, server-local YYYY-MM-DD [HH:MM[:SS]], exclusive; 'none' for no end",
      orNone,
    )
    .option('--limit <n>', "uses per client across the promotion's codes; 'none' for no limit", wholeOrNone)
    .option('--project <id>', 'the provider (project) id, 1 by default', parseWholeNumber)
    .option('--status <status>', 'draft | active | archived');
}

function promotionInput(options: PromotionOptions): PromotionInput {
  const input: PromotionInput = {};
  if (options.name !== undefined) input.internalName = options.name;
  if (options.clientName !== undefined) input.clientName = options.clientName;
  if (options.kind !== undefined) input.kind = options.kind;
  if (options.starts !== undefined) input.startsAt = options.starts;
  if (options.ends !== undefined) input.endsAt = options.ends;
  if (options.limit !== undefined) input.perClientLimit = options.limit;
  if (options.project !== undefined) input.project = options.project;
  if (options.status !== undefined) input.status = options.status;
  return input;
}

function registerPromotions(promotion: Command): void {
  promotionOptions(
    promotion.command('create').description('create a promotion (a draft unless --status)'),
  ).action(async (options: PromotionOptions, command: Command) => {
    const { createPromotion } = await import('../../../promotions/promotions');
    const created = await withDatabase((db, cli) =>
      createPromotion(db, promotionInput(options), cli.clock.now()),
    );
    outputOf(command).result(created, [`promotion ${created.id} created: ${promotionLine(created)}`]);
  });
  promotionOptions(
    promotion
      .command('edit')
      .description('change a promotion')
      .argument('<id>', 'promotion id', parseWholeNumber),
  ).action(async (id: number, options: PromotionOptions, command: Command) => {
    const { editPromotion } = await import('../../../promotions/promotions');
    const edited = await withDatabase((db, cli) =>
      editPromotion(db, id, promotionInput(options), cli.clock.now()),
    );
    outputOf(command).result(edited, [`promotion ${id}: ${promotionLine(edited)}`]);
  });
  promotion
    .command('list')
    .description('list the promotions')
    .option('--status <status>', 'only those in this status')
    .action(async (options: { status?: string }, command: Command) => {
      const { listPromotions } = await import('../../../promotions/promotions');
      const list = await withDatabase((db) =>
        listPromotions(db, options.status ? { status: options.status } : {}),
      );
      outputOf(command).result(
        list,
        list.length === 0 ? ['no promotions'] : list.map((p) => `${p.id} ${promotionLine(p)}`),
      );
    });
  promotion
    .command('show')
    .description('show a promotion and its conditions')
    .argument('<id>', 'promotion id', parseWholeNumber)
    .action(async (id: number, _options: unknown, command: Command) => {
      const [{ getPromotion }, { listConditions }] = await Promise.all([
        import('../../../promotions/promotions'),
        import('../../../promotions/conditions'),
      ]);
      const shown = await withDatabase(async (db) => ({
        ...(await getPromotion(db, id)),
        conditions: await listConditions(db, id),
      }));
      const { conditionLine } = await import('./conditions');
      outputOf(command).result(shown, [
        `promotion ${id}: ${promotionLine(shown)}`,
        ...(shown.conditions.length === 0
          ? ['  no conditions']
          : shown.conditions.map((c) => `  ${conditionLine(c)}`)),
      ]);
    });
  promotion
    .command('archive')
    .description('archive a promotion: it is offered no more and not changed any more')
    .argument('<id>', 'promotion id', parseWholeNumber)
    .action(async (id: number, _options: unknown, command: Command) => {
      const { archivePromotion } = await import('../../../promotions/promotions');
      const archived = await withDatabase((db, cli) => archivePromotion(db, id, cli.clock.now()));
      outputOf(command).result(archived, [`promotion ${id} archived`]);
    });
}

export function promotionLine(p: PromotionView): string {
  return [
    `${p.internalName} ('${p.clientName}')`,
    p.kind,
    p.status,
    `provider ${p.project}`,
    `${p.startsAt ?? 'from the start'} to ${p.endsAt === null ? 'no end' : `before ${p.endsAt}`}`,
    p.perClientLimit === null ? 'no limit per client' : `${p.perClientLimit} per client`,
  ].join(', ');
}

function orNone(text: string): string | null {
  return text === 'none' ? null : text;
}

function wholeOrNone(text: string): number | null {
  if (text === 'none') return null;
  if (!/^\d+$/.test(text)) throw new InvalidArgumentError(`'${text}' is not a whole number or 'none'.`);
  return Number(text);
}
