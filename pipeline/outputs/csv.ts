// CSV out: UTF-8 with BOM (so Excel on Chinese Windows opens it right), CRLF, RFC 4180 quoting, and
// text that a spreadsheet would run as a formula (= + - @ tab CR) neutralised with a leading '.
import Papa from 'papaparse';

const FORMULA_START = /^[=+\-@\t\r]/;

/** Escapes a text cell against spreadsheet formula injection (OWASP CSV injection guidance). */
export function neutralise(s: string): string {
  return FORMULA_START.test(s) ? `'${s}` : s;
}

/** Rows of plain values → CSV text. Numbers stay numbers; null is an empty field. */
export function toCsv(columns: string[], rows: Record<string, unknown>[]): string {
  const data = rows.map((r) =>
    columns.map((c) => {
      const v = r[c];
      if (v === null || v === undefined) return '';
      if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
      return neutralise(String(v));
    }),
  );
  return '\ufeff' + Papa.unparse({ fields: columns, data }, { newline: '\r\n', quotes: false }) + '\r\n';
}
