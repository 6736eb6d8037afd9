// Each API call's name and kind, without its input schema: all a client needs to send calls. The renderer's entry
// imports this and not api.ts, so its first requests go out before zod and the schemas are loaded.
import type { ApiCallName } from './api';

/** read: answers from the workbook; write: one undoable transaction; task: long, with progress and cancel */
export type CallKind = 'read' | 'write' | 'task';

export type { ApiCallName };

export const CALL_KINDS = {
  getWorkbookInfo: 'read',
  listMetrics: 'read',
  createMetric: 'write',
  updateMetric: 'write',
  mergeMetrics: 'write',
  listLocations: 'read',
  createLocation: 'write',
  updateLocation: 'write',
  mergeLocations: 'write',
  listSources: 'read',
  createSource: 'write',
  updateSource: 'write',
  mergeSources: 'write',
  listCitations: 'read',
  createCitation: 'write',
  updateCitation: 'write',
  mergeCitations: 'write',
  getDocument: 'read',
  attachDocument: 'write',
  listVagueRules: 'read',
  createVagueRule: 'write',
  updateVagueRule: 'write',
  deleteVagueRule: 'write',
  listFigures: 'read',
  figureIds: 'read',
  getFigure: 'read',
  createFigure: 'write',
  createFigures: 'write',
  updateFigure: 'write',
  updateFigures: 'write',
  retractFigure: 'write',
  revertFigure: 'write',
  history: 'read',
  undo: 'write',
  compare: 'read',
  comparePeriod: 'read',
  series: 'read',
  latestContestedDate: 'read',
  listImportBatches: 'read',
  importCsv: 'task',
  exportCsv: 'task',
  exportCompareCsv: 'task',
  backup: 'task',
  listBackups: 'read',
  backupNow: 'task',
  restoreBackup: 'task',
  check: 'read',
  mergeWorkbook: 'task',
  listConflicts: 'read',
  resolveConflict: 'write',
  listDuplicates: 'read',
  listWarnings: 'read',
  figureWarnings: 'read',
  dismissWarning: 'write',
  reopenWarning: 'write',
} as const satisfies Record<ApiCallName, CallKind>;

export const API_CALL_NAMES = Object.keys(CALL_KINDS) as ApiCallName[];
