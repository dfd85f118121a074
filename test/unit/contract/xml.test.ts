/** The one XML builder: what it writes, the host (and our own parser) reads back unchanged. */
import { HostError } from '../../../src/contract/errors';
import { asList, buildDoc, errorDoc, errorOf, parseXml } from '../../../src/contract/xml';

describe('buildDoc', () => {
  it('writes an empty document as <doc/>', () => {
    expect(buildDoc().trim()).toBe('<doc/>');
  });

  it('round-trips attributes, text, repeated elements and empty ones', async () => {
    const xml = buildDoc({
      itemtypes: { itemtype: [{ $: { name: 'vds' } }, { $: { name: 'certificate' } }] },
      service_id: 42,
      ok: null,
    });
    const doc = await parseXml(xml, 'test');
    const itemtypes = doc.itemtypes as { itemtype: { $: { name: string } }[] };
    expect(itemtypes.itemtype.map((t) => t.$.name)).toEqual(['vds', 'certificate']);
    expect(doc.service_id).toBe('42');
    expect(doc.ok).toBe('');
  });

  it('escapes markup in text and attributes so hostile values cannot inject elements', async () => {
    const hostile = `</msg><error type="x">&amp; "quoted" 'single' <script>`;
    const xml = buildDoc({ elem: { $: { name: hostile }, _: hostile } });
    expect(xml).not.toContain('<script>');
    const elem = (await parseXml(xml, 'test')).elem as { $: { name: string }; _: string };
    expect(elem.$.name).toBe(hostile);
    expect(elem._).toBe(hostile);
  });

  it('replaces characters XML cannot carry instead of failing, so an error document always prints', async () => {
    const xml = buildDoc({ msg: 'bell\u0007 and nul\u0000 here' });
    expect((await parseXml(xml, 'test')).msg).toBe('bell\uFFFD and nul\uFFFD here');
  });

  it('keeps line breaks inside attribute values', async () => {
    const doc = await parseXml(buildDoc({ p: { $: { v: 'a\nb\tc' } } }), 'test');
    expect((doc.p as { $: { v: string } }).$.v).toBe('a\nb\tc');
  });
});

describe('errorDoc and errorOf', () => {
  it('write and read back the host error document with type, object, params and message', async () => {
    const error = new HostError('value', 'period', 'no mapping for 6 months', { value: '6' });
    const read = errorOf(await parseXml(errorDoc(error), 'test'));
    expect(read).toMatchObject({ type: 'value', object: 'period', message: 'no mapping for 6 months' });
    expect(read?.params).toEqual({ value: '6' });
  });
});

describe('parseXml', () => {
  it('names the source of a malformed document', async () => {
    await expect(parseXml('<doc><elem>', 'mgrctl paramlist')).rejects.toThrow(
      /malformed XML from mgrctl paramlist/,
    );
  });

  it('refuses a document whose root is not <doc>', async () => {
    await expect(parseXml('<html></html>', 'selling')).rejects.toThrow(/not a <doc> document/);
  });

  it('asList gives a list for one, several or no elements', () => {
    expect(asList({ id: '1' })).toEqual([{ id: '1' }]);
    expect(asList([{ id: '1' }, { id: '2' }])).toHaveLength(2);
    expect(asList(undefined)).toEqual([]);
  });
});
