import {
  affiliateIdFromPage,
  affiliateLink,
  normalizePromoCode,
  parsePartnerId,
  promoCodeFor,
  templatedLink,
} from '../../../src/domain/affiliate/codes';
import { DEFAULT_SETTINGS, validateProgram, validateSettings } from '../../../src/domain/affiliate/program';
import { AffiliateValidationError } from '../../../src/domain/affiliate/validation';

const valid = {
  name: 'Partners',
  promocodeTemplate: 'partner@ID@',
  rewardPercent: '10',
  referralMonths: 12,
  websiteUrl: 'https://provider.example/',
};

function problemsOf(fn: () => unknown): readonly string[] {
  try {
    fn();
  } catch (err) {
    if (err instanceof AffiliateValidationError) return err.problems;
    throw err;
  }
  throw new Error('expected a validation error');
}

describe('affiliate program validation', () => {
  it('accepts a complete program and defaults the provider to project 1', () => {
    expect(validateProgram(valid)).toMatchObject({
      project: 1,
      promocodeTemplate: 'partner@ID@',
      clientGroup: null,
    });
  });

  it('refuses a promo code template without @ID@', () => {
    const problems = problemsOf(() => validateProgram({ ...valid, promocodeTemplate: 'PARTNER' }));
    expect(problems).toEqual([expect.stringContaining('must contain the macro @ID@')]);
  });

  it('names every problem of a bad program at once', () => {
    const problems = problemsOf(() =>
      validateProgram({
        name: ' ',
        promocodeTemplate: 'x y',
        rewardPercent: '150',
        referralMonths: -1,
        websiteUrl: 'javascript:alert(1)',
        clientGroup: 3,
        forbiddenGroup: 3,
      }),
    );
    expect(problems).toHaveLength(7);
    expect(problems.join('\n')).toMatch(/name is required/);
    expect(problems.join('\n')).toMatch(/@ID@/);
    expect(problems.join('\n')).toMatch(/letters, digits/);
    expect(problems.join('\n')).toMatch(/reward must be/);
    expect(problems.join('\n')).toMatch(/referral period/);
    expect(problems.join('\n')).toMatch(/website URL/);
    expect(problems.join('\n')).toMatch(/cannot be the same group/);
  });
});

describe('global settings', () => {
  it('applies changes over the current settings and validates the whole', () => {
    const next = validateSettings(DEFAULT_SETTINGS, {
      defaultPercent: '5',
      commissionDelayDays: 30,
      linkTemplate: 'https://provider.example/?ref=[AffiliateLinkCode]',
    });
    expect(next).toMatchObject({ defaultPercent: '5', commissionDelayDays: 30, autoApply: true });
    expect(validateSettings(next, { defaultPercent: null }).defaultPercent).toBeUndefined();
  });

  it('refuses a link template without [AffiliateLinkCode] and a negative delay together', () => {
    const problems = problemsOf(() =>
      validateSettings(DEFAULT_SETTINGS, {
        linkTemplate: 'https://provider.example/',
        commissionDelayDays: -2,
      }),
    );
    expect(problems).toHaveLength(2);
  });
});

describe('promo codes and links', () => {
  it('makes the promo code from the template and the partner id', () => {
    expect(promoCodeFor('partner@ID@', 42)).toBe('PARTNER42');
    expect(promoCodeFor('@ID@-vip-@ID@', 7)).toBe('7-VIP-7');
    expect(() => promoCodeFor('PARTNER', 1)).toThrow(/@ID@/);
  });

  it('compares typed codes trimmed and case-blind, and rejects anything outside the alphabet', () => {
    expect(normalizePromoCode(' partner42 ')).toBe('PARTNER42');
    expect(normalizePromoCode("x' OR 1=1 --")).toBeUndefined();
    expect(normalizePromoCode('a'.repeat(65))).toBeUndefined();
  });

  it('adds from=<id> to the website, keeping its own query', () => {
    expect(affiliateLink('https://provider.example', 12)).toBe('https://provider.example/?from=12');
    expect(affiliateLink('https://provider.example/hosting?lang=en', 12)).toBe(
      'https://provider.example/hosting?lang=en&from=12',
    );
    expect(templatedLink('https://provider.example/?ref=[AffiliateLinkCode]', 12)).toBe(
      'https://provider.example/?ref=12',
    );
  });

  it.each([
    ['https://provider.example/?from=12', 12],
    ['https://provider.example/vps?x=1&from=12&from=13', 12], // the first one counts
    ['https://provider.example/?from=0012', undefined],
    ['https://provider.example/?from=-1', undefined],
    ['https://provider.example/?from=1e3', undefined],
    ['https://provider.example/?from=99999999999', undefined],
    ['https://provider.example/?from=2147483648', undefined],
    ["https://provider.example/?from=1'%20OR%201=1", undefined],
    ['https://provider.example/?from=%3Cscript%3E', undefined],
    ['javascript:alert(1)//?from=1', undefined],
    ['not a url', undefined],
    [`https://provider.example/?pad=${'a'.repeat(3000)}&from=1`, undefined],
    [undefined, undefined],
  ])('reads the partner id of %s as %s', (page, id) => {
    expect(affiliateIdFromPage(page)).toBe(id);
  });

  it('parses a partner id strictly', () => {
    expect(parsePartnerId('2147483647')).toBe(2147483647);
    expect(parsePartnerId(' 5')).toBeUndefined();
    expect(parsePartnerId(null)).toBeUndefined();
  });
});
