// Child-process helper for the robustness tests (not a test): reads one file the way the CLI does and
// prints what came back, so a test can put a time limit on inputs that might hang or exhaust memory.
//   tsx test/robustness/read-file.ts <path>   → prints "ready", then one JSON line { ms, codes, messages }
import { readInput } from '../../pipeline/io.ts';
import { readSubmission } from '../../pipeline/ingest/read.ts';

const file = process.argv[2];
process.stdout.write('ready\n');
const t0 = Date.now();
const input = readInput(file, file.split('/').pop() ?? file);
const ingested = 'readError' in input ? { findings: [{ code: 'file.unreadable', message: input.readError }] } : await readSubmission(input.bytes, input.file);
process.stdout.write(JSON.stringify({ ms: Date.now() - t0, codes: ingested.findings.map((f) => f.code), messages: ingested.findings.map((f) => f.message) }) + '\n');
