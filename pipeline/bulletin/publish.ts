// `bulletin --publish`: the figures the bulletin printed become data/published/<period>.yaml, so the
// next `report` reconciles against what was actually published.
import YAML from 'yaml';
import { PublishedFile, type PublishedFigure } from '../../schemas/published.ts';
import type { BulletinModel } from './draft.ts';
import { cmp } from '../compare.ts';

const key = (f: { scope_code: string; indicator: string; relation: string }) => `${f.scope_code}\u0000${f.indicator}\u0000${f.relation}`;

export interface PublishChange {
  kind: 'added' | 'replaced' | 'removed' | 'kept';
  id: string;
  before?: string;
  after?: string;
}

/**
 * Contract: the published file after publishing the model. The bulletin's figures replace those of
 * the same scope, item and relation, and those an earlier draft of this bulletin (same `doc`)
 * published; figures from other documents are kept. 环比 phrases are not published (the record
 * has no relation for them). Sorted by id; every change listed.
 */
export function publishFigures(m: BulletinModel, existing: PublishedFile, doc: string): { file: PublishedFile; changes: PublishChange[] } {
  const fresh: PublishedFigure[] = [];
  const byKey = new Map(existing.figures.map((f) => [key(f), f]));
  const usedIds = new Set<string>();
  for (const f of m.figures) {
    if (f.relation === 'mom_growth') continue;
    const old = byKey.get(key(f));
    let id = old?.id ?? (f.scope === 'city' ? f.indicator : `${f.indicator}_${f.scope_code}`) + (f.relation === 'yoy_growth' && !old ? '_yoy' : '');
    while (usedIds.has(id)) id += '_2';
    usedIds.add(id);
    fresh.push({
      id,
      indicator: f.indicator as PublishedFigure['indicator'],
      relation: f.relation,
      scope: f.scope,
      scope_code: f.scope_code as PublishedFigure['scope_code'],
      text: f.text,
      subject_zh: f.subject_zh,
      source: { doc, quote: f.quote },
    });
  }
  const freshKeys = new Set(fresh.map(key));
  const changes: PublishChange[] = [];
  const kept: PublishedFigure[] = [];
  for (const f of existing.figures) {
    if (freshKeys.has(key(f))) continue;
    if (f.source.doc === doc) changes.push({ kind: 'removed', id: f.id, before: f.text });
    else {
      kept.push(f);
      changes.push({ kind: 'kept', id: f.id, before: f.text });
    }
  }
  for (const f of fresh) {
    const old = byKey.get(key(f));
    if (!old) changes.push({ kind: 'added', id: f.id, after: f.text });
    else if (old.text !== f.text || old.source.quote !== f.source.quote || old.source.doc !== doc) changes.push({ kind: 'replaced', id: f.id, before: `${old.text}（${old.source.doc}）`, after: f.text });
  }
  const figures = [...kept, ...fresh].sort((a, b) => cmp(a.id, b.id));
  const file = PublishedFile.parse({ period: existing.period, figures });
  return { file, changes: changes.sort((a, b) => cmp(a.id, b.id)) };
}

/** The published file as YAML, in the layout of the shipped ones. */
export function publishedYaml(file: PublishedFile, doc: string): string {
  const header = `# Published figures for ${file.period}. Figures whose source.doc is ${doc} were written by\n# \`banbao bulletin --publish\` from the phrases of the approved bulletin; the others are kept as they were.\n`;
  return header + YAML.stringify(file, { lineWidth: 0 });
}
