// A report folder's contents, already read into memory, parsed and checked: what the diff compares.
// No disk here: the CLI reads the files and hands their text over.
import Papa from 'papaparse';
import { z } from 'zod';
import { Catalogue } from '../../schemas/catalogue.ts';
import { Finding } from '../../schemas/finding.ts';
import { ReconciledRow, ReconciliationRow } from '../../schemas/reconciled.ts';

/** The files of reports/<period>/ the diff reads; all must be there. */
export const REQUIRED_FILES = ['manifest.json', 'catalogue.json', 'reconciled.csv', 'reconciliation.csv', 'findings.json'] as const;
export type RequiredFile = (typeof REQUIRED_FILES)[number];

/** One row of reconciled.csv, as far as the diff needs it: the row schema of schemas/reconciled.ts. */
export const ValueRow = ReconciledRow.pick({ unit: true, unit_name: true, indicator: true, value: true, status: true, file: true, sheet: true, cell: true, raw: true })
  .extend({ unit: z.string().min(1), indicator: z.string().min(1) })
  .strip();
export type ValueRow = z.infer<typeof ValueRow>;

/** One row of reconciliation.csv, as far as the diff needs it. */
export const StatusRow = ReconciliationRow.pick({ scope: true, name_zh: true, published_id: true, text: true, interval: true, computed: true, status: true, difference: true })
  .extend({ scope_code: z.string().min(1), indicator: z.string().min(1) })
  .strip();
export type StatusRow = z.infer<typeof StatusRow>;

/** manifest.json: the period, the tool, and each input with its SHA-256. */
export const ManifestShape = z.object({
  tool: z.object({ name: z.string(), version: z.string() }).partial().default({}),
  period: z.string().min(1),
  catalogue_version: z.string().default(''),
  inputs: z.array(z.object({ file: z.string(), sha256: z.string(), unit: z.string().default('') })),
});
export type ManifestShape = z.infer<typeof ManifestShape>;

const FindingsFile = z.object({ period: z.string().optional(), findings: z.array(Finding) });

export interface ReportFolder {
  /** the folder's base name (2018H1), used to name the diff */
  name: string;
  period: string;
  manifest: ManifestShape;
  catalogue: Catalogue;
  values: ValueRow[];
  reconciliation: StatusRow[];
  findings: Finding[];
}

export type FolderParse = { ok: true; folder: ReportFolder } | { ok: false; missing: RequiredFile[]; problems: string[] };

const NUMERIC = { value: true, computed: true, difference: true } as const;

/** Undoes the CSV writer's formula neutralising ('=…, '-…) so raw text compares as written. */
function unneutralise(s: string): string {
  return /^'[=+\-@\t\r]/.test(s) ? s.slice(1) : s;
}

function parseCsv(text: string, file: string, need: string[], problems: string[]): Record<string, unknown>[] {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const parsed = Papa.parse<Record<string, string>>(body, { header: true, skipEmptyLines: 'greedy', dynamicTyping: false });
  const fields = parsed.meta.fields ?? [];
  const lacking = need.filter((c) => !fields.includes(c));
  if (lacking.length) {
    problems.push(`${file} 缺少列 ${lacking.join('、')}`);
    return [];
  }
  return parsed.data.map((r) => {
    const out: Record<string, unknown> = {};
    for (const c of need) {
      const v = r[c] ?? '';
      if (c in NUMERIC) out[c] = v.trim() === '' ? null : Number(v);
      else out[c] = unneutralise(v);
    }
    return out;
  });
}

function issueText(file: string, e: z.ZodError, rowOffset = 0): string {
  const i = e.issues[0];
  const rest = i.path.slice(1).map(String).join('.');
  const where = !i.path.length ? '' : typeof i.path[0] === 'number' ? `第 ${i.path[0] + rowOffset} 行 ${rest}`.trim() : i.path.map(String).join('.');
  return `${file} 内容不对${where ? `（${where}）` : ''}：${i.message}`;
}

function parseJson(text: string, file: string, problems: string[]): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    problems.push(`${file} 不是有效的 JSON：${(e as Error).message}`);
    return undefined;
  }
}

/**
 * Parses a report folder's files (name → text). Missing files and malformed content are listed,
 * in Chinese, never thrown: the CLI turns them into one clear message and exit status 2.
 */
export function parseReportFolder(name: string, texts: Partial<Record<RequiredFile, string>>): FolderParse {
  const missing = REQUIRED_FILES.filter((f) => texts[f] === undefined);
  if (missing.length) return { ok: false, missing, problems: [] };
  const problems: string[] = [];

  const manifestJson = parseJson(texts['manifest.json']!, 'manifest.json', problems);
  const manifest = manifestJson === undefined ? undefined : ManifestShape.safeParse(manifestJson);
  if (manifest && !manifest.success) problems.push(issueText('manifest.json', manifest.error));

  const catalogueJson = parseJson(texts['catalogue.json']!, 'catalogue.json', problems);
  const catalogue = catalogueJson === undefined ? undefined : Catalogue.safeParse(catalogueJson);
  if (catalogue && !catalogue.success) problems.push(issueText('catalogue.json', catalogue.error));

  const findingsJson = parseJson(texts['findings.json']!, 'findings.json', problems);
  const findings = findingsJson === undefined ? undefined : FindingsFile.safeParse(findingsJson);
  if (findings && !findings.success) problems.push(issueText('findings.json', findings.error));

  // CSV data rows start on line 2: report a row by its line number
  const values = z.array(ValueRow).safeParse(parseCsv(texts['reconciled.csv']!, 'reconciled.csv', Object.keys(ValueRow.shape), problems));
  if (!values.success) problems.push(issueText('reconciled.csv', values.error, 2));
  const statuses = z.array(StatusRow).safeParse(parseCsv(texts['reconciliation.csv']!, 'reconciliation.csv', Object.keys(StatusRow.shape), problems));
  if (!statuses.success) problems.push(issueText('reconciliation.csv', statuses.error, 2));

  if (values.success) {
    const seen = new Set<string>();
    for (const v of values.data) {
      const k = `${v.unit}\u0000${v.indicator}`;
      if (seen.has(k)) problems.push(`reconciled.csv 中 ${v.unit} ${v.indicator} 出现了两次`);
      seen.add(k);
    }
  }
  if (problems.length || !manifest?.success || !catalogue?.success || !findings?.success || !values.success || !statuses.success)
    return { ok: false, missing: [], problems };
  return {
    ok: true,
    folder: {
      name,
      period: manifest.data.period,
      manifest: manifest.data,
      catalogue: catalogue.data,
      values: values.data,
      reconciliation: statuses.data,
      findings: findings.data.findings,
    },
  };
}
