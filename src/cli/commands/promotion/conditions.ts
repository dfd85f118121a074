/** `billmgr-plugin promotion condition add|remove|list`: a promotion's conditions and their groups. */
import { InvalidArgumentError, type Command } from 'commander';
import type { ConditionView } from '../../../promotions/conditions';
import { withDatabase } from '../../database';
import { outputOf, parseWholeNumber } from '../../output';

export function registerConditions(promotion: Command): void {
  const condition = promotion.command('condition').description("a promotion's conditions (seed 002)");
  condition
    .command('add')
    .description(
      'add a condition; one of the same --group is enough, every group and every ungrouped one needed',
    )
    .argument('<promotion>', 'promotion id', parseWholeNumber)
    .argument('<type>', 'condition type, e.g. expenses_over_period (`promotion condition types` lists them)')
    .option('--group <name>', 'condition group; without it the condition is required')
    .option('--arg <name=value>', 'an argument of the type (repeat for each)', collectArg, {})
    .action(
      async (
        id: number,
        type: string,
        options: { group?: string; arg: Record<string, string> },
        command: Command,
      ) => {
        const { addCondition } = await import('../../../promotions/conditions');
        const added = await withDatabase((db, cli) =>
          addCondition(
            db,
            id,
            {
              code: type,
              args: options.arg,
              ...(options.group !== undefined ? { group: options.group } : {}),
            },
            cli.clock.now(),
          ),
        );
        outputOf(command).result(added, [`promotion ${id}: condition ${conditionLine(added)}`]);
      },
    );
  condition
    .command('remove')
    .description('remove a condition')
    .argument('<promotion>', 'promotion id', parseWholeNumber)
    .argument('<condition>', 'condition id', parseWholeNumber)
    .action(async (id: number, conditionId: number, _options: unknown, command: Command) => {
      const { removeCondition } = await import('../../../promotions/conditions');
      await withDatabase((db) => removeCondition(db, id, conditionId));
      outputOf(command).result({ promotion: id, removed: conditionId }, [
        `promotion ${id}: condition ${conditionId} removed`,
      ]);
    });
  condition
    .command('list')
    .description("list a promotion's conditions")
    .argument('<promotion>', 'promotion id', parseWholeNumber)
    .option('--group <name>', 'only the conditions of this group')
    .action(async (id: number, options: { group?: string }, command: Command) => {
      const { listConditions } = await import('../../../promotions/conditions');
      const all = await withDatabase((db) => listConditions(db, id));
      const list = options.group === undefined ? all : all.filter((c) => c.group === options.group);
      outputOf(command).result(list, list.length === 0 ? ['no conditions'] : list.map(conditionLine));
    });
  condition
    .command('types')
    .description('the 17 condition types and their arguments')
    .action(async (_options: unknown, command: Command) => {
      const { CONDITION_TYPES } = await import('../../../domain/promotion/conditions');
      const types = CONDITION_TYPES.map((t) => ({
        code: t.code,
        title: t.title,
        args: Object.fromEntries(
          Object.entries(t.args as Record<string, { hint: string; optional: boolean }>).map(([name, arg]) => [
            name,
            `${arg.hint}${arg.optional ? ' (optional)' : ''}`,
          ]),
        ),
      }));
      outputOf(command).result(
        types,
        types.map(
          (t) =>
            `${t.code}: ${t.title}${
              Object.keys(t.args).length
                ? `; ${Object.entries(t.args)
                    .map(([n, h]) => `${n}=${h}`)
                    .join('; ')}`
                : ''
            }`,
        ),
      );
    });
}

export function conditionLine(c: ConditionView): string {
  const args = Object.entries(c.args)
    .map(([name, value]) => `${name}=${value}`)
    .join(' ');
  return `${c.id} ${c.code}${args ? ` ${args}` : ''}${c.group === null ? ' (required)' : ` (group "${c.group}")`}`;
}

function collectArg(text: string, previous: Record<string, string>): Record<string, string> {
  const at = text.indexOf('=');
  if (at <= 0) throw new InvalidArgumentError(`'${text}' is not name=value.`);
  return { ...previous, [text.slice(0, at).trim()]: text.slice(at + 1) };
}
