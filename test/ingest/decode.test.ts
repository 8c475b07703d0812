import { describe, expect, it } from 'vitest';
import { decodeText } from '../../pipeline/ingest/decode.ts';
import { encodeText } from '../helpers.ts';

const TEXT = '指标名称,本期数\r\n悬挂红色标识的行政村,２０４\r\n正风肃纪监督检查,"1,248"\r\n';

describe('decodeText', () => {
  it.each([
    ['utf-8', 'utf-8'],
    ['utf-8-bom', 'utf-8-bom'],
    ['gbk', 'gb18030'],
    ['utf-16le-bom', 'utf-16le'],
    ['utf-16be-bom', 'utf-16be'],
  ] as const)('reads %s bytes back to the same Chinese text and reports %s', (enc, reported) => {
    const d = decodeText(encodeText(TEXT, enc));
    expect(d.text).toBe(TEXT);
    expect(d.encoding).toBe(reported);
  });

  it('reads GBK even when a short file is mostly ASCII (detectors guess Big5 there)', () => {
    const d = decodeText(encodeText('a,b\r\n鄞州,1\r\n', 'gbk'));
    expect(d).toMatchObject({ text: 'a,b\r\n鄞州,1\r\n', encoding: 'gb18030' });
  });

  it('reads UTF-16LE without a BOM by its NUL pattern', () => {
    const bytes = encodeText('指标名称\t本期数\r\ninspections\t3164\r\n', 'utf-16le-bom').subarray(2);
    expect(decodeText(bytes)).toMatchObject({ encoding: 'utf-16le', text: '指标名称\t本期数\r\ninspections\t3164\r\n' });
  });
});
