// The stylesheet is not linted (Biome leaves CSS alone): a rule left open nests every later rule under it, and the
// browser, reading CSS nesting, then applies none of them. Each rule closes before the next, except inside @media.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PROJECT } from '../support/tempWorkbook';

describe('the stylesheet', () => {
  it('closes every rule before the next one starts (only an @ rule holds rules)', () => {
    const css = readFileSync(`${PROJECT}src/renderer/styles/app.css`, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '');
    const open: Array<{ at: boolean; line: number }> = [];
    let line = 1;
    let start = 0;
    for (let i = 0; i < css.length; i += 1) {
      const ch = css[i];
      if (ch === '\n') line += 1;
      if (ch === '{') {
        const selector = css.slice(start, i).trim();
        expect(
          open.every((block) => block.at),
          `line ${line}: "${selector}" opens inside a rule left open at line ${open.at(-1)?.line}`,
        ).toBe(true);
        open.push({ at: selector.startsWith('@'), line });
        start = i + 1;
      } else if (ch === '}') {
        open.pop();
        start = i + 1;
      } else if (ch === ';') start = i + 1;
    }
    expect(open, 'rules still open at the end').toEqual([]);
  });
});
