// A mapping's excerpt_template, read once against the file's header: "{report_date} {report_source}: {measure} =
// {value}". {name} is the row's cell under that header; in a wide file {measure} is the measure column's header and
// {value} its cell. A name the file does not have is a mapping error, found before any row is read.
import type { Problem } from '../../shared/errors';

/** Fills the template for one figure of a row: the measure's header and cell in a wide file. */
export type ExcerptTemplate = (cells: string[], measure?: { header: string; cell: string }) => string;

type Part = string | { cell: number } | { measure: 'header' | 'cell' };

export function compileTemplate(
  template: string,
  indexOf: (header: string) => number | undefined,
  wide: boolean,
): { fill: ExcerptTemplate; problems: Problem[] } {
  const parts: Part[] = [];
  const problems: Problem[] = [];
  let last = 0;
  for (const match of template.matchAll(/\{([^{}]+)\}/g)) {
    parts.push(template.slice(last, match.index));
    last = match.index + match[0].length;
    const name = match[1]!;
    const index = indexOf(name);
    if (wide && (name === 'measure' || name === 'value')) parts.push({ measure: name === 'measure' ? 'header' : 'cell' });
    else if (index !== undefined) parts.push({ cell: index });
    else {
      const reason =
        name === 'measure' || name === 'value'
          ? `the mapping's excerpt_template names {${name}}, a wide mapping's measure; a long file has no such column`
          : `the mapping's excerpt_template names {${name}}, but the file has no such column; use a column name from its header`;
      problems.push({ row: 1, column: 'excerpt_template', value: match[0], reason });
    }
  }
  parts.push(template.slice(last));
  const fill: ExcerptTemplate = (cells, measure) => {
    let text = '';
    for (const part of parts) {
      if (typeof part === 'string') text += part;
      else if ('measure' in part) text += measure?.[part.measure] ?? '';
      else text += cells[part.cell] ?? '';
    }
    return text;
  };
  return { fill, problems };
}
