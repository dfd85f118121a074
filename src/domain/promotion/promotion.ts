/**
 * A promotion (seed 002): the provider running it, its internal name and the name clients see, its active window
 * (start inclusive, end exclusive, server-local), its type, the per-client usage limit and its status.
 */
import { parseDayTime } from './calendar';
import { Problems } from './problems';

export const PROMOTION_KINDS = ['discount', 'certificate'] as const;
export type PromotionKind = (typeof PROMOTION_KINDS)[number];
export const PROMOTION_STATUSES = ['draft', 'active', 'archived'] as const;
export type PromotionStatus = (typeof PROMOTION_STATUSES)[number];

export interface Promotion {
  readonly project: number;
  readonly internalName: string;
  readonly clientName: string;
  /** discount: a discount on services; certificate: balance top-up certificates. */
  readonly kind: PromotionKind;
  /** Server-local `YYYY-MM-DD HH:MM:SS`, inclusive; null = from the start. */
  readonly startsAt: string | null;
  /** Server-local `YYYY-MM-DD HH:MM:SS`, exclusive; null = no end. */
  readonly endsAt: string | null;
  /** How many times one client may use the promotion (its codes and certificates together); null = no limit. */
  readonly perClientLimit: number | null;
  readonly status: PromotionStatus;
}

/** What an admin gives: every field may be missing (an edit) and is checked as text. */
export interface PromotionInput {
  project?: number;
  internalName?: string;
  clientName?: string;
  kind?: string;
  startsAt?: string | null;
  endsAt?: string | null;
  perClientLimit?: number | null;
  status?: string;
}

const NAME_LENGTH = 255;

/** Checks a whole promotion, collecting every problem; throws one ValidationError naming them all. */
export function validatePromotion(input: PromotionInput): Promotion {
  const problems = new Problems();
  const project = input.project ?? 1;
  if (!Number.isInteger(project) || project <= 0)
    problems.add('the provider (project) must be a positive id');
  const internalName = (input.internalName ?? '').trim();
  if (internalName === '') problems.add('the internal name is required');
  else if (internalName.length > NAME_LENGTH)
    problems.add(`the internal name must be at most ${NAME_LENGTH} characters`);
  const clientName = (input.clientName ?? '').trim();
  if (clientName === '') problems.add('the name shown to clients is required');
  else if (clientName.length > NAME_LENGTH)
    problems.add(`the name shown to clients must be at most ${NAME_LENGTH} characters`);
  const kind = input.kind ?? '';
  if (!isOneOf(PROMOTION_KINDS, kind))
    problems.add(`the type must be one of ${PROMOTION_KINDS.join(', ')} (got '${kind}')`);
  const status = input.status ?? 'draft';
  if (!isOneOf(PROMOTION_STATUSES, status))
    problems.add(`the status must be one of ${PROMOTION_STATUSES.join(', ')} (got '${status}')`);
  const startsAt = windowEnd(input.startsAt, 'start', problems);
  const endsAt = windowEnd(input.endsAt, 'end', problems);
  if (startsAt && endsAt && endsAt <= startsAt) problems.add('the end must be after the start');
  const limit = input.perClientLimit ?? null;
  if (limit !== null && (!Number.isInteger(limit) || limit <= 0))
    problems.add('the usage limit per client must be a positive whole number (or none)');
  problems.throwIfAny(internalName ? `promotion '${internalName}'` : 'promotion');
  return {
    project,
    internalName,
    clientName,
    kind: kind as PromotionKind,
    startsAt,
    endsAt,
    perClientLimit: limit,
    status: status as PromotionStatus,
  };
}

function windowEnd(text: string | null | undefined, which: string, problems: Problems): string | null {
  if (text === undefined || text === null || text.trim() === '') return null;
  const parsed = parseDayTime(text);
  if (parsed === undefined) problems.add(`the ${which} '${text}' is not a date (YYYY-MM-DD [HH:MM[:SS]])`);
  return parsed ?? null;
}

function isOneOf<T extends string>(values: readonly T[], value: string): value is T {
  return (values as readonly string[]).includes(value);
}

/** Whether `now` (server-local date-time) is inside the window: from the start inclusive to the end exclusive. */
export function inWindow(promotion: Pick<Promotion, 'startsAt' | 'endsAt'>, now: string): boolean {
  return (
    (promotion.startsAt === null || promotion.startsAt <= now) &&
    (promotion.endsAt === null || now < promotion.endsAt)
  );
}
