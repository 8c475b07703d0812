// The third blind round (#13): files made from DOMAIN.md alone, scored against their answers.
// read right / refused with a clear finding / wrong without a finding / correct file rejected / crash.
// Periods past 2018 use the catalogue of the same half with the period relabelled (the items did not change).
import { loadCatalogue, loadPublished } from '../pipeline/reference/load.ts';
import { makeContext, type PeriodContext } from '../pipeline/context.ts';
import { runPeriod } from '../pipeline/run.ts';
import { DEFAULT_LIMITS, type Limits } from '../pipeline/ingest/read.ts';
import type { Finding } from '../schemas/finding.ts';
import { expect } from 'vitest';
import { DATA, reference } from './helpers.ts';

export interface BlindAnswer {
  file: string;
  unit: string | null;
  period: string;
  expect: 'read' | 'refuse';
  values: Record<string, number>;
  why: string;
}
export type Outcome = 'read right' | 'refused' | 'wrong without finding' | 'correct rejected' | 'crash';

const ctxCache = new Map<string, PeriodContext>();
export function blindContext(period: string): PeriodContext {
  if (!ctxCache.has(period)) {
    const half = `2018${period.slice(4)}`;
    const cat = { ...loadCatalogue(DATA, half), period } as unknown as ReturnType<typeof loadCatalogue>;
    const pub = period === half ? loadPublished(DATA, period) : ({ ...loadPublished(DATA, half), period, figures: [] } as unknown as ReturnType<typeof loadPublished>);
    ctxCache.set(period, makeContext(reference(), cat, pub));
  }
  return ctxCache.get(period)!;
}

export async function score(a: BlindAnswer, bytes: Uint8Array): Promise<{ outcome: Outcome; detail: string; findings: Finding[] }> {
  try {
    const r = await runPeriod([{ file: a.file, bytes }], blindContext(a.period));
    const own = r.findings.filter((f) => f.file === a.file);
    // Rules across values (roster, part ≤ whole) judge the figures the generator invented, not the
    // reading; an item the answer does not list (eight_rules_persons, in the 2018H2 catalogue only) is
    // the catalogue's, not the file's. Both are left out when a file the answer reads is scored.
    const readingError = (f: Finding) => !f.code.startsWith('rule.') && !(['row.missing_indicator', 'value.missing'].includes(f.code) && !Object.keys(a.values).some((c) => f.indicator === c));
    const errors = own.filter((f) => f.severity === 'error' && (a.expect === 'refuse' || readingError(f)));
    const read = new Map(r.values.filter((v) => v.loc?.file === a.file && v.status === 'value').map((v) => [`${v.unit}.${v.indicator}`, v.value]));
    const wrong = Object.entries(a.values)
      .filter(([code, want]) => a.unit && read.has(`${a.unit}.${code}`) && read.get(`${a.unit}.${code}`) !== want)
      .map(([code, want]) => `${code} ${read.get(`${a.unit}.${code}`)}≠${want}`);
    const missing = Object.keys(a.values).filter((code) => !read.has(`${a.unit}.${code}`));
    const codes = [...new Set(errors.map((f) => `${f.code}@${f.cell}`))].join(' ');
    if (a.expect === 'refuse') return { outcome: errors.length ? 'refused' : 'wrong without finding', detail: errors.length ? codes : `no error; ${wrong.join(', ')}`, findings: own };
    if (errors.length) return { outcome: 'correct rejected', detail: codes, findings: own };
    if (wrong.length || missing.length) return { outcome: 'wrong without finding', detail: [...wrong, ...missing.map((m) => `${m} not read`)].join(', '), findings: own };
    return { outcome: 'read right', detail: '', findings: own };
  } catch (e) {
    return { outcome: 'crash', detail: String((e as Error)?.stack ?? e).slice(0, 300), findings: [] };
  }
}

/**
 * One file of a blind round held to its answer: a correct file still rejected must be rejected with
 * its named finding; a file read by a rule the key did not foresee must carry no error (and pass its
 * own check); any other file must be read right or refused as the key says, a refusal by the finding
 * that names the doubt where one is given; every finding in Chinese.
 */
export function expectAnswer(
  file: string,
  a: BlindAnswer,
  s: { outcome: Outcome; detail: string; findings: Finding[] },
  known: { stillRejected: Record<string, string>; refusedBy: Record<string, string>; readByRule?: Record<string, (findings: Finding[]) => void> },
): void {
  if (known.stillRejected[file]) {
    expect(s.outcome).toBe('correct rejected');
    expect(s.findings.map((f) => f.code)).toContain(known.stillRejected[file]);
    return;
  }
  const byRule = known.readByRule?.[file];
  if (byRule) {
    expect(s.findings.filter((f) => f.severity === 'error')).toEqual([]);
    byRule(s.findings);
    return;
  }
  expect(s.outcome, `${a.why}\n${s.detail}`).toBe(a.expect === 'read' ? 'read right' : 'refused');
  if (known.refusedBy[file]) expect(s.findings.filter((f) => f.severity === 'error').map((f) => f.code)).toContain(known.refusedBy[file]);
  // every finding says where and what, in Chinese
  for (const f of s.findings) expect(f.message).toMatch(/[\u4e00-\u9fff]/);
}

/** The cell limit lowered so that a small file takes the streaming path a file beyond the limit takes. */
export const STREAM_LIMITS: Limits = { ...DEFAULT_LIMITS, zip: { ...DEFAULT_LIMITS.zip, maxCells: 50 } };

/** One blind file read whole and read in the stream, and what of each must agree (values and findings). */
export async function wholeAndStreamed(file: string, bytes: Uint8Array, ctx: PeriodContext) {
  const whole = await runPeriod([{ file, bytes }], ctx);
  const streamed = await runPeriod([{ file, bytes }], ctx, new Map(), STREAM_LIMITS);
  return { whole, streamed };
}
export const streamView = (r: Awaited<ReturnType<typeof runPeriod>>) => ({
  values: r.values.map((v) => `${v.unit}.${v.indicator} ${v.value} ${v.status} ${v.raw}`),
  findings: r.findings.map((f) => `${f.code} ${f.cell} ${f.unit} ${f.message}`),
});
