// What to undo when a run is stopped (SIGTERM, SIGINT, its make gone: cli.ts): the staging folder,
// the lock. Kept apart from io.ts so cli.ts can install its handlers without loading the readers.
const cleanups = new Set<() => void>();
/** Registers what to undo if the run is stopped now; returns the function that unregisters it. */
export function onAbort(fn: () => void): () => void {
  cleanups.add(fn);
  return () => cleanups.delete(fn);
}
/** Runs every registered cleanup (last registered first); each one at most once. */
export function runAbortCleanups(): void {
  const list = [...cleanups].reverse();
  cleanups.clear();
  for (const fn of list) {
    try {
      fn();
    } catch {
      /* best effort: the next run's recoverInterrupted() does the rest */
    }
  }
}
