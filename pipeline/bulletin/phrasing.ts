// The phrasing file data/bulletin/<period>.yaml: read and zod-checked, or scaffolded from the catalogue.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { BulletinFile } from '../../schemas/bulletin.ts';
import type { Catalogue } from '../../schemas/catalogue.ts';
import { ReferenceDataError } from '../reference/load.ts';

export const DEFAULT_TITLE = '关于{period_zh}“党建争强”推进情况的通报';
export const DEFAULT_ISSUER = '中共宁波市委组织部';

export function phrasingPath(dataDir: string, period: string): string {
  return path.join(dataDir, 'bulletin', `${period}.yaml`);
}

/** Contract: the parsed phrasing file, or null when there is none; bad YAML or schema → ReferenceDataError. */
export function loadPhrasing(dataDir: string, period: string): BulletinFile | null {
  const file = phrasingPath(dataDir, period);
  if (!existsSync(file)) return null;
  let raw: unknown;
  try {
    raw = YAML.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new ReferenceDataError(file, `YAML 无法解析: ${(e as Error).message}`);
  }
  const r = BulletinFile.safeParse(raw);
  if (!r.success) {
    const issues = r.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new ReferenceDataError(file, `不符合措辞文件格式 (schema): ${issues}`);
  }
  if (r.data.period !== period) throw new ReferenceDataError(file, `period ${r.data.period} ≠ file name ${period}`);
  return r.data;
}

const HEADER = `# 通报措辞 — how the half-year bulletin phrases each city figure (banbao bulletin).
# Every phrase is read back with the reconciliation's own parser; one whose interval does not hold
# the computed value is refused with the item, the value and the phrase. Styles (phrase.style):
#   exact                          127名; a share to \`decimals\` places (58.0%)
#   more_than  place: 1000         1000余名 (word: 余 or 多)
#   nearly     place: 10           近60% — true only in the upper half below the next multiple
#   rounded    decimals: 1, multiplier: 万   1.4万个; a share: 58%
#   magnitude  form: bare | at_least | several   千名 · 上千 · 数千
#   tenths     qualifier: nearly | rounded | more_than   近六成 · 六成 · 六成多
# template: the clause, {figure} where the figure goes. change: [yoy, mom] to require 同比/环比
# (【待核实】 when it cannot be computed); absent: stated where the data allow. leaders: value | share | none.
`;

/** Contract: the default phrasing of a catalogue — every figure exact — as YAML text with its guide. */
export function scaffoldPhrasing(catalogue: Catalogue): string {
  const items: Record<string, unknown> = {};
  for (const it of [...catalogue.items, ...catalogue.derived]) {
    items[it.code] = 'type' in it && it.type === 'share' ? { phrase: { style: 'exact' }, decimals: 1 } : { phrase: { style: 'exact' } };
  }
  const body = YAML.stringify({ period: catalogue.period, title: DEFAULT_TITLE, issuer: DEFAULT_ISSUER, intro: '', items }, { lineWidth: 0 });
  const text = HEADER + body;
  BulletinFile.parse(YAML.parse(text)); // the scaffold must pass its own schema
  return text;
}
