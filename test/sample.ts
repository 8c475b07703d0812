// The shipped sample submissions as in-memory inputs, with a way to alter one file's text.
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import type { SubmissionInput } from '../pipeline/run.ts';
import { runPeriod, type History, type PeriodResult } from '../pipeline/run.ts';
import type { Confirmation, Choice } from '../pipeline/context.ts';
import { DATA, contextFor } from './helpers.ts';

export function sampleInputs(period: string): { file: string; bytes: Uint8Array }[] {
  const dir = path.join(DATA, 'submissions', period);
  return readdirSync(dir)
    .filter((f) => !f.endsWith('.md') && !f.endsWith('.yaml'))
    .sort()
    .map((f) => ({ file: f, bytes: new Uint8Array(readFileSync(path.join(dir, f))) }));
}

/** Replaces `from` with `to` in a UTF-8 text submission (the first occurrence on the line that has `line`). */
export function editText(inputs: { file: string; bytes: Uint8Array }[], file: string, line: string, from: string, to: string) {
  return inputs.map((i) => {
    if (i.file !== file) return i;
    const text = Buffer.from(i.bytes).toString('utf8');
    const lines = text.split('\n').map((l) => (l.includes(line) ? l.replace(from, to) : l));
    return { file: i.file, bytes: new Uint8Array(Buffer.from(lines.join('\n'), 'utf8')) };
  });
}

export async function runSample(
  period: string,
  inputs: SubmissionInput[] = sampleInputs(period),
  opts: { history?: History; confirmations?: Confirmation[]; choices?: Choice[] } = {},
): Promise<PeriodResult> {
  return runPeriod(inputs, contextFor(period, { confirmations: opts.confirmations, choices: opts.choices }), opts.history ?? new Map());
}

export function historyOf(...results: PeriodResult[]): History {
  return new Map(results.map((r) => [r.period, { values: r.values, table: r.table, totals: r.totals, levels: r.levels }]));
}
