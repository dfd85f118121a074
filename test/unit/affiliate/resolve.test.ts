import {
  partnerGroupRefusal,
  promoCodeRefusal,
  selfReferralReason,
} from '../../../src/domain/affiliate/attribution';
import { resolveRule, type RuleSources, type SourcedRule } from '../../../src/domain/affiliate/resolve';
import { parseRule } from '../../../src/domain/affiliate/rules';

const sourced = (ref: string, percent: string): SourcedRule => ({
  ref,
  rule: parseRule({ kind: 'percent_of_expenses', percent }),
});

describe('rule resolution: override > partner group > referral account type > program > default', () => {
  const all: RuleSources = {
    override: sourced('override:1', '30'),
    groupRules: [
      { ...sourced('group:9', '25'), id: 9, accountGroup: 200 },
      { ...sourced('group:4', '20'), id: 4, accountGroup: 100 },
    ],
    partnerGroups: new Set([100, 200]),
    typeRules: new Map([['business', sourced('type:business', '15')]]),
    programRule: sourced('program:1', '10'),
    defaultRule: sourced('default', '5'),
  };

  it('takes each level only when the ones above are missing', () => {
    expect(resolveRule(all, 'business')?.ref).toBe('override:1');
    const noOverride = { ...all, override: undefined };
    expect(resolveRule(noOverride, 'business')?.ref).toBe('group:4'); // the oldest of the partner's group rules
    const noGroup = { ...noOverride, partnerGroups: new Set<number>([300]) };
    expect(resolveRule(noGroup, 'Business ')?.ref).toBe('type:business');
    expect(resolveRule(noGroup, 'residential')?.ref).toBe('program:1');
    expect(resolveRule(noGroup, null)?.ref).toBe('program:1');
    expect(resolveRule({ ...noGroup, programRule: undefined }, 'residential')?.ref).toBe('default');
    expect(
      resolveRule({ ...noGroup, programRule: undefined, defaultRule: undefined }, 'residential'),
    ).toBeUndefined();
  });
});

describe('self-referral', () => {
  const partner = { account: 1, email: 'Owner@Example.com', payers: ['card:4242'] };
  it('is the same account, the same e-mail (case-blind) or the same payment identity', () => {
    expect(selfReferralReason(partner, { account: 1, payers: [] })).toBe('same_account');
    expect(selfReferralReason(partner, { account: 2, email: ' owner@example.com', payers: [] })).toBe(
      'same_email',
    );
    expect(selfReferralReason(partner, { account: 2, email: 'x@example.com', payers: ['CARD:4242'] })).toBe(
      'same_payer',
    );
    expect(
      selfReferralReason(partner, { account: 2, email: 'x@example.com', payers: ['card:1111', ''] }),
    ).toBeUndefined();
    expect(
      selfReferralReason({ account: 1, email: '', payers: [''] }, { account: 2, email: '', payers: [''] }),
    ).toBe(undefined);
  });
});

describe('promo code use', () => {
  const fine = { codeKnown: true, alreadyReferred: false, unpaidServices: 1 };
  it('binds on first use with at most one unpaid service', () => {
    expect(promoCodeRefusal(fine)).toBeUndefined();
    expect(promoCodeRefusal({ ...fine, unpaidServices: 0 })).toBeUndefined();
  });
  it('is refused on a second use, with several unpaid services, for an unknown code, or a self-referral', () => {
    expect(promoCodeRefusal({ ...fine, alreadyReferred: true })).toBe('already_referred');
    expect(promoCodeRefusal({ ...fine, unpaidServices: 2 })).toBe('unpaid_services');
    expect(promoCodeRefusal({ ...fine, codeKnown: false })).toBe('unknown_code');
    expect(promoCodeRefusal({ ...fine, selfReferral: 'same_email' })).toBe('same_email');
  });
});

describe('program groups', () => {
  it('refuses a partner in the forbidden group, or outside the client group', () => {
    const program = { clientGroup: 10, forbiddenGroup: 20 };
    expect(partnerGroupRefusal(new Set([10]), program)).toBeUndefined();
    expect(partnerGroupRefusal(new Set([10, 20]), program)).toBe('partner_forbidden');
    expect(partnerGroupRefusal(new Set([30]), program)).toBe('partner_not_in_group');
    expect(partnerGroupRefusal(new Set(), { clientGroup: null, forbiddenGroup: null })).toBeUndefined();
  });
});
