// Where the spreadsheet keys take the focus: Home and End along the row, Ctrl+Home and Ctrl+End to the first and
// the last cell of the figures. The grid moves the focus there (figuresGrid.ts), so the next arrow key goes on
// from that cell.

export interface CellAt {
  rowIndex: number;
  /** 'bottom': the new-figure row */
  rowPinned: 'bottom' | null;
  column: string;
}

export type JumpKey = 'Home' | 'End';

/**
 * The cell Home/End (`ctrl` false) or Ctrl+Home/Ctrl+End go to. `columns`: the displayed columns a cell can be
 * focused in, in order; `rows`: how many figure rows the grid shows. With no figures, Ctrl+Home/End go to the
 * new-figure row.
 */
export function jumpTarget(key: JumpKey, ctrl: boolean, from: CellAt, columns: readonly string[], rows: number): CellAt | null {
  const column = key === 'Home' ? columns[0] : columns.at(-1);
  if (column === undefined) return null;
  if (!ctrl) return { ...from, column };
  if (rows === 0) return { rowIndex: 0, rowPinned: 'bottom', column };
  return { rowIndex: key === 'Home' ? 0 : rows - 1, rowPinned: null, column };
}
