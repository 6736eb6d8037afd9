// A small, valid PDF written byte by byte, so a test reads a real PDF without a tool to make one: each page a list of
// lines in Helvetica (WinAnsi: Latin text, curly quotes as their WinAnsi codes), a blank line a paragraph break.

/** A line of a page: its text, and a larger gap above it when it opens a paragraph. */
export type PdfLine = string;

const WIN_ANSI: Record<string, number> = { '‘': 0o221, '’': 0o222, '“': 0o223, '”': 0o224, '–': 0o226, '—': 0o227 };

function pdfString(text: string): string {
  let out = '';
  for (const ch of text) {
    if (ch === '(' || ch === ')' || ch === '\\') out += `\\${ch}`;
    else if (WIN_ANSI[ch] !== undefined) out += `\\${WIN_ANSI[ch]!.toString(8)}`;
    else if (ch.charCodeAt(0) < 128) out += ch;
    else throw new Error(`pdfFile writes Latin text only, not ${JSON.stringify(ch)}`);
  }
  return `(${out})`;
}

/** The page's content stream: one text object, lines 14 points apart, a paragraph 28. */
function pageContent(lines: readonly PdfLine[]): string {
  const ops = ['BT', '/F1 11 Tf', '72 760 Td'];
  let gap = 0;
  for (const line of lines) {
    if (line === '') {
      gap += 14;
      continue;
    }
    if (ops.length > 3) ops.push(`0 ${-(14 + gap)} Td`);
    gap = 0;
    ops.push(`${pdfString(line)} Tj`);
  }
  ops.push('ET');
  return ops.join('\n');
}

/**
 * A PDF of the given pages, each a list of lines. `locked`: an encryption dictionary whose user password is not the
 * empty one (its /U matches no password), so a reader must ask for a password before it can read a page.
 */
export function pdfFile(pages: ReadonlyArray<readonly PdfLine[]>, options: { locked?: boolean } = {}): Buffer {
  const objects: string[] = [];
  const pageIds = pages.map((_, i) => 4 + i * 2);
  objects[1] = '<< /Type /Catalog /Pages 2 0 R >>';
  objects[2] = `<< /Type /Pages /Kids [${pageIds.map((id) => `${id} 0 R`).join(' ')}] /Count ${pages.length} >>`;
  objects[3] = '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>';
  pages.forEach((lines, i) => {
    const content = pageContent(lines);
    objects[pageIds[i]!] = `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> /Contents ${pageIds[i]! + 1} 0 R >>`;
    objects[pageIds[i]! + 1] = `<< /Length ${Buffer.byteLength(content, 'latin1')} >>\nstream\n${content}\nendstream`;
  });
  let body = '%PDF-1.4\n%\xe2\xe3\xcf\xd3\n';
  const offsets: number[] = [];
  for (let id = 1; id < objects.length; id += 1) {
    offsets[id] = Buffer.byteLength(body, 'latin1');
    body += `${id} 0 obj\n${objects[id]}\nendobj\n`;
  }
  const xref = Buffer.byteLength(body, 'latin1');
  body += `xref\n0 ${objects.length}\n0000000000 65535 f \n`;
  for (let id = 1; id < objects.length; id += 1) body += `${String(offsets[id]).padStart(10, '0')} 00000 n \n`;
  const hex = (byte: string) => `<${byte.repeat(32)}>`;
  const encrypt = options.locked
    ? ` /Encrypt << /Filter /Standard /V 1 /R 2 /Length 40 /P -4 /O ${hex('4f')} /U ${hex('55')} >> /ID [${hex('01')} ${hex('01')}]`
    : '';
  body += `trailer\n<< /Size ${objects.length} /Root 1 0 R${encrypt} >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, 'latin1');
}
