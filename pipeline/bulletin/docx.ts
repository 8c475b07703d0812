// 通报.docx: the bulletin model as a Word document, written with the `docx` library — A4, Chinese
// fonts (仿宋_GB2312 body, 方正小标宋 / 宋体 title, 黑体 headings, each with fallbacks declared in the
// font table), page numbers, the 汇总表 on a landscape page; same model → same bytes.
import JSZip from 'jszip';
import {
  AlignmentType,
  BorderStyle,
  Document,
  Footer,
  HeightRule,
  Packer,
  PageNumber,
  PageOrientation,
  Paragraph,
  Table,
  TableCell,
  TableLayoutType,
  TableRow,
  TextRun,
  VerticalAlign,
  WidthType,
} from 'docx';
import type { BulletinModel } from './draft.ts';
import { deterministicZip } from '../outputs/deterministic-zip.ts';

/** Fonts as official documents (GB/T 9704) name them, and what to use where they are missing. */
export const FONTS = {
  body: { name: '仿宋_GB2312', alt: '仿宋', family: 'modern' },
  title: { name: '方正小标宋简体', alt: '宋体', family: 'roman' },
  heading: { name: '黑体', alt: 'SimHei', family: 'modern' },
  table: { name: '宋体', alt: 'SimSun', family: 'roman' },
  latin: { name: 'Times New Roman', alt: '', family: 'roman' },
} as const;

const font = (f: { name: string }) => ({ ascii: FONTS.latin.name, hAnsi: FONTS.latin.name, eastAsia: f.name, cs: FONTS.latin.name });

// sizes in half-points: 二号 22pt, 三号 16pt, 四号 14pt, 五号 10.5pt, 小五 9pt
const SIZE = { title: 44, body: 32, small: 28, table: 18 };
// A4 in twips; margins per GB/T 9704 (天头 37 mm, 订口 28 mm)
const A4 = { width: 11906, height: 16838 };
const MARGIN = { top: 2098, bottom: 1984, left: 1588, right: 1474 };
const LANDSCAPE_MARGIN = 1134;
const LANDSCAPE_TEXT_WIDTH = A4.height - 2 * LANDSCAPE_MARGIN;

function pageFooter(): Footer {
  return new Footer({
    children: [
      new Paragraph({
        alignment: AlignmentType.CENTER,
        children: [new TextRun({ children: ['— ', PageNumber.CURRENT, ' —'], font: font(FONTS.latin), size: SIZE.small })],
      }),
    ],
  });
}

function bodyParagraph(runs: { text: string; pending?: boolean }[]): Paragraph {
  return new Paragraph({
    indent: { firstLine: 640 },
    spacing: { line: 560, lineRule: 'exact' as never },
    alignment: AlignmentType.JUSTIFIED,
    children: runs.map((r) => new TextRun({ text: r.text, font: font(FONTS.body), size: SIZE.body, bold: r.pending, color: r.pending ? 'C00000' : undefined })),
  });
}

function cellOf(text: string, opts: { bold?: boolean; rowSpan?: number; width?: number; align?: (typeof AlignmentType)[keyof typeof AlignmentType] } = {}): TableCell {
  return new TableCell({
    rowSpan: opts.rowSpan,
    width: opts.width ? { size: opts.width, type: WidthType.DXA } : undefined,
    verticalAlign: VerticalAlign.CENTER,
    margins: { left: 40, right: 40, top: 20, bottom: 20 },
    children: [new Paragraph({ alignment: opts.align ?? AlignmentType.CENTER, children: [new TextRun({ text, font: font(FONTS.table), size: SIZE.table, bold: opts.bold })] })],
  });
}

function summaryTable(m: BulletinModel): Table {
  const t = m.table;
  const head = ['类别', '指标', '计量单位', ...t.columns];
  const border = { style: BorderStyle.SINGLE, size: 4, color: '000000' };
  // 类别 | 指标 | 计量单位 wide enough for their words, the units' columns sharing the rest
  const fixed = [1100, 2900, 700];
  const each = Math.floor((LANDSCAPE_TEXT_WIDTH - fixed.reduce((a, b) => a + b, 0)) / t.columns.length);
  const widths = [...fixed, ...t.columns.map(() => each)];
  const rows = [
    new TableRow({ tableHeader: true, height: { value: 560, rule: HeightRule.ATLEAST }, children: head.map((h, i) => cellOf(h, { bold: true, width: widths[i] })) }),
    ...t.rows.map(
      (r) =>
        new TableRow({
          cantSplit: true,
          children: [
            ...(r.categorySpan ? [cellOf(r.category, { rowSpan: r.categorySpan, width: widths[0] })] : []),
            cellOf(r.name, { align: AlignmentType.LEFT, width: widths[1] }),
            cellOf(r.measure, { width: widths[2] }),
            ...r.cells.map((c, i) => cellOf(c, { align: AlignmentType.RIGHT, width: widths[3 + i] })),
          ],
        }),
    ),
  ];
  return new Table({
    width: { size: widths.reduce((a, b) => a + b, 0), type: WidthType.DXA },
    columnWidths: widths,
    layout: TableLayoutType.FIXED,
    borders: { top: border, bottom: border, left: border, right: border, insideHorizontal: border, insideVertical: border },
    rows,
  });
}

/** The model as a docx Document (no I/O). */
export function bulletinDocument(m: BulletinModel): Document {
  const body: Paragraph[] = [
    new Paragraph({
      alignment: AlignmentType.CENTER,
      spacing: { after: 400 },
      children: [new TextRun({ text: m.title, font: font(FONTS.title), size: SIZE.title })],
    }),
  ];
  if (m.intro) body.push(bodyParagraph([{ text: m.intro }]));
  for (const p of m.paragraphs) {
    body.push(new Paragraph({ indent: { firstLine: 640 }, keepNext: true, children: [new TextRun({ text: p.heading, font: font(FONTS.heading), size: SIZE.body })] }));
    body.push(bodyParagraph(p.runs));
  }
  if (m.pending.length) {
    body.push(new Paragraph({ indent: { firstLine: 640 }, keepNext: true, children: [new TextRun({ text: '待核实事项', font: font(FONTS.heading), size: SIZE.body })] }));
    m.pending.forEach((p, i) => body.push(bodyParagraph([{ text: `${i + 1}. ${p.where}：${p.reasons.join('；')}` }])));
  }
  const t = m.table;
  const tablePage = [
    new Paragraph({ children: [new TextRun({ text: '附表', font: font(FONTS.heading), size: SIZE.small })] }),
    new Paragraph({ alignment: AlignmentType.CENTER, spacing: { after: 120 }, children: [new TextRun({ text: t.title, font: font(FONTS.title), size: SIZE.small * 1.2 })] }),
    new Paragraph({ spacing: { after: 120 }, children: [new TextRun({ text: `制表单位：${t.issuer}`, font: font(FONTS.body), size: SIZE.table + 4 })] }),
    summaryTable(m),
    new Paragraph({
      spacing: { before: 120 },
      children: [new TextRun({ text: '注：“—”为不适用（该单位不报此项），“未报”为未报送，“待核实”为数据有误待核实。', font: font(FONTS.body), size: SIZE.table })],
    }),
  ];
  return new Document({
    creator: m.issuer,
    lastModifiedBy: m.issuer,
    title: m.title,
    description: `banbao ${m.period}`,
    revision: 1,
    styles: { default: { document: { run: { font: font(FONTS.body), size: SIZE.body } } } },
    sections: [
      {
        properties: { page: { size: { ...A4, orientation: PageOrientation.PORTRAIT }, margin: MARGIN, pageNumbers: { start: 1 } } },
        footers: { default: pageFooter() },
        children: body,
      },
      {
        properties: { page: { size: { ...A4, orientation: PageOrientation.LANDSCAPE }, margin: { top: LANDSCAPE_MARGIN, bottom: LANDSCAPE_MARGIN, left: LANDSCAPE_MARGIN, right: LANDSCAPE_MARGIN } } },
        footers: { default: pageFooter() },
        children: tablePage,
      },
    ],
  });
}

const FONT_TABLE = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:fonts xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">${Object.values(FONTS)
  .map(
    (f) =>
      `<w:font w:name="${f.name}">${f.alt ? `<w:altName w:val="${f.alt}"/>` : ''}<w:charset w:val="${f.name === FONTS.latin.name ? '00' : '86'}"/><w:family w:val="${f.family}"/><w:pitch w:val="variable"/></w:font>`,
  )
  .join('')}</w:fonts>`;

/**
 * Contract: the .docx bytes of the model — deterministic: fixed core dates (the given date, e.g. the
 * period's end), the font table declaring each Chinese font with its fallback (altName, GB2312
 * charset), and the package re-zipped with fixed entry dates and order.
 */
export async function bulletinDocx(m: BulletinModel, fixedDate: Date): Promise<Uint8Array> {
  const raw = await Packer.toBuffer(bulletinDocument(m));
  const zip = await JSZip.loadAsync(raw);
  const iso = fixedDate.toISOString().replace(/\.\d{3}Z$/, 'Z');
  const core = await zip.file('docProps/core.xml')!.async('string');
  zip.file(
    'docProps/core.xml',
    core
      .replace(/(<dcterms:created[^>]*>)[^<]*(<\/dcterms:created>)/, `$1${iso}$2`)
      .replace(/(<dcterms:modified[^>]*>)[^<]*(<\/dcterms:modified>)/, `$1${iso}$2`),
  );
  zip.file('word/fontTable.xml', FONT_TABLE);
  return deterministicZip(await zip.generateAsync({ type: 'uint8array' }));
}
