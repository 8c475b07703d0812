// 报送情况: each unit 已报 or 未报 from what the run knows — a unit whose file is missing is 未报,
// a wide summary's units are 已报 from that one file; the section keeps id="status".
import { beforeAll, describe, expect, it } from 'vitest';
import { renderSubmissionStatus, submissionStatus } from '../../pipeline/outputs/status-section.ts';
import type { PeriodResult } from '../../pipeline/run.ts';
import { runSample, sampleInputs } from '../sample.ts';

let all: PeriodResult;
let noXiangshan: PeriodResult;

beforeAll(async () => {
  all = await runSample('2018H1');
  noXiangshan = await runSample('2018H1', sampleInputs('2018H1').filter((i) => !i.file.startsWith('象山县')));
}, 60_000);

describe('renderSubmissionStatus', () => {
  it('lists every unit as 已报 with its file when all submitted', () => {
    const rows = submissionStatus(all);
    expect(rows.map((r) => r.code)).toEqual(all.ctx.units.map((u) => u.code));
    expect(rows.every((r) => r.submitted)).toBe(true);
    expect(rows.find((r) => r.name === '鄞州区')!.files).toEqual(['鄞州区_2018H1.csv']);
    const html = renderSubmissionStatus(all);
    expect(html.startsWith('<section id="status">')).toBe(true);
    expect(html).toContain('应报 11 个单位，已报 <strong>11</strong> 个，未报 <strong>0</strong> 个');
  });

  it('marks a unit whose file is missing 未报, and counts it', () => {
    const rows = submissionStatus(noXiangshan);
    expect(rows.filter((r) => !r.submitted).map((r) => r.name)).toEqual(['象山县']);
    expect(rows.find((r) => r.name === '象山县')!.files).toEqual([]);
    const html = renderSubmissionStatus(noXiangshan);
    expect(html).toMatch(/<tr data-unit="330225" data-submitted="false"><td>象山县<span class="code">330225<\/span><\/td><td><span class="badge badge-mismatch">未报<\/span>/);
    expect(html).toContain('未报 <strong>1</strong> 个');
  });
});
