// The grid's column layout (order, widths, hidden columns, sort) survives a restart: kept in localStorage.
import type { ColumnState, GridApi } from 'ag-grid-community';

const KEY = 'figures-workbench:figures-grid:columns:v1';

export function restoreLayout(api: GridApi): void {
  try {
    const state = JSON.parse(localStorage.getItem(KEY) ?? 'null') as ColumnState[] | null;
    if (Array.isArray(state)) api.applyColumnState({ state, applyOrder: true });
  } catch {
    localStorage.removeItem(KEY); // a layout from an older version: start fresh
  }
}

let timer: ReturnType<typeof setTimeout> | undefined;

export function saveLayout(api: GridApi): void {
  clearTimeout(timer);
  timer = setTimeout(() => {
    if (!api.isDestroyed()) localStorage.setItem(KEY, JSON.stringify(api.getColumnState()));
  }, 250);
}

export function resetLayout(api: GridApi): void {
  localStorage.removeItem(KEY);
  api.resetColumnState();
}
