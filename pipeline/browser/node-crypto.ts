// Stands in for `node:crypto` in the check page's bundle (esbuild alias, pipeline/outputs/check-page.ts):
// pipeline/run.ts hashes each submission with createHash('sha256'), and the browser has no node:crypto.
// Only what run.ts uses is provided; anything else fails loudly rather than hashing wrong.
import { sha256Hex } from './sha256.ts';

interface Hash {
  update(data: Uint8Array | string): Hash;
  digest(encoding: 'hex'): string;
}

export function createHash(algorithm: string): Hash {
  if (algorithm.toLowerCase() !== 'sha256') throw new Error(`check page: createHash('${algorithm}') is not available in the browser`);
  const parts: Uint8Array[] = [];
  const hash: Hash = {
    update(data) {
      parts.push(typeof data === 'string' ? new TextEncoder().encode(data) : data);
      return hash;
    },
    digest(encoding) {
      if (encoding !== 'hex') throw new Error(`check page: digest('${String(encoding)}') is not available in the browser`);
      const all = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
      let off = 0;
      for (const p of parts) (all.set(p, off), (off += p.length));
      return sha256Hex(all);
    },
  };
  return hash;
}
