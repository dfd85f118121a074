/** The panel descriptor agrees with what the module announces and with the period table. */
import { readFileSync } from 'node:fs';
import { parseStringPromise } from 'xml2js';
import { PRICE_COLUMNS, periodOfColumn } from '../../../src/domain/periods';
import { ITEM_TYPES } from '../../../src/contract/item-types';
import { featuresDoc } from '../../../src/entry/pmbillmgr';
import { MODULE_NAME } from '../../../src/module-name';
import { projectPath } from '../../../src/paths';
import { renderTemplate } from '../../../src/plugin/install';

type Node = { $?: Record<string, string>; _?: string; [child: string]: unknown };

let mgrdata: Node;

beforeAll(async () => {
  const text = renderTemplate(readFileSync(projectPath('etc', 'xml', 'module.xml'), 'utf8'));
  mgrdata = ((await parseStringPromise(text)) as { mgrdata: Node }).mgrdata;
});

const list = (node: unknown, child: string): Node[] => ((node as Node)[child] as Node[] | undefined) ?? [];
const metadata = (name: string) => list(mgrdata, 'metadata').find((m) => m.$?.name === name);
const fieldsOf = (form: Node | undefined): string[] => {
  const body = list(form, 'form')[0];
  return [...list(body, 'field'), ...list(body, 'page').flatMap((p) => list(p, 'field'))].map(
    (f) => f.$?.name ?? '',
  );
};

it('is a processing_module plugin named after MODULE_NAME (not the vendor pmbillmgr) for every resold product type', () => {
  const plugin = list(mgrdata, 'plugin')[0];
  expect(plugin?.$?.name).toBe(MODULE_NAME);
  expect(MODULE_NAME).not.toBe('pmbillmgr');
  expect(list(plugin, 'group')[0]).toBe('processing_module');
  expect(list(list(plugin, 'params')[0], 'type').map((t) => t.$?.name)).toEqual([...ITEM_TYPES]);
});

it('has a module form with exactly the params `features` announces', async () => {
  const features = (await parseStringPromise(featuresDoc())) as { doc: Node };
  const params = list(list(features.doc, 'params')[0], 'param').map((p) => p.$?.name);
  expect(fieldsOf(metadata(`processing.edit.${MODULE_NAME}`))).toEqual(params);
});

it('has the period comparison property form', () => {
  expect(fieldsOf(metadata(`processing.property.edit.${MODULE_NAME}`))).toEqual([
    'param',
    'source_period',
    'target_period',
    'use_pricelist',
    'itemtype',
    'pricelist',
  ]);
});

it('offers every host period with its API months', () => {
  const periods = list(mgrdata, 'slist').find((s) => s.$?.name === `${MODULE_NAME}_period`);
  const offered = list(periods, 'val').map((v) => [v._, Number(v.$?.key)]);
  expect(offered).toEqual(PRICE_COLUMNS.map((c) => [c, periodOfColumn(c)]));
});

it('names every form field in both languages', () => {
  for (const lang of list(mgrdata, 'lang')) {
    for (const form of [`processing.edit.${MODULE_NAME}`, `processing.property.edit.${MODULE_NAME}`]) {
      const messages = list(lang, 'messages').find((m) => m.$?.name === form);
      const names = new Set(list(messages, 'msg').map((m) => m.$?.name));
      for (const field of fieldsOf(metadata(form)))
        expect({ lang: lang.$?.name, field, named: names.has(field) }).toMatchObject({ named: true });
    }
  }
});
