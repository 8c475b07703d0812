// Re-zips an OOXML package with fixed entry dates and order, so the same workbook gives the same bytes.
import JSZip from 'jszip';
import { cmp } from '../compare.ts';

export const FIXED_DATE = new Date('2000-01-01T00:00:00Z');

export async function deterministicZip(buffer: Uint8Array | ArrayBuffer): Promise<Uint8Array> {
  const src = await JSZip.loadAsync(buffer);
  const out = new JSZip();
  const names = Object.keys(src.files).filter((n) => !src.files[n].dir);
  // [Content_Types].xml first, as Excel writes it; the rest by name
  names.sort((a, b) => (a === '[Content_Types].xml' ? -1 : b === '[Content_Types].xml' ? 1 : cmp(a, b)));
  for (const name of names) {
    const data = await src.files[name].async('uint8array');
    out.file(name, data, { date: FIXED_DATE, createFolders: false });
  }
  return out.generateAsync({ type: 'uint8array', compression: 'DEFLATE', compressionOptions: { level: 6 }, platform: 'UNIX' });
}
