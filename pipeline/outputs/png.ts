// Chart SVG → PNG with resvg, using one CJK font loaded explicitly: without it every Chinese
// character becomes a box (system fonts are not consulted, so a machine's setup cannot change the bytes).
import { existsSync } from 'node:fs';
import { Resvg } from '@resvg/resvg-js';

/** A font file with the family name its faces declare. */
export interface CjkFont {
  file: string;
  family: string;
}

/** Where the usual systems keep a Simplified Chinese sans font; the first that exists is used. */
export const CJK_FONT_CANDIDATES: readonly CjkFont[] = [
  // Debian / Ubuntu: apt-get install fonts-noto-cjk
  { file: '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc', family: 'Noto Sans CJK SC' },
  // Fedora: google-noto-sans-cjk-fonts; Arch: noto-fonts-cjk; Alpine: font-noto-cjk
  { file: '/usr/share/fonts/google-noto-sans-cjk-fonts/NotoSansCJK-Regular.ttc', family: 'Noto Sans CJK SC' },
  { file: '/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc', family: 'Noto Sans CJK SC' },
  // Windows
  { file: 'C:\\Windows\\Fonts\\msyh.ttc', family: 'Microsoft YaHei' },
];

/** The first candidate font that exists, or undefined (then no PNG is made: boxes are worse than none). */
export function findCjkFont(candidates: readonly CjkFont[] = CJK_FONT_CANDIDATES): CjkFont | undefined {
  return candidates.find((c) => existsSync(c.file));
}

/** Renders SVG text to PNG bytes at twice its size (sharp in documents and slides); deterministic. */
export function renderPng(svg: string, font: CjkFont, zoom = 2): Uint8Array {
  const resvg = new Resvg(svg, {
    fitTo: { mode: 'zoom', value: zoom },
    font: {
      fontFiles: [font.file],
      loadSystemFonts: false,
      defaultFontFamily: font.family,
      sansSerifFamily: font.family,
      serifFamily: font.family,
      monospaceFamily: font.family,
    },
  });
  return new Uint8Array(resvg.render().asPng());
}
