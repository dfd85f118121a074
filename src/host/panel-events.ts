/**
 * The panel's events the plugin listens to (contract section 6): which function, which fields, how the account is
 * found. Which functions carry a signup and an order, their fields and whether the visitor's cookie reaches the
 * handler are not public: every such fact is [assumed] and kept here, so that a host that differs is fixed here.
 */

/** The event handlers the plugin registers in its XML, each after the panel function succeeded. */
export const PANEL_EVENT_HANDLERS = {
  /** A client signs up. [assumed] function `register`. */
  signup: { handler: 'bmp_signup', events: ['register'] },
  /** An administrator creates an account, with its "Referral" field. [assumed] function `account.edit`. */
  account: { handler: 'bmp_account_referral', events: ['account.edit'] },
  /** A promo code typed at order. [assumed] the basket and order functions. */
  order: { handler: 'bmp_order_promocode', events: ['basket', 'order'] },
} as const;

/** [assumed] The form fields the handlers read. */
export const PANEL_FIELDS = {
  /** The new client's e-mail: how the signup's account is found among the host's accounts. */
  email: 'email',
  /** The partner id of the link the visitor followed, when the signup page carries it (`?from=<id>`). */
  from: 'from',
  /** A promo code typed at signup or order. */
  promocode: 'promocode',
  /** The "Referral" field of the account form: the partner's account, chosen by name. */
  referral: 'referral',
  /** The account form's name of the account being created. */
  accountName: 'name',
  /** The acting client's account at order, when the panel passes it. */
  account: 'account_id',
} as const;

/** [assumed] Where the host keeps the IP address an account signed up from: the sweep matches it to counter visits. */
export const SIGNUP_IP = { table: 'account', column: 'registration_ip' } as const;

/** The panel's CGI input: the function, its form's fields and the browser's cookie. */
export interface PanelInput {
  func: string;
  /** `ok` when a form is saved; '' when it only opens. */
  sok: string;
  elid: string;
  fields: ReadonlyMap<string, string>;
  cookie: string | undefined;
  remoteAddr: string | undefined;
}

/**
 * Reads what the panel passes an event handler: QUERY_STRING and, with `postdata="yes"`, the posted form on stdin
 * (both `application/x-www-form-urlencoded`). The posted value of a field wins over the query's.
 */
export function readPanelInput(env: Readonly<Record<string, string | undefined>>, body: string): PanelInput {
  const fields = new Map<string, string>();
  for (const source of [env.QUERY_STRING ?? '', body]) {
    for (const [key, value] of new URLSearchParams(source.trim())) fields.set(key, value);
  }
  return {
    func: fields.get('func') ?? '',
    sok: fields.get('sok') ?? '',
    elid: fields.get('elid') ?? '',
    fields,
    cookie: env.HTTP_COOKIE,
    remoteAddr: env.REMOTE_ADDR,
  };
}
