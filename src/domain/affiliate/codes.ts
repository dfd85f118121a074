/** A partner's promo code and links, and reading a partner id back out of a page URL (hostile input). */
import { ID_MACRO, LINK_CODE_PLACEHOLDER } from './program';

/** Longest page URL the counter looks into; longer ones are ignored whole. */
export const MAX_URL_LENGTH = 2048;
const MAX_ID = 2147483647;

/** The partner's promo code: the template with `@ID@` replaced by the partner id, upper-cased. */
export function promoCodeFor(template: string, affiliateId: number): string {
  if (!template.includes(ID_MACRO)) throw new Error(`promo code template without ${ID_MACRO}`);
  return template.split(ID_MACRO).join(String(affiliateId)).toUpperCase();
}

/** How a typed promo code is compared: trimmed, upper-cased; anything outside the code alphabet matches nothing. */
export function normalizePromoCode(typed: string): string | undefined {
  const code = typed.trim().toUpperCase();
  return /^[A-Z0-9_-]{1,64}$/.test(code) ? code : undefined;
}

/** Seed 000's link: the program's website with `from=<partner id>` added to its query. */
export function affiliateLink(websiteUrl: string, affiliateId: number): string {
  const url = new URL(websiteUrl);
  url.searchParams.set('from', String(affiliateId));
  return url.toString();
}

/** Seed 001's link: the settings' template with `[AffiliateLinkCode]` replaced by the partner id. */
export function templatedLink(template: string, affiliateId: number): string {
  return template.split(LINK_CODE_PLACEHOLDER).join(encodeURIComponent(String(affiliateId)));
}

/**
 * The partner id in a page URL's `from=` parameter, or undefined. The URL comes from a browser we do not
 * trust: it must be a short http(s) URL, and `from` (its first occurrence) must be a plain positive id.
 */
export function affiliateIdFromPage(page: string | undefined): number | undefined {
  if (page === undefined || page.length === 0 || page.length > MAX_URL_LENGTH) return undefined;
  let url: URL;
  try {
    url = new URL(page);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  return parsePartnerId(url.searchParams.get('from'));
}

/** A partner id as typed in a URL: 1 to 10 digits, no sign, no leading zero, within a 32-bit id. */
export function parsePartnerId(text: string | null | undefined): number | undefined {
  if (!text || !/^[1-9]\d{0,9}$/.test(text)) return undefined;
  const id = Number(text);
  return id <= MAX_ID ? id : undefined;
}
