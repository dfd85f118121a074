/** Who is calling: func=auth opens a session; other calls carry auth=SID or the stateless authinfo=user:pass. */
import { HostError } from '../contract/errors';
import type { SandboxState } from './state';
import type { AccountView } from './types';

type Params = Readonly<Record<string, string>>;

const badCredentials = (): HostError => new HostError('auth', 'badpassword', 'Invalid username or password');

/** func=auth: checks the password and answers the new session id. */
export function openSession(state: SandboxState, params: Params): string {
  const account = state.authenticate(params.username ?? '', params.password ?? '');
  if (!account) throw badCredentials();
  return state.startSession(account.username);
}

/** The account behind a call, or type="auth": object="session" when the session is unknown or expired. */
export function callerOf(state: SandboxState, params: Params): AccountView {
  if (params.authinfo !== undefined) {
    const colon = params.authinfo.indexOf(':');
    const account =
      colon > 0
        ? state.authenticate(params.authinfo.slice(0, colon), params.authinfo.slice(colon + 1))
        : undefined;
    if (!account) throw badCredentials();
    return account;
  }
  const username = params.auth ? state.sessionUser(params.auth) : undefined;
  if (!username)
    throw new HostError('auth', 'session', 'Session is not valid or has expired: authenticate again');
  return state.account(username);
}
