// A PDF's text, read by pdf.js (its legacy build runs in plain Node; text needs no canvas). A PDF places pieces of
// text on a page; this puts them back in reading order as the workbook keeps a document: the lines of a paragraph
// joined by a space (a sentence wrapped across lines is one sentence, so its excerpt and its numbers read whole), a
// blank line between paragraphs and between pages, and a line set out in columns (a table's row) kept a line.
import { WorkbenchError } from '../shared/errors';
import { plainText } from '../shared/documentText';

/** What pdf.js says of one piece of text (TextItem in pdfjs-dist). */
export interface PdfTextItem {
  str: string;
  hasEOL: boolean;
  /** [a, b, c, d, x, y]: its position, y upward from the page's foot */
  transform: number[];
  width: number;
  height: number;
}

interface Line {
  text: string;
  y: number;
  height: number;
  /** pieces far apart on the line: a table's columns, not a sentence */
  columns: boolean;
}

/** A gap wider than this many times the text's height parts two columns of a line. */
const COLUMN_GAP = 2;
/** A line further below the one before than this many times its height opens a paragraph. */
const PARAGRAPH_GAP = 1.75;

/** The text of a PDF file's bytes. Refuses, saying why, a file that is no PDF, is locked, or holds no text. */
export async function pdfText(bytes: Uint8Array, name: string): Promise<string> {
  const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const task = pdfjs.getDocument({
    // a copy: pdf.js takes over the buffer it is given
    data: new Uint8Array(bytes),
    // a document is data, never code to run, and the app makes no network request
    isEvalSupported: false,
    enableXfa: false,
    disableFontFace: true,
    useSystemFonts: false,
    useWorkerFetch: false,
    verbosity: pdfjs.VerbosityLevel.ERRORS,
  });
  let pdf: Awaited<typeof task.promise>;
  try {
    pdf = await task.promise;
  } catch (error) {
    await task.destroy().catch(() => undefined);
    throw unreadable(error, name);
  }
  try {
    const pages: string[] = [];
    for (let n = 1; n <= pdf.numPages; n += 1) {
      const page = await pdf.getPage(n);
      const content = await page.getTextContent();
      pages.push(pageText(content.items.flatMap((item) => ('str' in item ? [item] : []))));
      page.cleanup();
    }
    const text = plainText(pages.filter((p) => p !== '').join('\n\n'));
    if (text === '') {
      throw new WorkbenchError('validation', `${name}: the PDF holds no text, only images (a scan?): run text recognition (OCR) on it, or paste its text`, {
        place: { field: 'file', value: name },
      });
    }
    return text;
  } catch (error) {
    if (error instanceof WorkbenchError) throw error;
    throw unreadable(error, name);
  } finally {
    await pdf.destroy();
  }
}

/** One page's text: its pieces as lines, the lines as paragraphs. */
export function pageText(items: readonly PdfTextItem[]): string {
  const lines: Line[] = [];
  let line: Line | null = null;
  let end = 0; // where the line's last piece ends, across
  for (const item of items) {
    const [, , , , x = 0, y = 0] = item.transform;
    const height = Math.abs(item.height) || Math.abs(item.transform[3] ?? 0) || 1;
    if (item.str !== '') {
      if (line && Math.abs(line.y - y) > line.height / 2) line = null; // moved to another line without saying so
      if (!line) {
        line = { text: '', y, height, columns: false };
        lines.push(line);
      } else {
        const gap = x - end;
        const spaced = /\s$/.test(line.text) || /^\s/.test(item.str);
        if (gap > COLUMN_GAP * height) line.columns = true;
        if (!spaced && gap > 0.15 * height) line.text += ' ';
        line.height = Math.max(line.height, height);
      }
      line.text += item.str;
      end = x + item.width;
    }
    if (item.hasEOL) line = null;
  }
  let text = '';
  let before: Line | null = null;
  for (const current of lines) {
    const words = current.text.replace(/\s+/g, ' ').trim();
    if (words === '') continue;
    if (before) {
      const drop = before.y - current.y;
      const paragraph = drop <= 0 || drop > PARAGRAPH_GAP * Math.max(before.height, current.height);
      // a word broken at the line's end by a hyphen is one word again, the hyphen kept (it may be "well-known")
      text += paragraph ? '\n\n' : before.columns || current.columns ? '\n' : /\p{L}-$/u.test(text) ? '' : ' ';
    }
    text += words;
    before = current;
  }
  return text;
}

/** Why pdf.js could not read the file, as the analyst can act on it. */
function unreadable(error: unknown, name: string): WorkbenchError {
  const kind = error instanceof Error ? error.name : '';
  const place = { place: { field: 'file', value: name } };
  if (kind === 'PasswordException') {
    return new WorkbenchError('validation', `${name}: the PDF is locked with a password: save a copy without it, or paste its text`, place);
  }
  if (kind === 'InvalidPDFException') {
    return new WorkbenchError('validation', `${name}: not a readable PDF (its structure is broken or it is another kind of file)`, place);
  }
  const why = error instanceof Error ? error.message : String(error);
  return new WorkbenchError('validation', `${name}: the PDF could not be read: ${why}`, place);
}
