// The district's 上报说明 (issue 14) at the unit level: which note explains which warning, that an error
// is never explained away, and which of byte-identical files is read.
import { describe, expect, it } from 'vitest';
import { applyExplanations, noteFor } from '../../pipeline/validate/explain.ts';
import { applyConfirmations } from '../../pipeline/validate/rules.ts';
import { identicalCopies } from '../../pipeline/ingest/copies.ts';
import { finding } from '../../pipeline/messages.ts';
import type { UnitValue } from '../../pipeline/validate/values.ts';
import { contextFor } from '../helpers.ts';

const ctx = contextFor('2018H2', { confirmations: [{ code: 'rule.change_large', unit: '', indicator: '', explanation: '市里核实过的说明', by: '' }] });

function value(unit: string, indicator: string, file: string, sheet: string, row: number, col: number, note: string): UnitValue {
  return { unit, indicator, value: 1, status: 'value', loc: { file, sheet, cell: `${String.fromCharCode(64 + col)}${row}`, row, col }, raw: '1', note, origin: 'form' };
}

describe('a note explains the warnings of its row', () => {
  it('long form: the item’s row; another row’s note does not explain it', () => {
    const values = [value('330205', 'villages_signed', 'a.xlsx', '填报表', 7, 6, '撤并'), value('330205', 'inspections', 'a.xlsx', '填报表', 15, 6, '含专项督查')];
    const f = finding('rule.stock_decreased', { file: 'a.xlsx', sheet: '填报表', cell: 'F7', row: 7, col: 6, unit: '330205', indicator: 'villages_signed' });
    const g = finding('rule.stock_decreased', { file: 'a.xlsx', sheet: '填报表', cell: 'F8', row: 8, col: 6, unit: '330205', indicator: 'communities_signed' });
    const [a, b] = applyExplanations([f, g], values, ctx);
    expect(a).toMatchObject({ confirmed: '撤并', confirmed_by: '江北区（上报说明）' });
    expect(b.confirmed).toBe('');
  });

  it('wide form: the unit’s row (one 备注 per unit row), also for a warning on a computed share', () => {
    const values = [value('330212', 'promoted_total', 'w.csv', 'w', 9, 3, '本期集中提拔'), value('330212', 'promoted_frontline', 'w.csv', 'w', 9, 4, '本期集中提拔')];
    const f = finding('rule.share_far_from_city', { file: 'w.csv', sheet: 'w', cell: 'D9', row: 9, col: 4, unit: '330212', indicator: 'frontline_promotion_share' });
    expect(applyExplanations([f], values, ctx)[0]).toMatchObject({ confirmed: '本期集中提拔', confirmed_by: '鄞州区（上报说明）' });
    // another unit's row does not explain it
    expect(noteFor({ ...f, unit: '330205' }, values)).toBeUndefined();
  });

  it('a note cannot make a figure rounded to 万 exact: value.rounded stays unexplained on a row with a note', () => {
    const values = [value('330212', 'nonpublic_members', 'r.xlsx', '填报表', 11, 5, '数据来自党员信息系统')];
    const f = finding('value.rounded', { file: 'r.xlsx', sheet: '填报表', cell: 'E11', row: 11, col: 5, unit: '330212', indicator: 'nonpublic_members', raw: '0.54万' }, { item: '非公企业党员' });
    expect(applyExplanations([f], values, ctx)[0].confirmed).toBe('');
    // the same row's note still explains another warning of the row
    const g = finding('rule.change_large', { file: 'r.xlsx', sheet: '填报表', cell: 'E11', row: 11, col: 5, unit: '330212', indicator: 'nonpublic_members' });
    expect(applyExplanations([g], values, ctx)[0].confirmed).toBe('数据来自党员信息系统');
  });

  it('a unit-scope warning without a cell is explained by the note on its item’s row', () => {
    const values = [value('330212', 'villages_signed', 'y.csv', '', 7, 6, '撤并属实')];
    const f = finding('reconcile.vague_mismatch', { unit: '330212', indicator: 'villages_signed' });
    expect(applyExplanations([f], values, ctx)[0].confirmed).toBe('撤并属实');
  });

  it('an error is never explained away, by the unit or by confirmations.yaml', () => {
    const values = [value('330205', 'secretaries_adjusted', 'a.xlsx', '填报表', 10, 6, '书记兼任')];
    const e = finding('rule.part_exceeds_whole', { file: 'a.xlsx', sheet: '填报表', cell: 'F10', row: 10, col: 6, unit: '330205', indicator: 'secretaries_adjusted' });
    const out = applyConfirmations(applyExplanations([e], values, ctx), ctx);
    expect(out[0].confirmed).toBe('');
    expect(out[0].confirmed_by ?? '').toBe('');
  });

  it('confirmations.yaml keeps working, and records who (the analyst by default)', () => {
    const f = finding('rule.change_large', { unit: '330213', indicator: 'inspections' });
    expect(applyConfirmations([f], ctx)[0]).toMatchObject({ confirmed: '市里核实过的说明', confirmed_by: '市委组织部（confirmations.yaml）' });
  });

  it('the unit’s own explanation comes first; the analyst’s covers what is left', () => {
    const values = [value('330213', 'inspections', 'f.xlsx', '汇总表', 4, 13, '专项督查')];
    const f = finding('rule.change_large', { file: 'f.xlsx', sheet: '汇总表', cell: 'M4', row: 4, col: 13, unit: '330213', indicator: 'inspections' });
    expect(applyConfirmations(applyExplanations([f], values, ctx), ctx)[0]).toMatchObject({ confirmed: '专项督查', confirmed_by: '奉化区（上报说明）' });
  });
});

describe('identical files', () => {
  const bytes = new Uint8Array([1, 2, 3]);
  it('reads the one without a copy’s mark, whatever the order', () => {
    for (const copy of ['江北区_2018H1 (1).xlsx', '江北区_2018H1（2）.xlsx', '江北区_2018H1 - 副本.xlsx', '江北区_2018H1_copy.xlsx'])
      expect([...identicalCopies([{ file: copy, bytes }, { file: '江北区_2018H1.xlsx', bytes }])]).toEqual([[copy, '江北区_2018H1.xlsx']]);
  });

  it('files that differ by one byte are not copies', () => {
    expect(identicalCopies([{ file: 'a.xlsx', bytes }, { file: 'a (1).xlsx', bytes: new Uint8Array([1, 2, 4]) }]).size).toBe(0);
  });
});

describe('a missing unit is said once', () => {
  it('the checks it leaves incomplete refer to it, not one warning per item', async () => {
    const { runSample, sampleInputs } = await import('../sample.ts');
    const r = await runSample('2018H1', sampleInputs('2018H1').filter((i) => !i.file.startsWith('象山县')));
    const missing = r.findings.filter((f) => f.code === 'submission.missing');
    expect(missing).toHaveLength(1);
    expect(missing[0].message).toMatch(/^象山县尚未报送2018H1的报表：全市合计不完整，与公布数的核对有 \d+ 项因此不完整（/);
    expect(missing[0].refs).toContain('reconcile.incomplete：');
    expect(r.findings.filter((f) => f.code === 'reconcile.incomplete' && f.message.includes('象山县'))).toEqual([]);
    const rows = r.reconciliation.filter((x) => x.hints.includes('象山县'));
    expect(rows.length).toBeGreaterThan(3);
    for (const x of rows) expect(x).toMatchObject({ status: 'incomplete', hints: '未报：象山县（见报送情况）' });
    // a reason other than the missing unit (no 2017H1 for the 同比) is still its own finding
    expect(r.findings.some((f) => f.code === 'reconcile.incomplete' && f.message.includes('同比'))).toBe(true);
  });
});
