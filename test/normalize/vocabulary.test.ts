// The vocabulary offices use is data (data/reference/form-vocabulary.yaml), zod-checked, and the module
// the readers import is the YAML's (a new office wording is a data change with a fixture).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { VOCABULARY_TS, vocabularyModule } from '../../pipeline/tools/export-vocabulary.ts';
import { COMPARISON, FOOTER_LABEL, SUBTOTAL_ROW, VALUE_HEADERS, k } from '../../pipeline/normalize/vocabulary.ts';
import { readForm } from '../../pipeline/read-form.ts';
import { YZ, contextFor, longRows, longXlsx } from '../helpers.ts';

describe('form vocabulary (data/reference/form-vocabulary.yaml)', () => {
  it('the generated module is the YAML’s (run `tsx pipeline/tools/export-vocabulary.ts` after editing it)', () => {
    expect(readFileSync(VOCABULARY_TS, 'utf8')).toBe(vocabularyModule());
  });

  it('zod rejects a misspelt key or an empty list', () => {
    const yaml = readFileSync('data/reference/form-vocabulary.yaml', 'utf8');
    expect(() => vocabularyModule(yaml.replace('comparison:', 'comparision:'))).toThrow();
    expect(() => vocabularyModule(yaml.replace(/^share_words: .*$/m, 'share_words: []'))).toThrow();
  });

  it('the readers use its words: value headers, comparison columns (计划数), subtotal rows, footer labels', () => {
    expect(VALUE_HEADERS.has(k('本期数'))).toBe(true);
    expect(['上年同期', '增减', '计划数'].every((w) => COMPARISON.test(w))).toBe(true);
    expect(SUBTOTAL_ROW.test(k('合 计'))).toBe(true);
    expect(FOOTER_LABEL.test('审核人：李敏')).toBe(true);
  });

  it('a 计划数 column beside 完成数 is never read as the figure', async () => {
    const bytes = await longXlsx({ rows: longRows('2018H1', YZ).map((r) => [...r.slice(0, 4), 999, r[4], '']), mutate: (ws) => { ws.getCell('E3').value = '计划数'; ws.getCell('F3').value = '完成数'; ws.getCell('G3').value = '备注'; } });
    const r = await readForm({ file: 'x.xlsx', bytes }, contextFor('2018H1'));
    expect(r.findings).toEqual([]);
    expect(r.parsed!.observations.every((o) => o.loc.col === 6)).toBe(true);
  });
});
