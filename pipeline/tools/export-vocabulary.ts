// data/reference/form-vocabulary.yaml → pipeline/normalize/form-vocabulary.generated.ts (checked by
// zod). The readers import the generated module, so the same words reach the browser's check page,
// which has no disk to read the YAML from. A test keeps the two in step.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { FormVocabulary } from '../normalize/vocabulary-data.ts';
import { writeAtomic } from '../io.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const VOCABULARY_YAML = path.join(ROOT, 'data/reference/form-vocabulary.yaml');
export const VOCABULARY_TS = path.join(ROOT, 'pipeline/normalize/form-vocabulary.generated.ts');

export function vocabularyModule(yamlText = readFileSync(VOCABULARY_YAML, 'utf8')): string {
  const v = FormVocabulary.parse(parse(yamlText));
  return (
    '// Made from data/reference/form-vocabulary.yaml by pipeline/tools/export-vocabulary.ts: edit the YAML, not this file.\n' +
    "import type { FormVocabulary } from './vocabulary-data.ts';\n\n" +
    `export const FORM_VOCABULARY: FormVocabulary = ${JSON.stringify(v, null, 2)};\n`
  );
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  writeAtomic(VOCABULARY_TS, vocabularyModule());
  console.log(`wrote ${path.relative(ROOT, VOCABULARY_TS)}`);
}
