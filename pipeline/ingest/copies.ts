// A byte-identical second file of a submission (江北区_2018H1 (1).xlsx, the browser's re-download, or
// the same attachment sent twice) is not a second submission: one is read, the copy is named.
import type { SubmissionInput } from '../read-form.ts';
import { sha256 } from '../read-form.ts';
import { cmp } from '../compare.ts';

/** A name that looks like a copy's: “ (1)”, “(2)”, “副本”, “- 副本”, “_copy”. */
const COPY_MARK = /(\s*[（(]\d+[)）]|\s*-?\s*副本(\s*[（(]\d+[)）])?|[ _-]copy(\s*\d+)?)(?=\.[^.]+$|$)/i;

/** Which file of identical ones is read: a name without a copy's mark, then the shortest, then by name. */
function original(a: string, b: string): number {
  return Number(COPY_MARK.test(a)) - Number(COPY_MARK.test(b)) || a.length - b.length || cmp(a, b);
}

/** copy file → the identical file that is read instead. */
export function identicalCopies(inputs: SubmissionInput[]): Map<string, string> {
  const byHash = new Map<string, string[]>();
  for (const i of inputs) {
    if (!('bytes' in i) || i.bytes.length === 0) continue;
    const h = sha256(i.bytes);
    byHash.set(h, [...(byHash.get(h) ?? []), i.file]);
  }
  const out = new Map<string, string>();
  for (const files of byHash.values()) {
    if (files.length < 2) continue;
    const [keep, ...copies] = [...files].sort(original);
    for (const c of copies) out.set(c, keep);
  }
  return out;
}
