import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { exportSchemas } from '../../pipeline/tools/export-schemas.ts';
import { Finding } from '../../schemas/finding.ts';
import { ROOT } from '../helpers.ts';

describe('exported JSON Schemas', () => {
  const dir = path.join(ROOT, 'schemas/json');
  const expected = exportSchemas();

  it('are in step with the zod sources (run `make schemas` after changing schemas/)', () => {
    const onDisk = Object.fromEntries(readdirSync(dir).filter((f) => f.endsWith('.schema.json')).map((f) => [f, readFileSync(path.join(dir, f), 'utf8')]));
    expect(Object.keys(onDisk).sort()).toEqual(Object.keys(expected).sort());
    for (const [file, text] of Object.entries(expected)) expect(onDisk[file], file).toBe(text);
  });

  it('describe a finding with its stable code vocabulary and location fields', () => {
    const f = JSON.parse(expected['finding.schema.json']);
    expect(f.properties.code.enum).toContain('value.approximate');
    expect(Object.keys(f.properties)).toEqual(expect.arrayContaining(['severity', 'message', 'file', 'sheet', 'cell', 'row', 'col', 'raw', 'expected']));
    expect(f.required).toEqual(expect.arrayContaining(['severity', 'code', 'message']));
  });

  it('the zod finding schema rejects an unknown code', () => {
    expect(Finding.safeParse({ severity: 'error', code: 'value.bogus', message: 'x' }).success).toBe(false);
    expect(Finding.safeParse({ severity: 'error', code: 'value.approximate', message: 'x' }).success).toBe(true);
  });
});
