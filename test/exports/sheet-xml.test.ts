import { describe, expect, it } from 'vitest';
import { columnLetters, rowXml, Utf8Buffer, xmlText } from '../../src/exports/sheet-xml.js';

describe('sheet XML', () => {
  it('names columns as spreadsheets do', () => {
    expect([0, 12, 25, 26, 27, 51, 52, 701, 702].map(columnLetters)).toEqual(['A', 'M', 'Z', 'AA', 'AB', 'AZ', 'BA', 'ZZ', 'AAA']);
  });

  it('escapes markup and leaves out what XML 1.0 cannot hold', () => {
    expect(xmlText('plain → text')).toBe('plain → text');
    expect(xmlText('a<b & "c">\u0000d\u0008\te\u001Ff\n')).toBe('a&lt;b &amp; &quot;c&quot;&gt;d\tef\n');
  });

  it('writes numbers in their column style (given as numbers or as their text), text inline, and no cell for null', () => {
    const letters = ['A', 'B', 'C', 'D', 'E'];
    expect(rowXml(7, ['C-1', 46174.375, null, ' x ', '46174.041666666664'], [undefined, 3, undefined, undefined, 3], letters)).toBe(
      '<row r="7"><c r="A7" t="inlineStr"><is><t>C-1</t></is></c><c r="B7" s="3"><v>46174.375</v></c>' +
        '<c r="D7" t="inlineStr"><is><t xml:space="preserve"> x </t></is></c><c r="E7" s="3"><v>46174.041666666664</v></c></row>',
    );
    expect(rowXml(2, [42], [undefined], letters)).toBe('<row r="2"><c r="A2"><v>42</v></c></row>');
  });

  it('gathers text as UTF-8, taken piece by piece', () => {
    const buffer = new Utf8Buffer();
    buffer.add('→'.repeat(400_000));
    buffer.add('ok');
    expect(buffer.length).toBe(1_200_002);
    const bytes = buffer.take();
    expect(bytes.toString('utf8')).toBe(`${'→'.repeat(400_000)}ok`);
    expect(buffer.length).toBe(0);
    buffer.add('next');
    expect(buffer.take().toString()).toBe('next');
  });
});
