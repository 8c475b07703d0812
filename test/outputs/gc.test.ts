// pipeline/gc.ts: between a period's reading and its outputs, `banbao report` gives back what the
// reading let go once the heap has grown large, so the process peaks at the larger phase, not the sum.
// Run in a fresh process (a test worker's heap is not the CLI's): a heap measured, not a timer.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers.ts';

const TSX = path.join(ROOT, 'node_modules/.bin/tsx');
const script = `
import { collectGarbage } from './pipeline/gc.ts';
const small = collectGarbage();
let keep = [];
for (let i = 0; i < 40; i++) keep.push(new Array(1e6).fill(i + 0.5)); // ~320 MB, then let go
keep = null;
const before = process.memoryUsage().heapUsed;
const large = collectGarbage();
const after = process.memoryUsage().heapUsed;
console.log(JSON.stringify({ small, large, before, after }));
`;

describe('the collection between reading and outputs', () => {
  it('does nothing on a small heap, and gives back what a large one let go', () => {
    const r = spawnSync(TSX, ['--input-type=module', '-e', script], { cwd: ROOT, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    const m = JSON.parse(r.stdout.trim().split('\n').pop()!) as { small: boolean; large: boolean; before: number; after: number };
    expect(m.small).toBe(false);
    expect(m.large).toBe(true);
    expect(m.before).toBeGreaterThan(256e6);
    expect(m.after).toBeLessThan(m.before - 200e6);
  });
});
