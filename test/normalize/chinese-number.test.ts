import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { normalizeText, parseSubmittedValue, type ParsedValue } from '../../pipeline/normalize/chinese-number.ts';

const num = (value: number, percent = false): ParsedValue => ({ kind: 'number', value, percent });
const bad = (code: 'value.approximate' | 'value.formula_error' | 'value.not_a_number', token: string): ParsedValue => ({
  kind: 'invalid',
  code,
  token,
});

describe('normalizeText', () => {
  it.each([
    ['１２４８', '1248'],
    ['５７．８％', '57.8%'],
    ['1，248', '1,248'],
    ['  填报单位：\u3000鄞州区委组织部\u3000\u3000填报日期  ', '填报单位: 鄞州区委组织部 填报日期'],
    ['本期数\t\n备注', '本期数 备注'],
    ['12\u200B48', '1248'],
    ['\uFEFF序号', '序号'],
    ['指标\u00A0名称', '指标 名称'],
  ])('normalizes %j to %j', (input, expected) => {
    expect(normalizeText(input)).toBe(expected);
  });

  it('is idempotent on any string', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (s) => {
        const once = normalizeText(s);
        expect(normalizeText(once)).toBe(once);
      }),
    );
  });

  it('never leaves leading, trailing or doubled whitespace', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        const out = normalizeText(s);
        expect(out).toBe(out.trim());
        expect(out).not.toMatch(/\s\s|[^\S ]/u);
      }),
    );
  });
});

describe('parseSubmittedValue: numbers', () => {
  it.each<[string, string | number, ParsedValue]>([
    ['plain integers', '1248', num(1248)],
    ['full-width digits', '１２４８', num(1248)],
    ['thousands separators', '1,248', num(1248)],
    ['a full-width comma as thousands separator', '1，248', num(1248)],
    ['several thousands groups', '12,480,000', num(12480000)],
    ['a space between digit groups', '12 480', num(12480)],
    ['a thin space between digit groups', '12\u2009480', num(12480)],
    ['a no-break space between digit groups', '12\u00A0480', num(12480)],
    ['an ideographic space between digit groups', '12\u3000480', num(12480)],
    ['a leading plus sign', '+5', num(5)],
    ['a leading minus sign', '-5', num(-5)],
    ['a U+2212 minus sign', '\u22125', num(-5)],
    ['a full-width minus sign', '－5', num(-5)],
    ['decimals', '3.14', num(3.14)],
    ['a full-width decimal point', '３．１４', num(3.14)],
    ['a leading decimal point', '.5', num(0.5)],
    ['leading zeros', '0012', num(12)],
    ['surrounding whitespace', '  1248\u3000', num(1248)],
    ['a trailing measure word 个', '1248个', num(1248)],
    ['a trailing measure word 人次', '1600人次', num(1600)],
    ['a trailing measure word 家次', '115家次', num(115)],
    ['a trailing measure word 场次', '2260场次', num(2260)],
    ['a trailing measure word after a space', '1248 个', num(1248)],
    ['a trailing unit 平方米', '400平方米', num(400)],
    ['1.2万 as 12000', '1.2万', num(12000)],
    ['0.1万 as exactly 1000', '0.1万', num(1000)],
    ['5.7亿 as 570000000', '5.7亿', num(570000000)],
    ['1.2万人 as 12000', '1.2万人', num(12000)],
    ['130万元 in base units (元) as 1300000', '130万元', num(1300000)],
    ['704亿元 as 70400000000', '704亿元', num(70400000000)],
    ['a multiplier after a space', '8.6 万', num(86000)],
    ['0.3 without float noise', '0.3', num(0.3)],
    ['57.8% as 57.8 with percent', '57.8%', num(57.8, true)],
    ['a full-width percent sign', '５７．８％', num(57.8, true)],
    ['a percent sign after a space', '57.8 %', num(57.8, true)],
    ['100%', '100%', num(100, true)],
    ['a per-mille sign as a tenth of a percent', '5‰', num(0.5, true)],
    ['scientific notation as Excel exports it', '1.2E+04', num(12000)],
    ['a JS number unchanged', 1248, num(1248)],
    ['a JS fraction unchanged', 0.578, num(0.578)],
    ['a JS negative zero as 0', -0, num(0)],
    ['zero text as 0 (zero is not missing)', '0', num(0)],
  ])('reads %s', (_label, input, expected) => {
    expect(parseSubmittedValue(input)).toEqual(expected);
  });

  it('reads 1.2万 as 12000', () => {
    expect(parseSubmittedValue('1.2万')).toEqual(num(12000));
  });
});

describe('parseSubmittedValue: empty and not applicable', () => {
  it.each<[string | null | undefined]>([[''], ['   '], ['\u3000\u3000'], ['\t\n'], [null], [undefined]])(
    'reads %j as empty (missing, not zero)',
    (input) => {
      expect(parseSubmittedValue(input)).toEqual({ kind: 'empty' });
    },
  );

  it.each([
    ['—', '—'],
    ['——', '——'],
    ['-', '-'],
    ['–', '–'],
    ['--', '--'],
    ['/', '/'],
    ['／', '/'],
    ['无', '无'],
    [' 无 ', '无'],
    ['N/A', 'N/A'],
    ['n/a', 'n/a'],
    ['不适用', '不适用'],
  ])('reads %j as not applicable', (input, token) => {
    expect(parseSubmittedValue(input)).toEqual({ kind: 'na', token });
  });
});

describe('parseSubmittedValue: invalid values', () => {
  it.each(['#REF!', '#DIV/0!', '#N/A', '#VALUE!', '#NAME?', '#NUM!', '#NULL!', '#SPILL!', '#CALC!', '#GETTING_DATA', '#div/0!', 'Err:502'])(
    'reports %s as a formula error',
    (input) => {
      expect(parseSubmittedValue(input)).toEqual(bad('value.formula_error', input));
    },
  );

  it.each([
    '120余', '130多', '1600余人次', '120多万', '近60%', '将近60', '约400', '大约400', '400左右', '400上下',
    '上千', '数万', '千名', '百名', '100以上', '超过100', '突破500个', '不到100', '不足100', '逾百', '100来人', '1-2', '2-3个', '10~20',
  ])('reports %s as approximate', (input) => {
    expect(parseSubmittedValue(input)).toEqual(bad('value.approximate', input));
  });

  it.each<[string, string | number | boolean]>([
    ['a formula text', '=SUM(A1:A3)'],
    ['a number with a remark', '1248 (含市直)'],
    ['a number with a full-width remark', '1248（含市直）'],
    ['invalid thousands grouping', '1,24'],
    ['invalid grouping in later groups', '12,48,000'],
    ['two numbers separated by a space', '1 2'],
    ['a date', '2018-07-05'],
    ['Chinese numerals (digits are due)', '十二'],
    ['a unit label alone', '万元'],
    ['a multiplier and a percent together', '1.2万%'],
    ['a bare word', '暂无'],
    ['a lone decimal point', '.'],
    ['a lone sign with a unit', '-个'],
    ['true', true],
    ['false', false],
    ['NaN', Number.NaN],
    ['Infinity', Number.POSITIVE_INFINITY],
    ['-Infinity', Number.NEGATIVE_INFINITY],
  ])('reports %s as not a number', (_label, input) => {
    const out = parseSubmittedValue(input);
    expect(out.kind).toBe('invalid');
    expect(out.kind === 'invalid' && out.code).toBe('value.not_a_number');
  });

  it('keeps the normalized text as the token', () => {
    expect(parseSubmittedValue('　１２４８（含市直）　')).toEqual(bad('value.not_a_number', '1248(含市直)'));
    expect(parseSubmittedValue('１２０余')).toEqual(bad('value.approximate', '120余'));
  });
});

// ── properties ─────────────────────────────────────────────────────────────────────────────

const FULL_WIDTH: Record<string, string> = { '.': '．', '-': '－', ',': '，', '%': '％' };
const toFullWidth = (s: string) =>
  [...s].map((c) => (/[0-9]/.test(c) ? String.fromCharCode(c.charCodeAt(0) + 0xfee0) : (FULL_WIDTH[c] ?? c))).join('');

/** Exact decimal text of n (an integer or a two-decimal value), without exponent. */
function decimalText(n: number): string {
  const fixed = Math.abs(n).toFixed(2).replace(/\.?0+$/, '');
  return (n < 0 ? '-' : '') + (fixed === '' ? '0' : fixed);
}

function group(text: string, sep: string): string {
  const [, sign, int, frac] = /^(-?)(\d+)(\.\d+)?$/.exec(text)!;
  return sign + int.replace(/\B(?=(\d{3})+(?!\d))/g, sep) + (frac ?? '');
}

/** n / 10^k written as a decimal, by moving the point: exact, no float division. */
function shiftPoint(text: string, k: number): string {
  const [, sign, int, frac = ''] = /^(-?)(\d+)(?:\.(\d+))?$/.exec(text)!;
  const digits = int.padStart(k + 1, '0') + frac;
  const point = digits.length - frac.length - k;
  const out = `${digits.slice(0, point)}.${digits.slice(point)}`.replace(/^0+(?=\d)/, '').replace(/\.?0+$/, '');
  return sign + (out === '' ? '0' : out);
}

const anyNumber = fc.oneof(
  fc.integer({ min: -1_000_000_000_000, max: 1_000_000_000_000 }),
  fc.integer({ min: -100_000_000_000, max: 100_000_000_000 }).map((k) => k / 100),
);
const MEASURE = ['个', '人', '名', '次', '起', '件', '项', '户', '家', '人次', '家次', '支', '条', '元', '场次', '期', '份', '所'];

describe('parseSubmittedValue: properties', () => {
  it('never throws and always returns a well-formed value', () => {
    const grammarish = fc
      .array(fc.constantFrom(...'0123456789１２,，. 　%％万亿余多近约左右以上+-−—/#元个人次N/A=()（）'.split(''), '人次', '#REF!'), { maxLength: 12 })
      .map((parts) => parts.join(''));
    const anyInput = fc.oneof(
      fc.string({ unit: 'binary' }),
      fc.string({ unit: 'grapheme' }),
      grammarish,
      fc.double(),
      fc.integer(),
      fc.boolean(),
      fc.constantFrom(null, undefined),
    );
    fc.assert(
      fc.property(anyInput, (input) => {
        const out = parseSubmittedValue(input);
        expect(['number', 'empty', 'na', 'invalid']).toContain(out.kind);
        if (out.kind === 'number') expect(Number.isFinite(out.value)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('reads back exactly every accepted spelling of an integer or two-decimal number', () => {
    fc.assert(
      fc.property(anyNumber, fc.constantFrom(...MEASURE), (n, word) => {
        const plain = decimalText(n);
        const spellings: [string, boolean][] = [
          [plain, false],
          [group(plain, ','), false],
          [group(plain, '，'), false],
          [group(plain, ' '), false],
          [group(plain, '\u2009'), false],
          [toFullWidth(plain), false],
          [toFullWidth(group(plain, ',')), false],
          [`${plain}${word}`, false],
          [`${group(plain, ',')} ${word}`, false],
          [`${plain}%`, true],
          [toFullWidth(`${plain}%`), true],
          [`${shiftPoint(plain, 4)}万`, false],
          [`${shiftPoint(plain, 4)}万${word}`, false],
          [`${shiftPoint(plain, 8)}亿`, false],
        ];
        for (const [text, percent] of spellings) {
          expect(parseSubmittedValue(text), text).toEqual(num(n === 0 ? 0 : n, percent));
        }
      }),
      { numRuns: 500 },
    );
  });

  it('reports any number followed by 余, 多, 左右 or 上下, or preceded by 近 or 约, as approximate', () => {
    const positive = fc.oneof(fc.integer({ min: 0, max: 10_000_000 }), fc.integer({ min: 0, max: 1_000_000 }).map((k) => k / 100));
    const form = fc.oneof(
      fc.tuple(positive, fc.constantFrom('余', '多', '左右', '上下'), fc.constantFrom('', '万', '亿'), fc.constantFrom('', ...MEASURE)).map(
        ([n, marker, mult, word]) => (marker === '余' || marker === '多' ? `${decimalText(n)}${marker}${mult}${word}` : `${decimalText(n)}${mult}${word}${marker}`),
      ),
      fc.tuple(fc.constantFrom('近', '约', '将近', '大约'), positive, fc.constantFrom('', '%', '万', '亿', ...MEASURE)).map(
        ([marker, n, tail]) => `${marker}${decimalText(n)}${tail}`,
      ),
    );
    fc.assert(
      fc.property(form, fc.boolean(), fc.boolean(), (text, grouped, wide) => {
        let spelled = grouped ? text.replace(/\d+/, (d) => group(d, ',')) : text;
        if (wide) spelled = toFullWidth(spelled);
        const out = parseSubmittedValue(spelled);
        expect(out.kind === 'invalid' && out.code, spelled).toBe('value.approximate');
      }),
      { numRuns: 1000 },
    );
  });
});

describe('parseSubmittedValue: two figures in one cell', () => {
  it('an old figure and its correction on two lines (Alt+Enter) is never one number, whatever the digits (property)', () => {
    fc.assert(
      fc.property(fc.nat({ max: 99999 }), fc.nat({ max: 99999 }), fc.constantFrom('\n', '\r\n', '\n ', ' \n', '\u2028'), (a, b, br) => {
        const r = parseSubmittedValue(`${a}${br}${b}`);
        expect(r.kind).toBe('invalid');
      }),
      { numRuns: 500 },
    );
  });

  it('a measure word on the next line is still the number (88⏎人)', () => {
    expect(parseSubmittedValue('88\n人')).toEqual({ kind: 'number', value: 88, percent: false });
  });
});
