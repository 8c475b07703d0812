import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { Catalogue } from '../../schemas/catalogue.ts';
import { loadCatalogue, loadPublished, loadRoster, loadUnits, ReferenceDataError } from '../../pipeline/reference/load.ts';
import { parsePublishedText } from '../../pipeline/reconcile/published-interval.ts';
import { DATA, ROOT } from '../helpers.ts';

const ORACLE = path.resolve(ROOT, 'test/fixtures/published-figures/published-figures.csv');

describe('reference data', () => {
  it('lists the 11 reporting units of DOMAIN.md with their GB/T 2260 codes', () => {
    const units = loadUnits(DATA);
    expect(units.map((u) => `${u.code} ${u.name}`)).toEqual([
      '330200 市本级', '330203 海曙区', '330205 江北区', '330206 北仑区', '330211 镇海区', '330212 鄞州区',
      '330213 奉化区', '330225 象山县', '330226 宁海县', '330281 余姚市', '330282 慈溪市',
    ]);
    expect(units.find((u) => u.code === '330200')!.aliases).toEqual(expect.arrayContaining(['市直', '市直单位', '市级']));
  });

  it('ships the real roster: 3,042 village-level units under 3302, 2,181 村委会 and 861 居委会', () => {
    const roster = [...loadRoster(DATA)];
    expect(roster).toHaveLength(3042);
    expect(roster.filter((r) => r.type === '村委会')).toHaveLength(2181);
    const byUnit: Record<string, number> = {};
    for (const r of roster) byUnit[r.unit_code] = (byUnit[r.unit_code] ?? 0) + 1;
    expect(byUnit).toEqual({ '330203': 280, '330205': 152, '330206': 232, '330211': 99, '330212': 407, '330213': 337, '330225': 410, '330226': 393, '330281': 326, '330282': 406 });
    expect(roster.every((r) => r.code.startsWith(r.town_code) && r.town_code.startsWith(r.unit_code))).toBe(true);
    expect(roster.every((r) => (Number(r.code.slice(9)) < 200) === (r.type === '居委会'))).toBe(true);
  });

  it('2018H1 catalogue is the published summary table: 9 categories, 15 items', () => {
    const cat = loadCatalogue(DATA, '2018H1');
    expect(cat.categories).toHaveLength(9);
    expect(cat.items).toHaveLength(15);
    expect(cat.items.map((i) => i.no)).toEqual(Array.from({ length: 15 }, (_, i) => i + 1));
    expect(cat.items.find((i) => i.code === 'secretaries_adjusted')!.part_of).toBe('cadres_adjusted');
    expect(cat.derived.map((d) => d.code)).toEqual(['promoted_frontline_share', 'units_signed']);
  });

  it('2018H2 catalogue adds an item (eight_rules_persons) and keeps the rest', () => {
    const h1 = loadCatalogue(DATA, '2018H1');
    const h2 = loadCatalogue(DATA, '2018H2');
    expect(h2.items.map((i) => i.code)).toEqual([...h1.items.map((i) => i.code), 'eight_rules_persons']);
  });

  it('a catalogue that refers to an unknown item is rejected with its file named', () => {
    const cat = loadCatalogue(DATA, '2018H1');
    const broken = { ...cat, items: cat.items.map((i) => (i.code === 'secretaries_adjusted' ? { ...i, part_of: 'nope' } : i)) };
    const r = Catalogue.safeParse(broken);
    expect(r.success).toBe(false);
    expect(r.error!.issues[0].message).toContain('unknown item nope');
    expect(() => loadCatalogue(DATA, '1999H1')).toThrow(ReferenceDataError);
  });

  it('a hand-edited published file naming an item not in the catalogue, or an id twice, is rejected with its file named', () => {
    const tmp = mkdtempSync(path.join(os.tmpdir(), 'banbao-published-'));
    cpSync(DATA, tmp, { recursive: true });
    const file = path.join(tmp, 'published/2018H2.yaml');
    const text = readFileSync(file, 'utf8');
    writeFileSync(file, text.replace('indicator: units_signed', 'indicator: units_signd'));
    expect(() => loadPublished(tmp, '2018H2')).toThrow(/published\/2018H2\.yaml: indicator 不在 data\/catalogue\/2018H2\.yaml 中：yz_units_signed → units_signd/);
    const fig = text.slice(text.indexOf('  - id: yz_units_signed'));
    writeFileSync(file, text + fig);
    expect(() => loadPublished(tmp, '2018H2')).toThrow(/id yz_units_signed 重复/);
    writeFileSync(file, text);
    expect(loadPublished(tmp, '2018H2').figures).toHaveLength(1);
  });

  it('published figures are the spec CSV rows verbatim, and every text parses to the CSV’s interval', () => {
    const oracle = new Map(
      Papa.parse<Record<string, string>>(readFileSync(ORACLE, 'utf8'), { header: true, skipEmptyLines: 'greedy' }).data.map((r) => [r.id, r]),
    );
    const h1 = loadPublished(DATA, '2018H1');
    const h2 = loadPublished(DATA, '2018H2');
    expect(h1.figures.map((f) => f.id).sort()).toEqual([
      'cadres_adjusted', 'communities_signed', 'eight_rules_cases', 'frontline_cadres', 'inspections', 'persons_handled',
      'problems_found', 'promoted_frontline_share', 'secretaries_adjusted', 'talent_3315_applications', 'talent_3315_growth', 'villages_signed',
    ]);
    expect(h2.figures.map((f) => `${f.scope_code} ${f.id} ${f.text}`)).toEqual(['330212 yz_units_signed 353']);
    for (const f of [...h1.figures, ...h2.figures]) {
      const row = oracle.get(f.id)!;
      expect(f.text).toBe(row.text);
      expect(f.source.quote).toBe(row.quote);
      const p = parsePublishedText(f.text, f.source.quote);
      expect(p.ok && p.interval.lo).toBe(Number(row.lo));
      expect(p.ok && p.interval.hi).toBe(row.hi === '' ? null : Number(row.hi));
    }
  });
});
