// Writes schemas/json/<name>.schema.json from the zod sources (zod 4's z.toJSONSchema).
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { EXPORTED_SCHEMAS } from '../../schemas/index.ts';
import { cmp } from '../compare.ts';

/** name → JSON text, deterministic (sorted by name, 2-space indent, trailing newline). */
export function exportSchemas(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, schema] of Object.entries(EXPORTED_SCHEMAS).sort(([a], [b]) => cmp(a, b))) {
    const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
    json.$id = `https://banbao.example/schemas/${name}.schema.json`;
    json.title ??= name;
    out[`${name}.schema.json`] = JSON.stringify(json, null, 2) + '\n';
  }
  return out;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const dir = path.resolve('schemas/json');
  mkdirSync(dir, { recursive: true });
  for (const [file, text] of Object.entries(exportSchemas())) writeFileSync(path.join(dir, file), text);
  console.log(`wrote ${Object.keys(EXPORTED_SCHEMAS).length} JSON Schemas to schemas/json/`);
}
