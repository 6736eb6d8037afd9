// Placeholder page until the grid and compare views land: shows what the open workbook holds.
import type { WorkbenchApi } from '../shared/api';

declare global {
  interface Window {
    workbench: WorkbenchApi;
  }
}

async function start(): Promise<void> {
  const root = document.getElementById('app')!;
  const info = await window.workbench.getWorkbookInfo({});
  root.textContent = `${info.path}: ${info.counts.figures} figures from ${info.counts.sources} sources`;
}

void start();
