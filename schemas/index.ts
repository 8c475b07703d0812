// The data model: one source of truth for types (z.infer) and for the exported JSON Schemas.
export * from './units.ts';
export * from './catalogue.ts';
export * from './published.ts';
export * from './finding.ts';
export * from './reconciled.ts';
export * from './submissions.ts';
export * from './bulletin.ts';

import { Unit, RosterEntry, Region } from './units.ts';
import { Catalogue } from './catalogue.ts';
import { PublishedFile } from './published.ts';
import { Finding } from './finding.ts';
import { ReconciledRow, ReconciliationRow } from './reconciled.ts';
import { ConfirmationsFile, ChoicesFile } from './submissions.ts';
import { BulletinFile } from './bulletin.ts';

/** The schemas exported as JSON Schema files under schemas/json/. */
export const EXPORTED_SCHEMAS = {
  unit: Unit,
  'roster-entry': RosterEntry,
  region: Region,
  catalogue: Catalogue,
  published: PublishedFile,
  finding: Finding,
  'reconciled-row': ReconciledRow,
  'reconciliation-row': ReconciliationRow,
  confirmations: ConfirmationsFile,
  choices: ChoicesFile,
  bulletin: BulletinFile,
} as const;
