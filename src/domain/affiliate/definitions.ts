/**
 * The affiliate program's words, one place each (README, "Affiliates: the definitions"). The monthly run computes
 * them set-based in SQL, which says the same as the functions here for a page of partners at once:
 * `activeReferralSql` (src/db/affiliate/earning.ts) and `paidInvoiceSql` (src/db/payment.ts); the host facts they
 * rest on are [assumed] in src/host/facts.ts (IN_ARREARS_BELOW_BALANCE, CLIENT_PAYMENT).
 *
 * - An **active referral** in a month: a referral whose referral period overlaps the month, with a main service
 *   (not an add-on) active (status 2) and an account not in arrears (balance not below zero) when the run reads
 *   them, whatever the service's billing period: an annual plan paid up in January is active in June.
 * - A **paid invoice**: a client's payment for services, paid, through a payment method, with a positive amount;
 *   never a payment the plugin had the core make (rewards, later certificates), nor another credit without a
 *   payment method.
 * - The **referral period**: from the binding moment, inclusive, to the same moment N months later, exclusive
 *   (`referralPeriodEnd`); N = 0 has no end.
 * - The **month a run pays for**: the calendar month before the month of the run's date (`rewardMonthFor`).
 * - The program's **client group** and **forbidden group** apply to the partner, never to the referral: a partner
 *   outside the client group, or in the forbidden group, earns nothing (`partnerGroupRefusal`); its referrals'
 *   groups do not matter.
 */
export { rewardMonthFor, referralPeriodEnd, isWithinReferralPeriod } from './period';
export { partnerGroupRefusal } from './attribution';
