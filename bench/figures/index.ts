/** Every figure `npm run bench` measures; a feature adds its module here with one line. */
import type { FigureModule } from '../figure';

export const FIGURES: Readonly<Record<string, () => Promise<FigureModule>>> = {
  coldstart: () => import('./coldstart'),
  checkevent: () => import('./checkevent'),
  affiliate: () => import('./affiliate'),
  'promotion-eligibility': () => import('./promotion-eligibility'),
  'promotion-codes': () => import('./promotion-codes'),
};
