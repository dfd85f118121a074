/** counter.ts's import until its queries move to db/affiliate/counter.ts (issue 13). */
export { T, toFlag } from '../db/affiliate/tables';
