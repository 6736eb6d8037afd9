// The ag-grid modules the figures grid uses (ag-grid bundles only what is registered). Shared with the benchmark's
// bare ag-grid page (bench/grid-floor), so that floor loads the same grid code.
import {
  CellApiModule,
  CellStyleModule,
  ClientSideRowModelApiModule,
  ClientSideRowModelModule,
  ColumnApiModule,
  CustomEditorModule,
  EventApiModule,
  ExternalFilterModule,
  HighlightChangesModule,
  LocaleModule,
  type Module,
  PinnedRowModule,
  RenderApiModule,
  RowApiModule,
  RowStyleModule,
  ScrollApiModule,
  TooltipModule,
  ValueCacheModule,
} from 'ag-grid-community';

export const GRID_MODULES: Module[] = [
  ClientSideRowModelModule,
  ClientSideRowModelApiModule,
  RowApiModule,
  ColumnApiModule,
  RenderApiModule,
  ScrollApiModule,
  EventApiModule,
  // a filter narrower than the rows held hides the others (figuresGrid.ts)
  ExternalFilterModule,
  // the words shown when such a filter leaves no row
  LocaleModule,
  CustomEditorModule,
  PinnedRowModule,
  CellStyleModule,
  RowStyleModule,
  HighlightChangesModule,
  TooltipModule,
  ValueCacheModule,
  // getCellValue: the sort reads each row's value once (rowSort.ts)
  CellApiModule,
];
