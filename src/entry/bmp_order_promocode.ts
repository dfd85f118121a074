/** `handlers/bmp_order_promocode`: the panel's after-handler of an order; a promo code typed binds the client. */
import { runPanelEvent, type PanelEventIo } from './panel-event';

const HELP = `bmp_order_promocode: panel event handler (after the basket and order functions), installed in addon/ and
registered in the plugin's XML.

A promo code typed at order binds the ordering client to the code's partner on its first use. Prints <doc/>;
never fails the order.`;

export function run(io?: PanelEventIo): Promise<void> {
  return runPanelEvent(
    'bmp_order_promocode',
    HELP,
    async (db, input, now) => (await import('../affiliate/panel-binding')).bindOnOrder(db, input, now),
    io,
  );
}
