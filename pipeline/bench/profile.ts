// Summarises a V8 .cpuprofile (node --cpu-prof): self time by function and by module/package.
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

function moduleOf(url: string): string {
  if (!url) return '(native/gc/idle)';
  if (url.includes('node_modules/')) {
    const rest = url.split('node_modules/').pop()!.split('/');
    return rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
  }
  if (url.startsWith('node:')) return 'node:*';
  const m = /\/(pipeline|schemas|test)\/(.*)$/.exec(url);
  return m ? `${m[1]}/${m[2]}` : url.split('/').slice(-2).join('/');
}

export interface ProfileSummary {
  totalMs: number;
  functions: { name: string; ms: number; share: number }[];
  modules: { name: string; ms: number; share: number }[];
}

/** Self time per function and per module, largest first. */
export function summarizeProfile(file: string, top = 12): ProfileSummary {
  const p = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const fn = new Map<string, number>();
  const mod = new Map<string, number>();
  let total = 0;
  p.samples.forEach((id, i) => {
    const n = byId.get(id)!;
    const d = p.timeDeltas[i] ?? 0;
    total += d;
    const f = n.callFrame;
    const name = `${f.functionName || '(anonymous)'} ${moduleOf(f.url)}`;
    fn.set(name, (fn.get(name) ?? 0) + d);
    mod.set(moduleOf(f.url), (mod.get(moduleOf(f.url)) ?? 0) + d);
  });
  const list = (m: Map<string, number>) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, us]) => ({ name, ms: us / 1000, share: us / total }));
  return { totalMs: total / 1000, functions: list(fn), modules: list(mod) };
}

export function formatSummary(s: ProfileSummary): string {
  const line = (x: { name: string; ms: number; share: number }) => `  ${x.ms.toFixed(0).padStart(6)} ms ${(x.share * 100).toFixed(1).padStart(5)}%  ${x.name}`;
  return [`  total sampled ${s.totalMs.toFixed(0)} ms; self time by module:`, ...s.modules.map(line), '  by function:', ...s.functions.map(line)].join('\n');
}
