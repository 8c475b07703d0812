// Two runs of one period: which submission files changed bytes (SHA-256 per the manifests), came or went.
import type { ManifestShape } from './folder.ts';
import { fullJoin } from './join.ts';
import { diffRow, type DiffRow } from './model.ts';
import { cmp } from '../compare.ts';

type Input = ManifestShape['inputs'][number];

export function diffInputs(a: ManifestShape, b: ManifestShape, names: { a: string; b: string }, unitName: (code: string) => string): DiffRow[] {
  const rows: DiffRow[] = [];
  const pairs = fullJoin<Input>(a.inputs, b.inputs, ['file'], (i) => [i.file]).sort((x, y) => cmp((x.after ?? x.before)!.file, (y.after ?? y.before)!.file));
  for (const { before, after } of pairs) {
    const i = (after ?? before)!;
    const base = { unit: i.unit, unit_name: i.unit.split(' ').map(unitName).filter(Boolean).join('、'), sha256_before: before?.sha256 ?? '', sha256_after: after?.sha256 ?? '' };
    if (before && after) {
      if (before.sha256 === after.sha256) continue;
      rows.push(
        diffRow('input', 'changed', {
          ...base,
          file_before: before.file,
          file_after: after.file,
          input_sha256: 'changed',
          before: before.sha256.slice(0, 12),
          after: after.sha256.slice(0, 12),
          message: `${i.file} 已重新报送：sha256 ${before.sha256.slice(0, 12)}… → ${after.sha256.slice(0, 12)}…`,
        }),
      );
    } else if (after) rows.push(diffRow('input', 'added', { ...base, file_after: after.file, after: after.sha256.slice(0, 12), message: `${names.b} 新增报送文件 ${after.file}` }));
    else rows.push(diffRow('input', 'removed', { ...base, file_before: before!.file, before: before!.sha256.slice(0, 12), message: `${names.b} 不再有报送文件 ${before!.file}` }));
  }
  return rows;
}
