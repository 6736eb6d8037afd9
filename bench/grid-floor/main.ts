// The floor for the renderer's "first rows" benchmark: ag-grid alone, with the modules and theme the app uses, the
// same first page (300 figures) asked for through the same HTTP client, shown in plain text columns. No app code,
// no catalog, no editors: what loading and drawing the grid costs in this browser on this machine.
import { createGrid, type ColDef, ModuleRegistry } from 'ag-grid-community';
import type { FigureView } from '../../src/shared/domain';
import { connect } from '../../src/renderer/api/connect';
import { GRID_MODULES } from '../../src/renderer/grid/modules';
import { gridTheme } from '../../src/renderer/grid/theme';

ModuleRegistry.registerModules(GRID_MODULES);

const { api } = connect();
const firstPage = api.listFigures({ limit: 300 });
const fields: Array<keyof FigureView> = [
  'metric',
  'value',
  'low',
  'high',
  'qualifier',
  'as_of',
  'location',
  'source',
  'relayed_via',
  'citation_title',
  'excerpt',
  'status',
  'note',
];
const columnDefs: ColDef<FigureView>[] = fields.map((field) => ({ field, width: 140 }));
const grid = createGrid<FigureView>(document.getElementById('grid')!, { theme: gridTheme, columnDefs, rowData: [] });
void firstPage.then((page) => grid.setGridOption('rowData', page.rows));
