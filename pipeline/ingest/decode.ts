// Text decoding for CSV/TXT submissions: BOM sniff → strict UTF-8 → GB18030 (a GBK superset).
// TextDecoder is the WHATWG decoder (ICU in Node 20, the browser's own in check.html): no code pages here.

export type Encoding = 'utf-8' | 'utf-8-bom' | 'utf-16le' | 'utf-16be' | 'gb18030';

export interface Decoded {
  text: string;
  encoding: Encoding;
  /** how it was chosen, for the report: 'BOM', 'valid UTF-8', 'not UTF-8: GB18030' … */
  reason: string;
  /** UTF-8 with this many invalid sequences (each read as U+FFFD; the cells holding one are flagged) */
  invalid?: number;
}

/** Decodes bytes of a text submission, choosing the encoding as documented above. Never throws. */
export function decodeText(bytes: Uint8Array): Decoded {
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf)
    return { text: new TextDecoder('utf-8').decode(bytes.subarray(3)), encoding: 'utf-8-bom', reason: 'BOM' };
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe)
    return { text: new TextDecoder('utf-16le').decode(bytes.subarray(2)), encoding: 'utf-16le', reason: 'BOM' };
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff)
    return { text: new TextDecoder('utf-16be').decode(bytes.subarray(2)), encoding: 'utf-16be', reason: 'BOM' };
  // UTF-16 without a BOM: ASCII-heavy text has a NUL in every other byte.
  const sample = bytes.subarray(0, 4096);
  let evenNul = 0;
  let oddNul = 0;
  for (let i = 0; i < sample.length; i++) if (sample[i] === 0) i % 2 === 0 ? evenNul++ : oddNul++;
  const half = sample.length / 2;
  if (half >= 4 && oddNul > half * 0.3 && evenNul < half * 0.05)
    return { text: new TextDecoder('utf-16le').decode(bytes), encoding: 'utf-16le', reason: 'no BOM, NUL pattern' };
  if (half >= 4 && evenNul > half * 0.3 && oddNul < half * 0.05)
    return { text: new TextDecoder('utf-16be').decode(bytes), encoding: 'utf-16be', reason: 'no BOM, NUL pattern' };
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), encoding: 'utf-8', reason: 'valid UTF-8' };
  } catch {
    // UTF-8 with a few bad bytes (a cell pasted from elsewhere, a byte lost in transit): still UTF-8
    // when its valid multi-byte characters far outnumber the bad ones — GBK read as UTF-8 is almost all bad
    const lenient = new TextDecoder('utf-8').decode(bytes);
    let bad = 0;
    let good = 0;
    for (const ch of lenient) if (ch === '\uFFFD') bad++;
    else if (ch.charCodeAt(0) > 0x7f) good++;
    if (good >= 8 && good >= bad * 20)
      return { text: lenient, encoding: 'utf-8', reason: `UTF-8, ${bad} 处无效字节`, invalid: bad };
    return {
      text: new TextDecoder('gb18030').decode(bytes),
      encoding: 'gb18030',
      reason: 'not valid UTF-8: read as GB18030 (GBK)',
    };
  }
}
