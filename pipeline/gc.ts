// A full collection between a period's reading and its outputs (report-cli.ts). What the reading let
// go (a 100 MB detail file's bytes and text, its rows) is otherwise still in the heap when the outputs
// are built, and the process peaks at the sum of the two phases instead of the larger: `banbao report`
// on the largest detail file the limits allow (99 MB, a million bad rows, region CN) peaked at 1.33 GB,
// with this collection at 0.91 GB. Node gives gc() only with --expose-gc: the flag is set here, once,
// and only a heap that has grown past HEAP_WORTH_IT is collected (a small run pays nothing).
import v8 from 'node:v8';
import vm from 'node:vm';

const HEAP_WORTH_IT = 256 * 1024 * 1024;
let gc: (() => void) | undefined;

/** Collects garbage now when the heap has grown large; returns whether it did. */
export function collectGarbage(): boolean {
  if (process.memoryUsage().heapTotal < HEAP_WORTH_IT) return false;
  if (!gc) {
    v8.setFlagsFromString('--expose-gc');
    gc = vm.runInNewContext('gc') as () => void;
  }
  gc();
  return true;
}
