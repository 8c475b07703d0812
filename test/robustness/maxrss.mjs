// Preloaded by the memory test (node --import): prints the process's peak resident set size on exit,
// as one line on stderr `banbao-maxrss-kb <n>` (process.resourceUsage().maxRSS is in kilobytes).
import { writeSync } from 'node:fs';
process.on('exit', () => {
  try {
    writeSync(2, `\nbanbao-maxrss-kb ${process.resourceUsage().maxRSS}\n`);
  } catch {
    /* stderr closed */
  }
});
