/** 1. No conditions: every client may take part. */
import { defineCondition } from '../condition';

export const noConditions = defineCondition({
  code: 'none',
  title: 'No conditions',
  args: {},
  needs: () => ({}),
  check: () => true,
  explain: () => 'no conditions: every client',
});
