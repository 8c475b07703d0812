// Compare two report folders for reviewers — pure: folders in memory in, a ReportDiff out.
//
//   A, B ──▶ mode ──────────▶ catalogue ──▶ units ──▶ inputs ──────▶ values ───────▶ totals ──▶ statuses ──────▶ findings
//            same period in    items added,   reported   files whose    (unit,indicator)  全市 rows  (scope,indicator,  new, resolved,
//            both manifests:   dropped,       on one     sha256 moved   Δ, Δ%, provenance  of recon-  published_id)     persisting
//            runs, else        renamed,       side only  (runs only)    (flow vs level)    ciliation  transitions
//            periods           moved, basis
//
// Every list is sorted by its key; rows then go in section order, then change order (stable sort).
import { diffCatalogue, itemOrder } from './catalogue.ts';
import { diffFindings } from './findings.ts';
import type { ReportFolder } from './folder.ts';
import { diffInputs } from './inputs.ts';
import { CHANGES, SECTIONS, type DiffMode, type DiffRow, type ReportDiff, type SideInfo } from './model.ts';
import { diffStatuses, diffTotals } from './reconciliation.ts';
import { diffUnits, diffValues, valueGrid } from './values.ts';

export interface DiffOptions {
  /** absolute: |after − before| ≤ tolerance is unchanged (default 0) */
  tolerance?: number;
}

function sideInfo(f: ReportFolder): SideInfo {
  return { name: f.name, period: f.period, catalogue_version: f.catalogue.version, tool_version: f.manifest.tool.version ?? '' };
}

/** Two runs of one period when both manifests name the same period; otherwise two periods. */
export function diffMode(a: ReportFolder, b: ReportFolder): DiffMode {
  return a.period === b.period ? 'runs' : 'periods';
}

const bySectionThenChange = (x: DiffRow, y: DiffRow) => SECTIONS.indexOf(x.section) - SECTIONS.indexOf(y.section) || CHANGES.indexOf(x.change) - CHANGES.indexOf(y.change);

/** The whole comparison of A (before) and B (after). */
export function diffReports(a: ReportFolder, b: ReportFolder, opts: DiffOptions = {}): ReportDiff {
  const tolerance = opts.tolerance ?? 0;
  const mode = diffMode(a, b);
  const order = itemOrder(a.catalogue, b.catalogue);
  const unitNames = new Map([...a.values, ...b.values].map((v) => [v.unit, v.unit_name]));

  const catalogue = diffCatalogue(a.catalogue, b.catalogue);
  const units = diffUnits(a, b);
  const inputs = mode === 'runs' ? diffInputs(a.manifest, b.manifest, { a: a.name, b: b.name }, (c) => unitNames.get(c) ?? '') : [];
  const values = diffValues(a, b, { mode, tolerance, order });
  const totals = diffTotals(a, b, order, tolerance);
  const statuses = diffStatuses(a, b, order);
  const findings = diffFindings(a, b, mode, order);

  const rows = [...catalogue, ...units, ...inputs, ...values, ...totals, ...statuses.rows, ...findings.rows].sort(bySectionThenChange);
  const carried = [...statuses.carried, ...findings.carried].sort(bySectionThenChange);
  const min_base = b.catalogue.rules.change_min_base;
  return { a: sideInfo(a), b: sideInfo(b), mode, tolerance, min_base, rows, carried, grid: valueGrid(a, b, { mode, tolerance, order }, units) };
}

/**
 * Value changes worth a reviewer's first look: the largest |Δ%|, then |Δ|. A change on a base below
 * the catalogue's change_min_base (1 → 2 is +100%) ranks after every change on a real base.
 */
export function topChanges(diff: ReportDiff, n = 10): DiffRow[] {
  const mag = (r: DiffRow) => [
    typeof r.before === 'number' && Math.abs(r.before) >= diff.min_base ? 1 : 0,
    r.delta_pct === null ? -1 : Math.abs(r.delta_pct),
    r.delta === null ? -1 : Math.abs(r.delta),
  ];
  return diff.rows
    .filter((r) => r.section === 'value' && r.change === 'changed' && r.delta !== null)
    .map((r, i) => ({ r, i, m: mag(r) }))
    .sort((x, y) => y.m[0] - x.m[0] || y.m[1] - x.m[1] || y.m[2] - x.m[2] || x.i - y.i)
    .slice(0, n)
    .map((x) => x.r);
}
