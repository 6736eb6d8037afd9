// The ag-grid modules the figures grid uses (ag-grid bundles only what is registered). Shared with the benchmark's
// bare ag-grid page (bench/grid-floor), so that floor loads the same grid code.
import {
  CellStyleModule,
  ClientSideRowModelApiModule,
  ClientSideRowModelModule,
  ColumnApiModule,
  CustomEditorModule,
  EventApiModule,
  HighlightChangesModule,
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
  CustomEditorModule,
  PinnedRowModule,
  CellStyleModule,
  RowStyleModule,
  HighlightChangesModule,
  TooltipModule,
  ValueCacheModule,
];
