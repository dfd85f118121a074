/** counter.ts's import until its queries move to db/affiliate/counter.ts (issue 13). */
export type { Db } from '../db/types';
