/** `handlers/bmp_signup`: the panel's after-handler of a client's signup; binds the client to its partner. */
import { runPanelEvent, type PanelEventIo } from './panel-event';

const HELP = `bmp_signup: panel event handler (after "register"), installed in addon/ and registered in the plugin's XML.

Reads the signup form the panel passes (QUERY_STRING and the posted form on stdin), finds the new account by its
e-mail and binds it to a partner: the promo code typed, else the partner link the counter recorded for the
visitor's cookie, else the link's ?from= id. Prints <doc/>; never fails the signup.`;

export function run(io?: PanelEventIo): Promise<void> {
  return runPanelEvent(
    'bmp_signup',
    HELP,
    async (db, input, now) => (await import('../affiliate/panel-binding')).bindOnSignup(db, input, now),
    io,
  );
}
