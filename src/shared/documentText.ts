// A document's text as the workbook keeps it: plain text with paragraphs parted by blank lines, whatever it was
// given as. The core reads an HTML file's text here (no DOM in Node), so the CLI and the app store the same text
// for the same file, and the reader's offsets and the sha256 are of that text.

const BLOCK = /^(?:p|div|h[1-6]|li|ul|ol|tr|table|blockquote|section|article|header|footer|aside|main|figure|figcaption|pre|dd|dt|dl|title)$/i;
const DROPPED = /<(script|style|noscript|template|svg|head)\b[^>]*>[\s\S]*?<\/\1\s*>/gi;
const NAMED: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: '\u00a0',
  ndash: '–',
  mdash: '—',
  hellip: '…',
  lsquo: '‘',
  rsquo: '’',
  ldquo: '“',
  rdquo: '”',
  laquo: '«',
  raquo: '»',
  shy: '',
  thinsp: '\u2009',
  lrm: '\u200e',
  rlm: '\u200f',
};

/** Plain text as stored: line ends as LF, no byte-order mark, no trailing spaces on a line. */
export function plainText(text: string): string {
  return text
    .replace(/^\ufeff/, '')
    .replace(/\r\n?/g, '\n')
    .replace(/[ \t]+\n/g, '\n')
    .trim();
}

/** The text of an HTML page: its markup, scripts and styles gone, block elements as paragraphs, entities read. */
export function htmlText(html: string): string {
  // the page's <title> is kept as its first paragraph: it is the headline a citation names
  const title = /<title\b[^>]*>([\s\S]*?)<\/title\s*>/i.exec(html)?.[1] ?? '';
  const body = html
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(DROPPED, ' ')
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/?([a-z][a-z0-9]*)\b[^>]*>/gi, (_, tag: string) => (BLOCK.test(tag) ? '\n\n' : ''))
    .replace(/<[^>]*>/g, '');
  const text = `${title}\n\n${body}`
    .replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (entity, name: string) => {
      if (name[0] === '#') {
        const code = name[1] === 'x' || name[1] === 'X' ? Number.parseInt(name.slice(2), 16) : Number(name.slice(1));
        return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : entity;
      }
      return NAMED[name.toLowerCase()] ?? entity;
    })
    .replace(/[ \t\f\v\u00a0]*\n[ \t\f\v\u00a0]*/g, '\n')
    .replace(/[ \t\f\v]+/g, ' ')
    .replace(/\n{3,}/g, '\n\n');
  return plainText(text);
}
