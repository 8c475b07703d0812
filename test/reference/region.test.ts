// The region file: units and levels from the GB/T 2260 roster by prefix (make roster), for a city
// (the shipped data/reference/region.yaml), a province and the whole country (test/fixtures/regions/).
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import YAML from 'yaml';
import { describe, expect, it } from 'vitest';
import { Region } from '../../schemas/units.ts';
import { loadRegion, ReferenceDataError } from '../../pipeline/reference/load.ts';
import { regionOf } from '../../pipeline/context.ts';
import { unitMatcher } from '../../pipeline/normalize/match.ts';
import { DATA, ROOT } from '../helpers.ts';

const fixture = (name: string) => Region.parse(YAML.parse(readFileSync(path.join(ROOT, 'test/fixtures/regions', `${name}.yaml`), 'utf8')));

describe('region files', () => {
  it('Ningbo (3302): ten districts and 市本级 as one level, 全市, with the village roster', () => {
    const r = loadRegion(DATA);
    expect(r).toMatchObject({ code: '3302', name: '宁波市', roster: 'villages-3302.csv' });
    expect(r.scopes).toEqual([{ code: '330200', name: '宁波市', label: '全市', level: 'city', prefix: '3302' }]);
    expect(r.units.map((u) => u.short_name)).toEqual(['市本级', '海曙', '江北', '北仑', '镇海', '鄞州', '奉化', '象山', '宁海', '余姚', '慈溪']);
    expect(r.units.filter((u) => u.level === 'municipal').map((u) => u.code)).toEqual(['330200']);
  });

  it('the whole country: every county once, a 市本级 per city (a municipality’s at its province code), levels for each province and city', () => {
    const r = fixture('CN');
    expect(r.scopes[0]).toEqual({ code: '000000', name: '全国', label: '全国', level: 'country', prefix: '' });
    expect(r.units.filter((u) => u.level === 'district')).toHaveLength(2978);
    expect(new Set(r.units.map((u) => u.code)).size).toBe(r.units.length);
    expect(r.scopes.filter((s) => s.level === 'province')).toHaveLength(31);
    expect(r.units.find((u) => u.name === '北京市本级')?.code).toBe('110000');
    for (const s of r.scopes) expect(r.units.some((u) => u.code.startsWith(s.prefix)), s.name).toBe(true);
  });

  it('a name several counties share names none of them; the city’s name with it does', () => {
    const m = unitMatcher(fixture('CN').units);
    expect(m.exact('鼓楼区')).toBeUndefined();
    expect(m.exact('南京市鼓楼区')).toBe('320106');
    expect(m.within('南京市鼓楼区委组织部 2018年上半年')).toEqual(['320106']);
    expect(m.exact('320106')).toBe('320106');
  });

  it('a unit code in free text is found whatever region it is in', () => {
    const m = unitMatcher(fixture('33').units);
    expect(m.within('报送单位代码 330782（2018H1）')).toEqual(['330782']);
    expect(m.within('编号 20180630')).toEqual([]);
  });

  it('a level whose prefix has no unit, or lies outside the region, is refused with the file named', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'banbao-region-bad-'));
    cpSync(path.join(DATA, 'reference'), path.join(dir, 'reference'), { recursive: true });
    const r = loadRegion(DATA);
    writeFileSync(path.join(dir, 'reference/region.yaml'), YAML.stringify({ ...r, scopes: [...r.scopes, { code: '330300', name: '温州市', label: '温州市', level: 'city', prefix: '3303' }] }));
    expect(() => loadRegion(dir)).toThrow(ReferenceDataError);
    expect(() => loadRegion(dir)).toThrow(/330300/);
  });

  it('units without a region file add up to one level scoped by their common prefix', () => {
    expect(regionOf(loadRegion(DATA).units).scopes).toEqual([{ code: '330200', name: '全市', label: '全市', level: 'city', prefix: '3302' }]);
    expect(regionOf(fixture('33').units).scopes[0]).toMatchObject({ code: '330000', label: '全省', prefix: '33' });
  });
});
