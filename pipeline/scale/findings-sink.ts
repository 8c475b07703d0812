// Where streamed findings go: a bounded in-memory collector (the first N, and a count per code), and
// optionally a writer that appends every finding to findings.csv as it comes (outputs stay bounded too).
import type { Finding } from '../../schemas/finding.ts';

export interface FindingSink {
  add(f: Finding): void;
}

/** Keeps the first `keep` findings and counts all of them by code and severity. */
export class FindingCollector implements FindingSink {
  readonly kept: Finding[] = [];
  readonly byCode = new Map<string, number>();
  total = 0;
  errors = 0;
  warnings = 0;
  constructor(
    readonly keep = 10_000,
    readonly next?: FindingSink,
  ) {}
  add(f: Finding): void {
    this.total++;
    if (f.severity === 'error') this.errors++;
    else this.warnings++;
    this.byCode.set(f.code, (this.byCode.get(f.code) ?? 0) + 1);
    if (this.kept.length < this.keep) this.kept.push(f);
    this.next?.add(f);
  }
}
