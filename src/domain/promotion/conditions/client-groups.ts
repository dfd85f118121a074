/** 9. Client groups: the client is a member of any of the selected groups. */
import { defineCondition, idList } from '../condition';

export const clientGroups = defineCondition({
  code: 'client_groups',
  title: 'Client groups',
  args: { groups: idList() },
  needs: () => ({ groups: { kind: 'groups' } as const }),
  check: ({ facts, args }) => facts.groups.some((g) => args.groups.includes(g)),
  explain: ({ facts, args }) =>
    `${facts.groups.length === 0 ? 'in no client group' : `client groups ${facts.groups.join(', ')}`}, needs any of ${args.groups.join(', ')}`,
});
