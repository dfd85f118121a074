/** `affiliate program add|edit|list`: affiliate programs (seed 000). */
import type { Command } from 'commander';
import type { ProgramInput } from '../../../domain/affiliate/program';
import { withDatabase } from '../../database';
import { outputOf, parseWholeNumber } from '../../output';
import { idOrNone, onOff } from './options';

export function registerPrograms(affiliate: Command): void {
  const programs = affiliate.command('program').description('affiliate programs (seed 000)');
  const programOptions = (command: Command): Command =>
    command
      .option('--name <name>', 'program name')
      .option('--template <template>', 'promo code template; must hold @ID@ (the partner id)')
      .option('--reward <percent>', "percent of the referrals' expenses; 'none' for the global default")
      .option('--months <n>', 'referral period in months; 0 for no end', parseWholeNumber)
      .option('--website <url>', 'the website the partner links point to')
      .option('--group <id>', "client group that may take part; 'none' for everyone", idOrNone)
      .option('--forbid-group <id>', "client group never rewarded; 'none' for no such group", idOrNone)
      .option('--project <id>', 'the provider (project) id', parseWholeNumber);
  programOptions(programs.command('add').description('add a program')).action(
    async (options: ProgramOptions, command: Command) => {
      const { createProgram } = await import('../../../affiliate/programs');
      const created = await withDatabase((db, cli) =>
        createProgram(db, programInput(options), cli.clock.now()),
      );
      outputOf(command).result(created, [`program ${created.id} added: ${programLine(created)}`]);
    },
  );
  programOptions(
    programs.command('edit').description('change a program').argument('<id>', 'program id', parseWholeNumber),
  )
    .option('--active <on|off>', 'take the program in or out of service', onOff)
    .action(async (id: number, options: ProgramOptions & { active?: boolean }, command: Command) => {
      const { updateProgram } = await import('../../../affiliate/programs');
      const changes = {
        ...programInput(options),
        ...(options.active !== undefined ? { active: options.active } : {}),
      };
      const updated = await withDatabase((db) => updateProgram(db, id, changes));
      outputOf(command).result(updated, [`program ${id}: ${programLine(updated)}`]);
    });
  programs
    .command('list')
    .description('list the programs')
    .action(async (_options: unknown, command: Command) => {
      const { listPrograms } = await import('../../../affiliate/programs');
      const list = await withDatabase((db) => listPrograms(db));
      outputOf(command).result(
        list,
        list.length === 0 ? ['no programs'] : list.map((p) => `${p.id} ${programLine(p)}`),
      );
    });
}

interface ProgramOptions {
  name?: string;
  template?: string;
  reward?: string;
  months?: number;
  website?: string;
  group?: number | null;
  forbidGroup?: number | null;
  project?: number;
}

function programInput(options: ProgramOptions): ProgramInput {
  return {
    ...(options.name !== undefined ? { name: options.name } : {}),
    ...(options.template !== undefined ? { promocodeTemplate: options.template } : {}),
    ...(options.reward !== undefined
      ? { rewardPercent: options.reward === 'none' ? null : options.reward }
      : {}),
    ...(options.months !== undefined ? { referralMonths: options.months } : {}),
    ...(options.website !== undefined ? { websiteUrl: options.website } : {}),
    ...(options.group !== undefined ? { clientGroup: options.group } : {}),
    ...(options.forbidGroup !== undefined ? { forbiddenGroup: options.forbidGroup } : {}),
    ...(options.project !== undefined ? { project: options.project } : {}),
  };
}

function programLine(p: {
  name: string;
  active: boolean;
  promocodeTemplate: string;
  rewardPercent: string | null;
  referralMonths: number;
  websiteUrl: string;
  clientGroup: number | null;
  forbiddenGroup: number | null;
}): string {
  return [
    `'${p.name}'${p.active ? '' : ' (inactive)'}`,
    `code ${p.promocodeTemplate}`,
    `reward ${p.rewardPercent === null ? 'global default' : `${p.rewardPercent}%`}`,
    `period ${p.referralMonths === 0 ? 'no end' : `${p.referralMonths} months`}`,
    p.websiteUrl,
    ...(p.clientGroup !== null ? [`group ${p.clientGroup}`] : []),
    ...(p.forbiddenGroup !== null ? [`forbidden group ${p.forbiddenGroup}`] : []),
  ].join(', ');
}
