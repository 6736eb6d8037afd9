// The block of cells Shift+arrow and Shift+click select: its rows and columns in the grid's order, and where
// Shift+arrow goes at the edges.
import { describe, expect, it } from 'vitest';
import { blockBetween, inBlock, stepFrom } from '../../src/renderer/grid/cellRange';

const COLUMNS = ['metric', 'value', 'range', 'qualifier', 'as_of'];

describe('a block of cells', () => {
  it('spans the rows and the displayed columns between its anchor and the focus, whichever way it was drawn', () => {
    const down = blockBetween({ rowIndex: 2, column: 'value' }, { rowIndex: 4, column: 'qualifier' }, COLUMNS);
    const up = blockBetween({ rowIndex: 4, column: 'qualifier' }, { rowIndex: 2, column: 'value' }, COLUMNS);
    expect(down).toEqual({ firstRow: 2, lastRow: 4, columns: ['value', 'range', 'qualifier'] });
    expect(up).toEqual(down);
    expect(inBlock(down, 3, 'range')).toBe(true);
    expect(inBlock(down, 5, 'range')).toBe(false);
    expect(inBlock(down, 3, 'metric')).toBe(false);
    expect(inBlock(null, 3, 'range')).toBe(false);
    expect(blockBetween({ rowIndex: 0, column: 'state' }, { rowIndex: 1, column: 'value' }, COLUMNS)).toBeNull();
  });

  it('grows one cell per Shift+arrow and stops at the first and last row and column', () => {
    expect(stepFrom({ rowIndex: 0, column: 'metric' }, 'ArrowUp', COLUMNS, 10)).toEqual({ rowIndex: 0, column: 'metric' });
    expect(stepFrom({ rowIndex: 0, column: 'metric' }, 'ArrowLeft', COLUMNS, 10)).toEqual({ rowIndex: 0, column: 'metric' });
    expect(stepFrom({ rowIndex: 9, column: 'as_of' }, 'ArrowDown', COLUMNS, 10)).toEqual({ rowIndex: 9, column: 'as_of' });
    expect(stepFrom({ rowIndex: 9, column: 'as_of' }, 'ArrowRight', COLUMNS, 10)).toEqual({ rowIndex: 9, column: 'as_of' });
    expect(stepFrom({ rowIndex: 3, column: 'value' }, 'ArrowDown', COLUMNS, 10)).toEqual({ rowIndex: 4, column: 'value' });
    expect(stepFrom({ rowIndex: 3, column: 'value' }, 'ArrowRight', COLUMNS, 10)).toEqual({ rowIndex: 3, column: 'range' });
  });
});
