// `banbao validate` prints a file's findings in the terminal up to a bound; the rest are in findings.csv.
import { describe, expect, it } from 'vitest';
import { formatFindings, PRINTED_FINDINGS } from '../../pipeline/validate-cli.ts';
import { finding } from '../../pipeline/messages.ts';
import { a1 } from '../../pipeline/ingest/grid.ts';

const bad = (n: number) =>
  Array.from({ length: n }, (_, i) =>
    finding('value.negative', { file: 'a.csv', sheet: '', cell: a1(i + 2, 5), row: i + 3, col: 6, unit: '330211', indicator: 'cadres_adjusted', period: '2018H1', raw: '-1' }, { item: '调整村社干部' }),
  );

describe('validate in the terminal', () => {
  it('a file of many findings prints the first ones and says how many more are in findings.csv', () => {
    const out = formatFindings({ file: 'a.csv', values: [], findings: bad(PRINTED_FINDINGS + 57) }).split('\n');
    expect(out.filter((l) => l.includes('value.negative'))).toHaveLength(PRINTED_FINDINGS);
    expect(out.at(-1)).toBe('  ……另 57 条，见输出目录中的 findings.csv');
    expect(out[1]).toContain(`错误 ${PRINTED_FINDINGS + 57} 条`); // the count is of them all
    expect(out.some((l) => l.includes(`F${PRINTED_FINDINGS + 2} `))).toBe(true);
    expect(out.some((l) => l.includes(`F${PRINTED_FINDINGS + 3} `))).toBe(false);
  });

  it('when not all are printed, errors come before warnings', () => {
    const warn = bad(PRINTED_FINDINGS + 10).map((f) => ({ ...f, severity: 'warning' as const }));
    const late = { ...bad(1)[0], cell: 'F9999', row: 9999 };
    const out = formatFindings({ file: 'a.csv', values: [], findings: [...warn, late] }).split('\n');
    expect(out.findIndex((l) => l.includes('F9999'))).toBe(out.findIndex((l) => l.includes('value.negative')));
  });

  it('a file within the bound prints every finding, with no line about more', () => {
    const out = formatFindings({ file: 'a.csv', values: [], findings: bad(3) }).split('\n');
    expect(out.filter((l) => l.includes('value.negative'))).toHaveLength(3);
    expect(out.some((l) => l.includes('另'))).toBe(false);
  });
});
