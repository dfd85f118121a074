/** What an import or sync changed on the host, and its XML report. */
import { buildDoc } from '../../contract/xml';

export type ChangeObject =
  'pricelist' | 'addon' | 'paramvalue' | 'enumeration' | 'enumerationitem' | 'enumerationprice';
export type ChangeAction = 'created' | 'added' | 'updated' | 'removed' | 'deleted';

export interface Change {
  object: ChangeObject;
  action: ChangeAction;
  /** Local id of the row concerned, when it has one. */
  id?: number;
  /** The selling id (add-ons). */
  remoteid?: string;
  /** The product type parameter (paramvalue changes). */
  param?: string;
  /** Intname of the value, item or add-on. */
  intname: string;
  /** Human-readable detail, e.g. "tags: linux -> linux,debian". */
  detail?: string;
}

export interface TariffReport {
  pricelist: number;
  remoteid: string;
  intname: string;
  name: string;
  /** import: 'created' or 'exists'; sync: 'synced'. */
  status: 'created' | 'exists' | 'synced';
  changes: Change[];
}

function changeNode(change: Change): Record<string, unknown> {
  const attrs: Record<string, string> = {
    object: change.object,
    action: change.action,
    intname: change.intname,
  };
  if (change.id !== undefined) attrs.id = String(change.id);
  if (change.remoteid !== undefined) attrs.remoteid = change.remoteid;
  if (change.param !== undefined) attrs.param = change.param;
  return change.detail ? { $: attrs, _: change.detail } : { $: attrs };
}

function tariffNode(report: TariffReport): Record<string, unknown> {
  return {
    id: report.pricelist,
    remoteid: report.remoteid,
    intname: report.intname,
    name: report.name,
    status: report.status,
    changes: report.changes.length ? { change: report.changes.map(changeNode) } : '',
  };
}

/** `<doc><pricelist><id/>..<changes><change object= action= intname=>detail</change></changes></pricelist></doc>` */
export function reportDoc(reports: readonly TariffReport[]): string {
  return buildDoc(reports.length ? { pricelist: reports.map(tariffNode) } : {});
}
