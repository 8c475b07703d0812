// The region file read without the `yaml` package (region-plain.ts): the same value YAML.parse gives,
// or undefined and the package decides. Never a different reading, never a file YAML refuses.
import { mkdtempSync, readFileSync, writeFileSync, cpSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import YAML from 'yaml';
import { describe, expect, it } from 'vitest';
import { readPlainRegion } from '../../pipeline/reference/region-plain.ts';
import { loadRegion, ReferenceDataError } from '../../pipeline/reference/load.ts';
import { regionYaml } from '../../pipeline/tools/extract-roster.ts';
import type { Region } from '../../schemas/units.ts';
import { DATA, ROOT } from '../helpers.ts';

/** YAML's reading of a text, or 'refused' */
function yamlOf(text: string): unknown {
  try {
    return YAML.parse(text);
  } catch {
    return 'refused';
  }
}

describe('the region file read line by line', () => {
  it('the shipped region and the province and country fixtures are read so, as YAML reads them', () => {
    for (const file of [path.join(DATA, 'reference/region.yaml'), ...['33', 'CN'].map((n) => path.join(ROOT, 'test/fixtures/regions', `${n}.yaml`))]) {
      const text = readFileSync(file, 'utf8');
      const fast = readPlainRegion(text);
      expect(fast, file).toBeDefined();
      expect(fast).toEqual(YAML.parse(text));
    }
  });

  it('a key given twice in a unit, which YAML refuses, is left to YAML, and the load fails naming the file', () => {
    const text = readFileSync(path.join(DATA, 'reference/region.yaml'), 'utf8');
    const twice = text.replace('{ code: "330203", name: 海曙区,', '{ code: "330203", name: 海曙区, name: 江北区,');
    expect(twice).not.toBe(text);
    expect(readPlainRegion(twice)).toBeUndefined();
    expect(yamlOf(twice)).toBe('refused');
    const dir = mkdtempSync(path.join(os.tmpdir(), 'banbao-region-twice-'));
    cpSync(path.join(DATA, 'reference'), path.join(dir, 'reference'), { recursive: true });
    writeFileSync(path.join(dir, 'reference/region.yaml'), twice);
    expect(() => loadRegion(dir)).toThrow(ReferenceDataError);
    expect(() => loadRegion(dir)).toThrow(/region\.yaml/);
  });

  it('a key of 1024 characters or more, which YAML refuses, is left to YAML (review)', () => {
    const long = 'k'.repeat(1025);
    expect(yamlOf(`${long}: x\n`)).toBe('refused');
    expect(readPlainRegion(`${long}: x\n`)).toBeUndefined();
    expect(readPlainRegion(`units:\n  - { ${long}: x }\n`)).toBeUndefined();
  });

  it('words YAML reads as other than text (true, null, 1e3, a date) are left to YAML', () => {
    for (const v of ['true', 'No', 'null', '~', '1e3', '0x1F', '.inf', '2018-06-30', '-a', '', "'q'", 'a b', 'a:b', 'a#b'])
      expect(readPlainRegion(`code: "3302"\nunits:\n  - { code: "1", name: ${v} }\n`), v).toBeUndefined();
  });

  // tokens that YAML reads in many ways: plain words, numbers, keywords, indicators, quotes, spaces
  const token = fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom('海曙区', '市本级', 'city', 'district', 'a', 'é', '𠀀', 'constructor', 'x1') },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        'Y', 'n', 'true', 'False', 'NULL', 'null', '~', 'yes', 'off', '1', '330203', '1e3', '0o7', '0x1F', '.5', '.inf', '.NaN', '+1',
        '-', '-a', '?a', '!a', '&a', '*a', '%a', '@a', '|', '>', 'a b', 'a  b', 'a:b', 'a: b', 'a#b', 'a #b', 'a,b', '[a]', '{a}',
        "it's", 'x"y', 'a\\b', '　海', '海　', 'a\u0085b', 'a\u2028b', '\uFEFFa', '__proto__', '', ' ', 'a\tb', 'a\rb',
      ),
    },
  );
  const scalarText = fc.oneof(
    { weight: 3, arbitrary: token },
    { weight: 3, arbitrary: token.map((t) => `"${t}"`) },
    { weight: 1, arbitrary: token.map((t) => `'${t}'`) },
    { weight: 1, arbitrary: fc.constantFrom('[]', '[ ]', '[ a ]', '[ a, b ]', '[ 市直, "x" ]', '[ a,b ]', '[a]', '[ a, true ]', '[ "a, b" ]', '[ a ], x') },
  );
  const key = fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom('code', 'name', 'short_name', 'level', 'aliases', 'prefix') },
    { weight: 1, arbitrary: fc.constantFrom('y', 'null', 'Code', '_x', 'a b', '', '__proto__') },
  );
  /** mostly the written form (first), sometimes another spelling */
  const usually = (written: string, ...others: string[]) =>
    fc.oneof({ weight: 9, arbitrary: fc.constant(written) }, { weight: 1, arbitrary: fc.constantFrom(...others) });
  const item = fc.array(fc.tuple(key, scalarText), { minLength: 0, maxLength: 4 }).chain((pairs) =>
    usually('{ ', '{', '{  ').chain((open) =>
      usually(' }', '}', ' } # c', ' },').chain((close) =>
        usually(', ', ',', ' , ').map((sep) => `${open}${pairs.map(([k, v]) => `${k}: ${v}`).join(sep)}${close}`),
      ),
    ),
  );
  const line = fc.oneof(
    { weight: 4, arbitrary: item.chain((it) => usually('  - ', '- ', '    - ', '  -').map((p) => p + it)) },
    { weight: 2, arbitrary: fc.tuple(key, scalarText).map(([k, v]) => `${k}: ${v}`) },
    { weight: 2, arbitrary: key.map((k) => `${k}:`) },
    { weight: 1, arbitrary: fc.constantFrom('', '# a comment', '  # indented', '---', '...', 'units: []', ' code: x', '\uFEFFcode: x') },
  );

  it('on random files, the reading is YAML’s or none (fast-check)', () => {
    let read = 0;
    fc.assert(
      fc.property(fc.array(line, { minLength: 1, maxLength: 6 }), usually('\n', '\r\n'), (lines, eol) => {
        const text = lines.join(eol) + eol;
        const fast = readPlainRegion(text);
        if (fast === undefined) return;
        read++;
        expect(yamlOf(text)).toEqual(fast);
      }),
      { numRuns: 5000 },
    );
    // the property is not empty: a good share of the random files is read line by line
    expect(read).toBeGreaterThan(40);
  });

  it('a region make roster writes with ordinary names is always read so (fast-check)', () => {
    const han = fc.stringMatching(/^[\u4e00-\u9fa5]{1,8}$/);
    const unit = fc.record({
      code: fc.stringMatching(/^\d{6}$/),
      name: han,
      short_name: han,
      level: fc.constantFrom('municipal', 'district'),
      aliases: fc.array(han, { maxLength: 3 }),
    });
    fc.assert(
      fc.property(fc.array(unit, { minLength: 1, maxLength: 20 }), han, (units, name) => {
        const region = {
          code: '33',
          name,
          roster: '',
          scopes: [{ code: '330000', name, label: '全省', level: 'province', prefix: '33' }],
          units,
        } as unknown as Region;
        const text = regionYaml(region, 'a test');
        const fast = readPlainRegion(text);
        expect(fast).toBeDefined();
        expect(fast).toEqual(YAML.parse(text));
      }),
      { numRuns: 500 },
    );
  });
});
