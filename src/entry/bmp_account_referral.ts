/** `handlers/bmp_account_referral`: the panel's after-handler of the account form; binds the "Referral" chosen. */
import { runPanelEvent, type PanelEventIo } from './panel-event';

const HELP = `bmp_account_referral: panel event handler (after "account.edit"), installed in addon/ and registered in
the plugin's XML.

When an administrator saves an account form with a "Referral" account chosen by name, binds the account to that
partner. Prints <doc/>; never fails the form.`;

export function run(io?: PanelEventIo): Promise<void> {
  return runPanelEvent(
    'bmp_account_referral',
    HELP,
    async (db, input, now) => (await import('../affiliate/panel-binding')).bindOnAccountForm(db, input, now),
    io,
  );
}
