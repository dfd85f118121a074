/**
 * Whether two promo-code templates can give two different partners the same code: `Q@ID@` and `Q1@ID@` both
 * make `Q11` (partner 11 of the first, partner 1 of the second). Partner ids are global, so one id is never a
 * partner of two programs: a collision needs two different ids. Decided exactly for every id length up to ten
 * digits (the partner ids a 32-bit key holds), by equating the two codes character by character.
 */
import { promoCodeFor } from './codes';
import { ID_MACRO } from './program';

/** The longest partner id looked at: 10 digits (2147483647). */
const MAX_ID_DIGITS = 10;
const MAX_ID = 2147483647;

export interface TemplateCollision {
  /** A partner id under the first template and one under the second that get the same code. */
  readonly firstId: number;
  readonly secondId: number;
  readonly code: string;
}

/** One character of a filled-in template: a literal, or digit `index` of the partner id (`which` template). */
type Cell = { literal: string } | { digit: number };

/**
 * An example pair of different partner ids whose codes under `first` and `second` are the same, the smallest
 * ids first; undefined when there is none.
 */
export function templateCollision(first: string, second: string): TemplateCollision | undefined {
  const a = first.toUpperCase();
  const b = second.toUpperCase();
  for (let total = 2; total <= 2 * MAX_ID_DIGITS; total += 1) {
    for (let m = 1; m <= MAX_ID_DIGITS; m += 1) {
      const n = total - m;
      if (n < 1 || n > MAX_ID_DIGITS) continue;
      const found = collisionAt(a, m, b, n);
      if (found) return found;
    }
  }
  return undefined;
}

/** A collision with an id of `m` digits under `a` and one of `n` digits under `b`, if there is one. */
function collisionAt(a: string, m: number, b: string, n: number): TemplateCollision | undefined {
  const left = cells(a, m);
  const right = cells(b, n);
  if (left.length !== right.length) return undefined;
  // Nodes: digits of the first id (0..m-1), of the second (m..m+n-1), then the constants '0'..'9'.
  const constant = (digit: string): number => m + n + Number(digit);
  const parent = Array.from({ length: m + n + 10 }, (_, i) => i);
  const find = (x: number): number => {
    while (parent[x] !== x) x = parent[x] = parent[parent[x]!]!;
    return x;
  };
  const union = (x: number, y: number): void => {
    parent[find(x)] = find(y);
  };
  for (let i = 0; i < left.length; i += 1) {
    const l = left[i]!;
    const r = right[i]!;
    if ('literal' in l && 'literal' in r) {
      if (l.literal !== r.literal) return undefined;
    } else if ('literal' in l || 'literal' in r) {
      const literal = 'literal' in l ? l.literal : (r as { literal: string }).literal;
      const digit = 'digit' in l ? l.digit : m + (r as { digit: number }).digit;
      if (!/^\d$/.test(literal)) return undefined;
      union(digit, constant(literal));
    } else {
      union((l as { digit: number }).digit, m + (r as { digit: number }).digit);
    }
  }
  // No class may hold two constants; no id may start with 0.
  const constantOf = new Map<number, number>();
  for (let d = 0; d <= 9; d += 1) {
    const root = find(constant(String(d)));
    if (constantOf.has(root)) return undefined;
    constantOf.set(root, d);
  }
  const leading = new Set([find(0), find(m)]);
  for (const root of leading) if (constantOf.get(root) === 0) return undefined;
  // The ids must differ: same length ids need a position whose digits are not forced equal.
  const differing = m !== n ? undefined : [...Array(m).keys()].find((p) => find(p) !== find(m + p));
  if (m === n && differing === undefined) return undefined;
  const value = new Map<number, number>();
  const digitOf = (node: number): number => {
    const root = find(node);
    const fixed = constantOf.get(root);
    if (fixed !== undefined) return fixed;
    return value.get(root) ?? (leading.has(root) ? 1 : 0);
  };
  if (differing !== undefined) {
    // Make the two digits at `differing` unequal by moving a free one of them.
    const x = find(differing);
    const y = find(m + differing);
    const free = constantOf.has(x) ? y : x;
    const other = free === x ? y : x;
    const otherDigit = digitOf(other);
    value.set(free, otherDigit === 1 ? 2 : 1);
  }
  const id = (offset: number, length: number): number =>
    Number([...Array(length).keys()].map((p) => digitOf(offset + p)).join(''));
  const firstId = id(0, m);
  const secondId = id(m, n);
  if (firstId > MAX_ID || secondId > MAX_ID || firstId === secondId) return undefined;
  const code = promoCodeFor(a, firstId);
  // The equations above are the proof; the codes themselves are the check.
  if (code !== promoCodeFor(b, secondId)) return undefined;
  return { firstId, secondId, code };
}

/** The template's characters with every `@ID@` opened into `digits` digit cells. */
function cells(template: string, digits: number): Cell[] {
  const out: Cell[] = [];
  template.split(ID_MACRO).forEach((literal, i) => {
    if (i > 0) for (let p = 0; p < digits; p += 1) out.push({ digit: p });
    for (const c of literal) out.push({ literal: c });
  });
  return out;
}
