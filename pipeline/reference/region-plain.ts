// The region file `make roster` writes, read without the `yaml` package when its lines are plain: a
// country's 3,300 units through the package take 0.4–0.6 s, read line by line a few milliseconds.
//
// Only the shape regionYaml writes is read here (extract-roster.ts): comment lines, top-level
// `key: scalar` and `key:` lines, and `  - { key: value, … }` items of a key's list, each value a
// scalar or a flow list `[ a, b ]` of scalars. A scalar is double-quoted without escapes, or plain and
// certain to be read by YAML as the same string: it starts with a letter or a non-ASCII character, has
// no space, no YAML indicator, and is not a word YAML reads as true, false or null. Anything else (a
// duplicate key, which YAML refuses; a CR, a tab, a BOM, a trailing comment, other spacing, an empty
// list under a key) returns undefined, and the loader reads the file with the `yaml` package, with its
// messages. A property test holds this reading to the package's on random files (region.test.ts).

type Scalar = string;
type Value = Scalar | Scalar[];
type Item = Record<string, Value>;
type Doc = Record<string, Scalar | Item[]>;

/** A key as YAML reads it, as itself: a lowercase word, not one YAML resolves to a boolean or null. */
const KEY = /^[a-z][a-z0-9_]*$/;
/** Plain scalars read as strings: a first character no YAML indicator, digit, sign or dot; no space, flow indicator, colon, comment or quote. */
const PLAIN = /^(?!\s)[A-Za-z\u00a0-\ufffd][^\s,[\]{}#:"'`\\\u0000-\u001f\u007f-\u009f\ufeff\ufffe\uffff]*$/;
/** words YAML 1.1 or 1.2 may read as a boolean or null: never taken as plain here */
const KEYWORD = /^(?:true|false|null|yes|no|on|off|y|n)$/i;
/** a double-quoted scalar without escapes or control characters */
const QUOTED = /^"([^"\\\u0000-\u001f\u007f-\u009f\u2028\u2029\ufeff\ufffe\uffff]*)"$/;

/** One scalar token, or undefined. */
function scalar(t: string): Scalar | undefined {
  const q = QUOTED.exec(t);
  if (q) return q[1];
  if (PLAIN.test(t) && !KEYWORD.test(t)) return t;
  return undefined;
}

/** A `{ k: v, k: [ a, b ] }` item as regionYaml writes it, or undefined. */
function flowMap(s: string): Item | undefined {
  if (!s.startsWith('{ ') || !s.endsWith(' }')) return undefined;
  const item: Item = {};
  let p = 2;
  const end = s.length - 2;
  for (;;) {
    const colon = s.indexOf(': ', p);
    if (colon < 0) return undefined;
    const key = s.slice(p, colon);
    if (key.length >= 1024 || !KEY.test(key) || KEYWORD.test(key) || Object.hasOwn(item, key)) return undefined;
    p = colon + 2;
    let next: number;
    if (s.startsWith('[]', p)) {
      item[key] = [];
      next = p + 2;
    } else if (s.startsWith('[ ', p)) {
      const close = s.indexOf(' ]', p);
      if (close < 0 || close > end) return undefined;
      const list: Scalar[] = [];
      for (const t of s.slice(p + 2, close).split(', ')) {
        const v = scalar(t);
        if (v === undefined) return undefined;
        list.push(v);
      }
      item[key] = list;
      next = close + 2;
    } else {
      let comma = s.indexOf(', ', p);
      if (comma < 0 || comma > end) comma = end;
      const v = scalar(s.slice(p, comma));
      if (v === undefined) return undefined;
      item[key] = v;
      next = comma;
    }
    if (next === end) return item;
    if (!s.startsWith(', ', next)) return undefined;
    p = next + 2;
  }
}

/** The value YAML.parse gives for a plain region file, or undefined when the `yaml` package must read it. */
export function readPlainRegion(text: string): Doc | undefined {
  if (text.includes('\r') || text.includes('\t') || text.startsWith('\uFEFF')) return undefined;
  const doc: Doc = {};
  let list: Item[] | undefined;
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    if (line.startsWith('  - ')) {
      const item = list && flowMap(line.slice(4));
      if (!item) return undefined;
      list!.push(item);
      continue;
    }
    if (list && list.length === 0) return undefined; // `key:` with no items: YAML reads null
    list = undefined;
    const colon = line.indexOf(':');
    if (colon < 0) return undefined;
    const key = line.slice(0, colon);
    // YAML refuses an implicit key of 1024 characters or more
    if (key.length >= 1024 || !KEY.test(key) || KEYWORD.test(key) || Object.hasOwn(doc, key)) return undefined;
    const rest = line.slice(colon + 1);
    if (rest === '') {
      doc[key] = list = [];
      continue;
    }
    if (!rest.startsWith(' ')) return undefined;
    const v = scalar(rest.slice(1));
    if (v === undefined) return undefined;
    doc[key] = v;
  }
  if (list && list.length === 0) return undefined;
  return Object.keys(doc).length ? doc : undefined;
}
