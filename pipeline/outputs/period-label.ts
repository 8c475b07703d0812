// A period code as people write it: 2018H1 → 2018年上半年 (the page, the workbook, the terminal).

/** 2018H1 → 2018年上半年; anything else is returned as given. */
export function periodLabel(period: string): string {
  const m = /^(\d{4})H([12])$/.exec(period);
  return m ? `${m[1]}年${m[2] === '1' ? '上' : '下'}半年` : period;
}
