// Hand-made report folders in memory: the shipped 2018H1 catalogue, a few values, statuses and
// findings, and a manifest — so each test builds exactly the pair of folders it talks about.
import type { Catalogue } from '../../schemas/catalogue.ts';
import { Finding, type FindingInput } from '../../schemas/finding.ts';
import type { ReportFolder, StatusRow, ValueRow } from '../../pipeline/diff/folder.ts';
import { loadCatalogue } from '../../pipeline/reference/load.ts';
import { DATA, reference } from '../helpers.ts';

export const catalogue = (period = '2018H1'): Catalogue => structuredClone(loadCatalogue(DATA, period));

const unitName = (code: string) => reference().units.find((u) => u.code === code)?.name ?? code;

/** A value row: a number, or 'na' / 'missing' / 'invalid'; `at` gives file, cell and raw text. */
export function v(unit: string, indicator: string, value: number | 'na' | 'missing' | 'invalid', at: { file?: string; sheet?: string; cell?: string; raw?: string } = {}): ValueRow {
  const isNum = typeof value === 'number';
  return {
    unit,
    unit_name: unitName(unit),
    indicator,
    value: isNum ? value : null,
    status: isNum ? 'value' : value,
    file: at.file ?? (value === 'missing' ? '' : `${unitName(unit)}_2018H1.xlsx`),
    sheet: at.sheet ?? '',
    cell: at.cell ?? '',
    raw: at.raw ?? (isNum ? String(value) : ''),
  };
}

export function status(indicator: string, st: StatusRow['status'], computed: number | null, extra: Partial<StatusRow> = {}): StatusRow {
  return {
    scope_code: '330200',
    scope: '全市',
    indicator,
    name_zh: indicator,
    published_id: indicator,
    text: '100',
    interval: '[100, 100]',
    computed,
    status: st,
    difference: null,
    ...extra,
  };
}

export function f(code: FindingInput['code'], extra: Partial<FindingInput> = {}): Finding {
  return Finding.parse({ severity: 'warning', message: `${code} 的说明`, ...extra, code });
}

export function folder(opts: {
  name?: string;
  period?: string;
  catalogue?: Catalogue;
  values?: ValueRow[];
  reconciliation?: StatusRow[];
  findings?: Finding[];
  inputs?: { file: string; sha256: string; unit?: string }[];
}): ReportFolder {
  const period = opts.period ?? '2018H1';
  return {
    name: opts.name ?? period,
    period,
    manifest: { tool: { name: 'banbao', version: '0.1.0' }, period, catalogue_version: `${period}-v1`, inputs: (opts.inputs ?? []).map((i) => ({ unit: '', ...i })) },
    catalogue: opts.catalogue ?? catalogue(),
    values: opts.values ?? [],
    reconciliation: opts.reconciliation ?? [],
    findings: opts.findings ?? [],
  };
}

/** [section, change, unit, indicator] of each row: the first thing a diff test compares. */
export const kinds = (rows: { section: string; change: string; unit: string; indicator: string }[]) => rows.map((r) => [r.section, r.change, r.unit, r.indicator]);
