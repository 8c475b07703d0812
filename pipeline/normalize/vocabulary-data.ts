// The schema of data/reference/form-vocabulary.yaml (the words offices use in their forms).
import { z } from 'zod';

const Words = z.array(z.string().min(1)).min(1);
export const FormVocabulary = z
  .object({
    headers: z
      .object({
        name: Words, code: Words, value: Words, total: Words, cumulative: Words, measure: Words, note: Words,
        unit: Words, reporter: Words, period: Words, village_code: Words, village_code_generic: Words, village_name: Words, village_type: Words, other: Words, basis: Words,
      })
      .strict(),
    comparison: Words,
    count_words: Words,
    subtotal_rows: Words,
    total_rows: Words,
    share_words: Words,
    footer_words: Words,
    footer_labels: Words,
    yes_tokens: Words,
    no_tokens: Words,
    year_spans: Words,
  })
  .strict();
export type FormVocabulary = z.infer<typeof FormVocabulary>;
