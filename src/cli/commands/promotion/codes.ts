/** `billmgr-plugin promotion code generate|list|export|revoke`: promo codes of discount promotions (seed 002). */
import type { Command } from 'commander';
import type { Period, ValidBatch } from '../../../domain/promotion/codes/batch';
import { withDatabase } from '../../database';
import { outputOf, parseWholeNumber, type CliOutput } from '../../output';
import { parsePeriod, progressBar, StdoutClosed, stdoutWriter } from './shared';

interface GenerateOptions {
  promotion: number;
  template: string;
  count: number;
  digitsOnly?: boolean;
  usesLimit?: number;
  perClient?: number;
  from?: string;
  until?: string;
  discountPeriod?: Period;
}

export function register(promotion: Command): void {
  const code = promotion.command('code').description('promo codes: generate, list, export, revoke');
  code
    .command('generate')
    .description("generate promo codes from a template: each '?' becomes a random character")
    .requiredOption('--promotion <id>', 'the discount promotion', parseWholeNumber)
    .requiredOption('--template <template>', "e.g. SPRING-??????; letters, digits, '-', '_' and '?'")
    .requiredOption('--count <n>', 'how many codes', parseWholeNumber)
    .option('--digits-only', 'random characters are digits only')
    .option('--uses-limit <n>', 'uses of each code (default: no limit)', parseWholeNumber)
    .option('--per-client <n>', 'uses of one code by one client (default: no limit)', parseWholeNumber)
    .option('--from <date>', "activation window of its own, server-local (default: the promotion's)")
    .option('--until <date>', 'end of that window, exclusive')
    .option(
      '--discount-period <type:length>',
      'the discount lasts e.g. month:2 (default: the ordered period)',
      parsePeriod,
    )
    .action(async (options: GenerateOptions, command: Command) => {
      const { validateCodeBatch } = await import('../../../domain/promotion/codes/batch');
      const out = outputOf(command);
      const batch = validateCodeBatch({
        promotion: options.promotion,
        template: options.template,
        digitsOnly: options.digitsOnly === true,
        count: options.count,
        ...(options.usesLimit !== undefined ? { usesLimit: options.usesLimit } : {}),
        ...(options.perClient !== undefined ? { perClientLimit: options.perClient } : {}),
        ...(options.from !== undefined ? { activeFrom: options.from } : {}),
        ...(options.until !== undefined ? { activeUntil: options.until } : {}),
        ...(options.discountPeriod !== undefined ? { discountPeriod: options.discountPeriod } : {}),
      });
      await generateAndReport(out, batch, 'code');
    });
  registerListing(code, 'code');
}

/** Generates a batch with a progress bar on stderr, then prints what was made and how to export it. */
export async function generateAndReport(
  out: CliOutput,
  batch: ValidBatch,
  kind: 'code' | 'certificate',
): Promise<void> {
  const { generateBatch } = await import('../../../promotions/codes/generate');
  const plural = kind === 'code' ? 'codes' : 'certificates';
  const bar = await progressBar(!out.json, plural);
  const result = await withDatabase((db, cli) =>
    generateBatch(db, batch, {
      now: cli.clock.now(),
      clock: cli.clock,
      onProgress: (done, total) => bar.update(done, total),
    }),
  ).finally(() => bar.stop());
  if (result.warning && !out.json) console.error(`warning: ${result.warning}`);
  out.result(result, [
    `batch ${result.batch}: ${result.generated} ${plural} of '${result.template}' for promotion ${result.promotion}` +
      ` (${result.regenerated} drawn again after a collision; ${result.space} possible codes)`,
    `  export them: billmgr-plugin promotion ${kind} export --batch ${result.batch} > ${plural}.csv`,
  ]);
}

/** list, export and revoke: the same for promo codes and certificates. */
export function registerListing(parent: Command, kind: 'code' | 'certificate'): void {
  const plural = kind === 'code' ? 'promo codes' : 'certificates';
  parent
    .command('list')
    .description(`the batches of a promotion and its first ${plural}`)
    .requiredOption('--promotion <id>', 'the promotion', parseWholeNumber)
    .option('--batch <id>', 'only this batch', parseWholeNumber)
    .option('--limit <n>', 'how many codes to show', parseWholeNumber, 20)
    .action(async (options: { promotion: number; batch?: number; limit: number }, command: Command) => {
      const { listCodes } = await import('../../../promotions/codes/manage');
      const listed = await withDatabase((db) =>
        listCodes(
          db,
          {
            promotion: options.promotion,
            kind,
            ...(options.batch !== undefined ? { batch: options.batch } : {}),
          },
          options.limit,
        ),
      );
      outputOf(command).result(listed, [
        ...(listed.batches.length === 0 ? [`no ${plural}`] : []),
        ...listed.batches.map(
          (b) =>
            `batch ${b.id} '${b.template}'${b.digitsOnly ? ' digits only' : ''}: ${b.generated}/${b.count} ${b.status}` +
            `, uses ${b.usesLimit ?? 'unlimited'} each` +
            (b.perClientLimit !== null ? `, ${b.perClientLimit} per client` : '') +
            (b.activeFrom !== null ? `, active ${b.activeFrom} to ${b.activeUntil ?? ''}` : '') +
            (b.discountPeriod !== null ? `, discount for ${b.discountPeriod}` : '') +
            (b.amount !== null ? `, ${b.amount}` : '') +
            (b.fundsPeriod !== null ? `, funds valid ${b.fundsPeriod}` : ''),
        ),
        ...listed.codes.map(
          (c) =>
            `  ${c.code} used ${c.uses}/${c.usesLimit ?? 'unlimited'}${c.revokedAt !== null ? ` revoked ${c.revokedAt}` : ''}`,
        ),
      ]);
    });
  parent
    .command('export')
    .description(`every ${kind} of a promotion or a batch to stdout: CSV, or one JSON array with --json`)
    .option('--promotion <id>', 'the promotion', parseWholeNumber)
    .option('--batch <id>', 'one batch', parseWholeNumber)
    .action(async (options: { promotion?: number; batch?: number }, command: Command) => {
      const [{ exportCodes }, { ValidationError }] = await Promise.all([
        import('../../../promotions/codes/manage'),
        import('../../../domain/errors'),
      ]);
      if (options.promotion === undefined && options.batch === undefined)
        throw new ValidationError('export', ['name the promotion (--promotion) or the batch (--batch)']);
      const format = outputOf(command).json ? 'json' : 'csv';
      const write = stdoutWriter();
      await withDatabase((db) =>
        exportCodes(
          db,
          {
            kind,
            ...(options.promotion !== undefined ? { promotion: options.promotion } : {}),
            ...(options.batch !== undefined ? { batch: options.batch } : {}),
          },
          format,
          write,
        ).catch((err: unknown) => {
          if (!(err instanceof StdoutClosed)) throw err;
        }),
      );
    });
  parent
    .command('revoke')
    .description(`withdraw ${plural}: those named, or a whole batch`)
    .argument('[codes...]', `the ${plural}, as a client would type them`)
    .option('--batch <id>', 'every one of this batch', parseWholeNumber)
    .action(async (codes: string[], options: { batch?: number }, command: Command) => {
      const { revoke } = await import('../../../promotions/codes/manage');
      const revoked = await withDatabase((db, cli) =>
        revoke(
          db,
          { kind, codes, ...(options.batch !== undefined ? { batch: options.batch } : {}) },
          cli.clock.now(),
        ),
      );
      outputOf(command).result({ revoked }, [`${revoked} ${plural} revoked`]);
    });
}
