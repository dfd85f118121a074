/** Last line of defence for secrets: scrubs credentials out of any text bound for a log or an error document. */

const SECRET_QUERY = /\b(password|passwd|auth|authinfo|sessionid|DBPassword)=([^&\s"'<]+)/gi;
const SECRET_XML = /<(password|DBPassword|authinfo)>[^<]*<\/\1>/gi;
const URL_CREDENTIALS = /\b([a-z][a-z0-9+.-]*:\/\/)([^/\s:@]+):([^/\s@]+)@/gi;

const known = new Set<string>();

/** Registers a value (a password, a session id) that must never appear in output. */
export function registerSecret(value: string | undefined): void {
  if (value && value.length >= 4) known.add(value);
}

export function redact(text: string): string {
  let out = text
    .replace(SECRET_QUERY, (_m, key: string) => `${key}=***`)
    .replace(SECRET_XML, (_m, tag: string) => `<${tag}>***</${tag}>`)
    .replace(URL_CREDENTIALS, (_m, scheme: string, user: string) => `${scheme}${user}:***@`);
  for (const secret of known) out = out.split(secret).join('***');
  return out;
}
