// Catalogue changes between two catalogue.json: items added, dropped, renamed (same code, other
// name_zh), moved to another category, basis changed, or otherwise redefined.
import type { AnyItem, Catalogue } from '../../schemas/catalogue.ts';
import { fullJoin } from './join.ts';
import { BASIS_ZH, compareAs, diffRow, type DiffRow } from './model.ts';

export const allItems = (c: Catalogue): AnyItem[] => [...c.items, ...c.derived];

/** Fields that change what an item counts (not how it is shown or matched). */
const DEFINING = ['measure', 'type', 'reporters', 'part_of', 'na_allowed', 'village_level', 'numerator', 'denominator', 'of'] as const;

const kindZh = (it: AnyItem) => (it.type === 'count' ? '填报指标' : '计算指标');
const same = (x: unknown, y: unknown) => JSON.stringify(x ?? null) === JSON.stringify(y ?? null);

/** Item order for every output: B's catalogue order, then items only in A in A's order. */
export function itemOrder(a: Catalogue, b: Catalogue): Map<string, number> {
  const order = new Map<string, number>();
  for (const it of [...allItems(b), ...allItems(a)]) if (!order.has(it.code)) order.set(it.code, order.size);
  return order;
}

/** The catalogue differences, in item order. */
export function diffCatalogue(a: Catalogue, b: Catalogue): DiffRow[] {
  const order = itemOrder(a, b);
  const pairs = fullJoin(allItems(a), allItems(b), ['code'], (it) => [it.code]);
  pairs.sort((x, y) => order.get((x.after ?? x.before)!.code)! - order.get((y.after ?? y.before)!.code)!);
  const rows: DiffRow[] = [];
  for (const { before, after } of pairs) {
    const it = (after ?? before)!;
    const base = { indicator: it.code, name_zh: it.name_zh, basis: it.basis, compare_as: compareAs(it.basis) };
    if (!before) {
      rows.push(diffRow('catalogue', 'added', { ...base, after: it.name_zh, message: `${b.period} 新增${kindZh(it)}“${it.name_zh}”（${it.code}，${it.category}，${BASIS_ZH[it.basis]}，${it.measure}）` }));
      continue;
    }
    if (!after) {
      rows.push(diffRow('catalogue', 'dropped', { ...base, before: it.name_zh, message: `${b.period} 不再有${kindZh(it)}“${it.name_zh}”（${it.code}，${it.category}）` }));
      continue;
    }
    if (before.name_zh !== after.name_zh)
      rows.push(diffRow('catalogue', 'renamed', { ...base, before: before.name_zh, after: after.name_zh, message: `${it.code} 改名：“${before.name_zh}” → “${after.name_zh}”（代码不变，数值照常比较）` }));
    if (before.category !== after.category)
      rows.push(diffRow('catalogue', 'moved', { ...base, before: before.category, after: after.category, message: `“${after.name_zh}”从类别“${before.category}”移到“${after.category}”` }));
    if (before.basis !== after.basis)
      rows.push(
        diffRow('catalogue', 'basis_changed', {
          ...base,
          basis: `${before.basis}→${after.basis}`,
          before: before.basis,
          after: after.basis,
          message: `“${after.name_zh}”口径改变：${BASIS_ZH[before.basis]} → ${BASIS_ZH[after.basis]}，两期数值不宜直接比较`,
        }),
      );
    const changed = DEFINING.filter((f) => !same((before as Record<string, unknown>)[f], (after as Record<string, unknown>)[f]));
    if (changed.length) {
      const show = (x: AnyItem) => changed.map((f) => `${f}=${JSON.stringify((x as Record<string, unknown>)[f] ?? null)}`).join('; ');
      rows.push(diffRow('catalogue', 'redefined', { ...base, before: show(before), after: show(after), message: `“${after.name_zh}”定义改变（${changed.join('、')}）` }));
    }
  }
  return rows;
}
