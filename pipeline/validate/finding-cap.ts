// The findings a detail file's rows give are bounded (#16: any file inside the limits is read in
// bounded memory). A million bad rows would otherwise be millions of findings held at once: a 63 MB
// file of bad figures took 2.9 GB before it failed. A file lists its first LISTED findings of each
// kind (code), over all its units — more than a district's villages, so a district's own file is
// listed whole unless one kind fills several of its columns; the rest are counted and said once per
// unit and kind (findings.omitted), with the severity of what they count and where the first of them
// is. The figures are judged as before: an unlisted finding still makes its column invalid.
import type { Finding, FindingCode } from '../../schemas/finding.ts';
import { finding, TEMPLATES } from '../messages.ts';
import { FINDING_KIND_ZH } from '../outputs/labels.ts';

/**
 * Where findings go as they are made: an array, or a bounded list. A bounded list also says whether it
 * `wants` a finding of a kind (else `count` it, and nothing need be made: a million bad cells are
 * counted, not each made into a message and dropped).
 */
export type FindingSink = { push(...f: Finding[]): number; wants?(code: FindingCode): boolean; count?(code: FindingCode, indicator: string): void };

/** Findings of one kind listed for one file, over all its units. */
export const LISTED = 1000;

/** A file's count of findings listed, per kind, shared by its units' lists. */
export class FileFindings {
  private readonly listed = new Map<FindingCode, number>();
  /** Whether one more finding of this kind may be listed for the file. */
  has(code: FindingCode): boolean {
    return (this.listed.get(code) ?? 0) < LISTED;
  }

  /** Whether one more finding of this kind may be listed for the file (and counts it if so). */
  take(code: FindingCode): boolean {
    const n = this.listed.get(code) ?? 0;
    if (n >= LISTED) return false;
    this.listed.set(code, n + 1);
    return true;
  }
}

interface Omitted {
  n: number;
  first: Finding;
  /** the item all of them are of, or '' when they are of several */
  indicator: string;
}

/** One unit's findings from one file's rows: push as to an array, then finish() for the list. */
export class CappedFindings {
  private readonly items: Finding[] = [];
  private readonly omitted = new Map<FindingCode, Omitted>();
  constructor(private readonly file: FileFindings) {}

  /** Whether a finding of this kind would be listed, or be the first counted (whose place is said). */
  wants(code: FindingCode): boolean {
    return this.file.has(code) || !this.omitted.has(code);
  }

  /** A finding of this kind that is not wanted, counted without being made. */
  count(code: FindingCode, indicator: string): void {
    const o = this.omitted.get(code)!;
    o.n++;
    if (o.indicator !== indicator) o.indicator = '';
  }

  push(...fs: Finding[]): number {
    for (const f of fs) {
      if (this.file.take(f.code)) {
        this.items.push(f);
        continue;
      }
      const o = this.omitted.get(f.code);
      if (!o) this.omitted.set(f.code, { n: 1, first: f, indicator: f.indicator });
      else {
        o.n++;
        if (o.indicator !== f.indicator) o.indicator = '';
      }
    }
    return this.items.length;
  }

  /** The findings listed, in the order they came, then one per kind of those only counted. */
  finish(): Finding[] {
    for (const [code, { n, first, indicator }] of this.omitted) {
      const where = [first.sheet, first.cell || (first.row !== null ? `第 ${first.row} 行` : '')].filter(Boolean).join(' ');
      this.items.push({
        ...finding('findings.omitted', { file: first.file, sheet: first.sheet, unit: first.unit, period: first.period, indicator, raw: where }, { what: FINDING_KIND_ZH[code], value: String(n), limit: String(LISTED) }),
        severity: TEMPLATES[code].severity,
        refs: `${code} ×${n}`,
      });
    }
    this.omitted.clear();
    return this.items;
  }
}
