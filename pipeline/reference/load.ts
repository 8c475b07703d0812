// Loads and validates the reference data under data/: units, roster, catalogues, published figures.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import Papa from 'papaparse';
import YAML from 'yaml';
import { z } from 'zod';
import { Catalogue, PublishedFile, Region, RosterEntry, Unit } from '../../schemas/index.ts';
import { DuplicateVillageCode, Roster, RosterBuilder } from './roster.ts';
import { readPlainRoster } from './roster-plain.ts';
import { readPlainRegion } from './region-plain.ts';

/** Bad reference data (a catalogue, the units): the analyst's files, not a district's. */
export class ReferenceDataError extends Error {
  constructor(
    readonly file: string,
    message: string,
  ) {
    super(`${file}: ${message}`);
    this.name = 'ReferenceDataError';
  }
}

function parseWith<T extends z.ZodType>(schema: T, data: unknown, file: string): z.infer<T> {
  const r = schema.safeParse(data);
  if (!r.success) {
    const issues = r.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new ReferenceDataError(file, `不符合数据格式 (schema): ${issues}`);
  }
  return r.data;
}

function readCsv(file: string): Record<string, string>[] {
  return Papa.parse<Record<string, string>>(readFileSync(file, 'utf8'), {
    header: true,
    skipEmptyLines: 'greedy',
    dynamicTyping: false,
  }).data;
}

function readYaml(file: string, plain?: (text: string) => unknown): unknown {
  if (!existsSync(file)) throw new ReferenceDataError(file, '文件不存在 (file not found)');
  const text = readFileSync(file, 'utf8');
  const fast = plain?.(text);
  if (fast !== undefined) return fast;
  try {
    return YAML.parse(text);
  } catch (e) {
    throw new ReferenceDataError(file, `YAML 无法解析: ${(e as Error).message}`);
  }
}

/** The region (data/reference/region.yaml): its units and the levels they add up to, built by `make roster`. */
export function loadRegion(dataDir: string): Region {
  const file = path.join(dataDir, 'reference/region.yaml');
  const region = parseWith(Region, readYaml(file, readPlainRegion), file);
  const seen = new Set<string>();
  for (const u of region.units) {
    if (seen.has(u.code)) throw new ReferenceDataError(file, `单位代码 ${u.code} 重复 (duplicate unit code)`);
    seen.add(u.code);
  }
  for (const s of region.scopes)
    if (!s.prefix.startsWith(region.code) || !region.units.some((u) => u.code.startsWith(s.prefix)))
      throw new ReferenceDataError(file, `层级 ${s.code} ${s.name} 的前缀“${s.prefix}”不在本区域内或没有单位 (scope outside the region or empty)`);
  return region;
}

export function loadUnits(dataDir: string): Unit[] {
  return loadRegion(dataDir).units;
}

/** The village roster the region names (empty when it keeps none). */
export function loadRoster(dataDir: string, region: Region = loadRegion(dataDir)): Roster {
  if (!region.roster) return Roster.empty();
  const file = path.join(dataDir, 'reference', region.roster);
  if (!existsSync(file)) throw new ReferenceDataError(file, '文件不存在 (file not found): 运行 make roster');
  return readRoster(file);
}

/**
 * The roster file read into a Roster: no object per village is kept. A plain file sorted by code (what
 * `make roster` writes) is read from its bytes (roster-plain.ts). Any other file, and any file that
 * reading is not certain of, is read by papaparse row by row, each row checked by the RosterEntry
 * schema (a short row lacks fields, a long one has `__parsed_extra`); a bad row is reported by its
 * number among the rows (from 0).
 */
function readRoster(file: string): Roster {
  const bytes = readFileSync(file);
  const plain = readPlainRoster(bytes);
  if (plain) return plain;
  const b = new RosterBuilder();
  let header: string[] | undefined;
  let i = 0;
  Papa.parse<string[]>(bytes.toString('utf8'), {
    header: false,
    skipEmptyLines: 'greedy',
    dynamicTyping: false,
    step: ({ data: fields }) => {
      if (!header) {
        header = fields;
        const dup = header.find((h, k) => header!.indexOf(h) !== k);
        if (dup !== undefined) throw new ReferenceDataError(file, `表头列名“${dup}”重复 (duplicate column)`);
        return;
      }
      const row: Record<string, unknown> = {};
      const n = Math.min(fields.length, header.length);
      for (let k = 0; k < n; k++) row[header[k]] = fields[k];
      if (fields.length > header.length) row.__parsed_extra = fields.slice(header.length);
      const r = RosterEntry.safeParse(row);
      if (!r.success) {
        const issues = r.error.issues.map((x) => `${[i, ...x.path].join('.')}: ${x.message}`).join('; ');
        throw new ReferenceDataError(file, `不符合数据格式 (schema): ${issues}`);
      }
      b.add(r.data);
      i++;
    },
  });
  try {
    return b.build();
  } catch (e) {
    if (e instanceof DuplicateVillageCode) throw new ReferenceDataError(file, e.message);
    throw e;
  }
}

/** What a period's context needs of the reference data. */
export function loadReference(dataDir: string): { region: Region; units: Unit[]; roster: Roster } {
  const region = loadRegion(dataDir);
  return { region, units: region.units, roster: loadRoster(dataDir, region) };
}

export function loadCatalogue(dataDir: string, period: string): Catalogue {
  const file = path.join(dataDir, 'catalogue', `${period}.yaml`);
  const cat = parseWith(Catalogue, readYaml(file), file);
  if (cat.period !== period) throw new ReferenceDataError(file, `period ${cat.period} ≠ file name ${period}`);
  return cat;
}

/**
 * The published figures of a period (none when the file is absent). The file is edited by hand, so
 * each figure must name an item of the period's catalogue: a typo is an error, never a figure skipped.
 */
export function loadPublished(dataDir: string, period: string): PublishedFile {
  const file = path.join(dataDir, 'published', `${period}.yaml`);
  if (!existsSync(file)) return parseWith(PublishedFile, { period, figures: [] }, file);
  const published = parseWith(PublishedFile, readYaml(file), file);
  if (published.period !== period) throw new ReferenceDataError(file, `period ${published.period} ≠ file name ${period}`);
  if (existsSync(path.join(dataDir, 'catalogue', `${period}.yaml`))) {
    const cat = loadCatalogue(dataDir, period);
    const codes = new Set([...cat.items, ...cat.derived].map((i) => i.code as string));
    const unknown = published.figures.filter((f) => !codes.has(f.indicator));
    if (unknown.length)
      throw new ReferenceDataError(
        file,
        `indicator 不在 data/catalogue/${period}.yaml 中：${unknown.map((f) => `${f.id} → ${f.indicator}`).join('、')}（改正代码，或删去此条，或在目录中加上该指标）`,
      );
  }
  return published;
}

/** Periods with a submissions folder, sorted. */
export function listPeriods(dataDir: string): string[] {
  const dir = path.join(dataDir, 'submissions');
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && /^\d{4}H[12]$/.test(d.name))
    .map((d) => d.name)
    .sort();
}

/** Catalogues that exist, sorted by period. */
export function listCataloguePeriods(dataDir: string): string[] {
  const dir = path.join(dataDir, 'catalogue');
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => /^\d{4}H[12]\.yaml$/.test(f))
    .map((f) => f.slice(0, 6))
    .sort();
}
