// Valid example inputs for every call in API_CALLS, on a workbook seeded with what they refer to. The validation
// tests and the API fuzzer start from these: a malformed input is a valid one broken on purpose.
import { join } from 'node:path';
import type { ApiCallName } from '../../src/shared/api';
import { type ErrorCode, WorkbenchError } from '../../src/shared/errors';
import { openSession } from '../../src/core/session';
import { conflictId } from '../../src/core/sync/conflicts';
import { seedBasics, type TempWorkbook } from './tempWorkbook';

export interface Context {
  dir: string;
  metricId: string;
  sourceId: string;
  duplicateSourceId: string;
  citationId: string;
  duplicateCitationId: string;
  locationId: string;
  figureId: string;
  figureChangeId: number;
  undoableChangeId: number;
  backupName: string;
  vagueRuleId: string;
  /** two figures stating one claim: an open duplicate_claim warning */
  duplicatePair: string[];
  /** a dismissed warning */
  dismissalId: string;
  duplicateMetricId: string;
  duplicateLocationId: string;
  /** a copy of the workbook, changed since: one location changed on both sides (a conflict once merged) */
  otherWorkbook: string;
  /** the id the conflict of that location will have */
  conflictId: string;
}

export async function makeContext(t: TempWorkbook): Promise<Context> {
  const { api } = t;
  const basics = await seedBasics(api);
  const duplicateSource = (await api.createSource({ name: 'Source Alpha (dup)' })).value;
  const duplicateCitation = (await api.createCitation({ title: 'Situation report 1 (dup)' })).value;
  const figure = (
    await api.createFigure({
      metric_id: basics.metric('killed_total'),
      source_id: basics.sourceA.id,
      citation_id: basics.citation.id,
      location_id: basics.gaza.id,
      value: 10,
      as_of: '2024-01-01',
    })
  ).value;
  const [insert] = await api.history({ entity: 'figure', id: figure.id });
  const undoable = (await api.createLocation({ name: 'Undo target' })).value;
  await api.updateLocation({ id: undoable.id, patch: { note: 'to be undone' } });
  const undoHistory = await api.history({ entity: 'location', id: undoable.id });
  const vagueRule = (await api.createVagueRule({ word: 'a handful', value: 3, qualifier: 'approximately' })).value;
  const twin = {
    metric_id: basics.metric('injured'),
    source_id: basics.sourceB.id,
    citation_id: basics.citation.id,
    location_id: basics.rafah.id,
    value: 7,
    as_of: '2024-02-01',
  };
  const pair = (await api.createFigures({ figures: [twin, twin] })).value.map((f) => f.id).sort();
  const fraction = (await api.createFigure({ ...twin, value: 2.5, as_of: '2024-02-02' })).value;
  const dismissal = (await api.dismissWarning({ kind: 'fractional_count', figure_ids: [fraction.id], reason: 'an example' })).value;
  const duplicateMetric = (await api.createMetric({ code: 'aid_trucks_dup', label: 'Aid trucks (dup)', unit: 'trucks' })).value;
  const duplicateLocation = (await api.createLocation({ name: 'Rafah (dup)' })).value;
  // a copy taken now and changed apart from the workbook: the same location edited on both sides
  const disputed = (await api.createLocation({ name: 'Disputed place' })).value;
  const otherWorkbook = join(t.dir, 'other-copy.fwb');
  await api.backup({ to: otherWorkbook });
  const other = await openSession(otherWorkbook, { user: 'other', create: false });
  const theirs = await other.api.updateLocation({ id: disputed.id, patch: { note: 'theirs' } });
  other.workbook.close();
  const ours = await api.updateLocation({ id: disputed.id, patch: { note: 'ours' } });
  const [aTxn, bTxn] = [ours.txn, theirs.txn].sort();
  const backup = await api.backupNow({});
  return {
    dir: t.dir,
    metricId: basics.metric('aid_trucks'),
    sourceId: basics.sourceA.id,
    duplicateSourceId: duplicateSource.id,
    citationId: basics.citation.id,
    duplicateCitationId: duplicateCitation.id,
    locationId: basics.rafah.id,
    figureId: figure.id,
    figureChangeId: insert!.id,
    undoableChangeId: undoHistory.at(-1)!.id,
    backupName: backup.backup.name,
    vagueRuleId: vagueRule.id,
    duplicatePair: pair,
    dismissalId: dismissal.id,
    duplicateMetricId: duplicateMetric.id,
    duplicateLocationId: duplicateLocation.id,
    otherWorkbook,
    conflictId: conflictId('location', disputed.id, aTxn!, bTxn!),
  };
}

export interface CallCase {
  /** an input the call accepts */
  valid: (c: Context) => Record<string, unknown>;
  /** top-level keys whose absence the call must refuse */
  required: string[];
  /**
   * the code the example is refused with where there is no team server (a port nothing listens on): the call is
   * reached, and says plainly why it cannot go on; the sync tests run it against a real PostgreSQL
   */
  offline?: ErrorCode;
}

/** Runs a call's example: resolves with its result, or with its `offline` refusal when it has one. */
export async function runExample(name: ApiCallName, call: (input: unknown) => Promise<unknown>, context: Context): Promise<unknown> {
  const example = CALLS[name];
  try {
    return await call(example.valid(context));
  } catch (error) {
    if (example.offline && error instanceof WorkbenchError && error.code === example.offline) return error;
    throw error;
  }
}

export const CALLS: Record<ApiCallName, CallCase> = {
  getWorkbookInfo: { valid: () => ({}), required: [] },
  listMetrics: { valid: () => ({}), required: [] },
  createMetric: { valid: () => ({ code: 'schools_damaged', label: 'Schools damaged', unit: 'schools' }), required: ['code', 'label'] },
  updateMetric: { valid: (c) => ({ id: c.metricId, patch: { note: 'per day' }, why: 'note' }), required: ['id', 'patch'] },
  mergeMetrics: { valid: (c) => ({ keep_id: c.metricId, merge_ids: [c.duplicateMetricId] }), required: ['keep_id', 'merge_ids'] },
  listLocations: { valid: () => ({}), required: [] },
  createLocation: { valid: () => ({ name: 'Khan Younis', kind: 'city' }), required: ['name'] },
  updateLocation: { valid: (c) => ({ id: c.locationId, patch: { note: 'south' } }), required: ['id', 'patch'] },
  mergeLocations: { valid: (c) => ({ keep_id: c.locationId, merge_ids: [c.duplicateLocationId] }), required: ['keep_id', 'merge_ids'] },
  listSources: { valid: () => ({}), required: [] },
  createSource: { valid: () => ({ name: 'UNRWA', kind: 'un_agency', party_to_conflict: false }), required: ['name'] },
  updateSource: { valid: (c) => ({ id: c.sourceId, patch: { note: 'checked' } }), required: ['id', 'patch'] },
  mergeSources: { valid: (c) => ({ keep_id: c.sourceId, merge_ids: [c.duplicateSourceId] }), required: ['keep_id', 'merge_ids'] },
  listCitations: { valid: () => ({}), required: [] },
  createCitation: { valid: () => ({ title: 'Daily report', url: 'https://example.org/daily' }), required: [] },
  updateCitation: { valid: (c) => ({ id: c.citationId, patch: { language: 'en' } }), required: ['id', 'patch'] },
  mergeCitations: {
    valid: (c) => ({ keep_id: c.citationId, merge_ids: [c.duplicateCitationId] }),
    required: ['keep_id', 'merge_ids'],
  },
  getDocument: { valid: (c) => ({ citation_id: c.citationId }), required: ['citation_id'] },
  attachDocument: {
    valid: (c) => ({ citation_id: c.citationId, text: 'At least 10 people were killed, the report says.', name: 'report.txt' }),
    required: ['citation_id', 'text'],
  },
  listVagueRules: { valid: () => ({}), required: [] },
  createVagueRule: { valid: () => ({ word: 'a score', value: 20, qualifier: 'approximately' }), required: ['word', 'value'] },
  updateVagueRule: { valid: (c) => ({ id: c.vagueRuleId, patch: { value: 4 }, why: 'ACLED' }), required: ['id', 'patch'] },
  deleteVagueRule: { valid: (c) => ({ id: c.vagueRuleId, why: 'not used' }), required: ['id'] },
  listFigures: { valid: () => ({ metric: ['killed_total'], limit: 10 }), required: [] },
  figureIds: { valid: () => ({ metric: ['killed_total'], search: 'IDF' }), required: [] },
  getFigure: { valid: (c) => ({ id: c.figureId }), required: ['id'] },
  createFigure: {
    valid: (c) => ({ metric_id: c.metricId, source_id: c.sourceId, citation_id: c.citationId, value: 120, as_of: '2024-02-01' }),
    required: ['metric_id', 'source_id', 'citation_id', 'value', 'as_of'],
  },
  createFigures: {
    valid: (c) => ({
      figures: [{ metric_id: c.metricId, source_id: c.sourceId, citation_id: c.citationId, value: 130, as_of: '2024-02-02' }],
    }),
    required: ['figures'],
  },
  updateFigure: { valid: (c) => ({ id: c.figureId, patch: { note: 'edited' }, why: 'test' }), required: ['id', 'patch'] },
  updateFigures: { valid: (c) => ({ updates: [{ id: c.figureId, patch: { note: 'pasted' } }], why: 'test' }), required: ['updates'] },
  retractFigure: { valid: (c) => ({ id: c.figureId, reason: 'withdrawn' }), required: ['id', 'reason'] },
  revertFigure: { valid: (c) => ({ id: c.figureId, change_id: c.figureChangeId }), required: ['id', 'change_id'] },
  history: { valid: (c) => ({ entity: 'figure', id: c.figureId }), required: ['entity', 'id'] },
  undo: { valid: (c) => ({ change_id: c.undoableChangeId, why: 'test' }), required: ['change_id'] },
  compare: { valid: () => ({ metric: 'killed_total', location: 'Gaza Strip', as_of: '2024-05-19' }), required: ['metric'] },
  comparePeriod: {
    valid: () => ({ metric: 'aid_trucks', location: 'Gaza Strip', from: '2024-05-26', to: '2024-06-01' }),
    required: ['metric', 'from', 'to'],
  },
  series: { valid: () => ({ metric: 'killed_total', from: '2024-01', to: '2024' }), required: ['metric'] },
  latestContestedDate: { valid: () => ({}), required: [] },
  listImportBatches: { valid: () => ({}), required: [] },
  importCsv: {
    valid: () => ({
      file: { name: 'one.csv', text: 'metric,value,as_of,source,citation_title\nkilled_total,5,2024-03-01,Src,Doc\n' },
      dry_run: false,
    }),
    required: ['file'],
  },
  exportCsv: { valid: () => ({ filter: { metric: ['killed_total'] }, options: { bom: true, hxl: false }, to: 'text' }), required: ['to'] },
  exportCompareCsv: { valid: () => ({ query: { metric: 'killed_total' }, to: 'text' }), required: ['query', 'to'] },
  backup: { valid: (c) => ({ to: join(c.dir, 'backup-from-api.fwb') }), required: ['to'] },
  listBackups: { valid: () => ({}), required: [] },
  backupNow: { valid: () => ({ keep: 3 }), required: [] },
  restoreBackup: { valid: (c) => ({ name: c.backupName, keep: 5 }), required: ['name'] },
  check: { valid: () => ({}), required: [] },
  mergeWorkbook: { valid: (c) => ({ from: c.otherWorkbook }), required: ['from'] },
  listConflicts: { valid: () => ({ all: true }), required: [] },
  resolveConflict: { valid: (c) => ({ id: c.conflictId, pick: 'theirs', why: 'their note is right' }), required: ['id', 'pick'] },
  listDuplicates: { valid: () => ({}), required: [] },
  listSyncServers: { valid: () => ({}), required: [] },
  syncWorkbook: { valid: () => ({ server: 'postgresql://analyst@127.0.0.1:1/workbench', password: 'not stored' }), required: [], offline: 'io' },
  watchSyncServer: { valid: () => ({ server: 'postgresql://analyst@127.0.0.1:1/workbench', password: 'not stored' }), required: [], offline: 'io' },
  listWarnings: { valid: () => ({ kind: 'duplicate_claim', limit: 10 }), required: [] },
  figureWarnings: { valid: (c) => ({ figure_ids: c.duplicatePair }), required: ['figure_ids'] },
  dismissWarning: {
    valid: (c) => ({ kind: 'duplicate_claim', figure_ids: c.duplicatePair, reason: 'one report entered twice' }),
    required: ['kind', 'figure_ids', 'reason'],
  },
  reopenWarning: { valid: (c) => ({ dismissal_id: c.dismissalId }), required: ['dismissal_id'] },
};
