// Whether a figure's excerpt is the citation's own words: the excerpt found in the document's stored text, with
// whitespace, quote marks and invisible direction marks normalised (a pasted quote often has straight quotes where
// the article had curly ones, or a line break where it had a space). An ellipsis in the excerpt stands for words
// left out: the parts around it are found in order.

const DOUBLE_QUOTES = /[“”„‟″«»〝〞＂]/g;
const SINGLE_QUOTES = /[‘’‚‛′‹›`´]/g;
const INVISIBLE = /[\u200b-\u200f\u202a-\u202e\u2066-\u2069\u00ad\ufeff]/g;
const ELLIPSIS = /\s*(?:\[\s*(?:…|\.\.\.)\s*\]|…|\.\.\.)\s*/;

/** The text as the match compares it: NFC, one kind of each quote mark, no invisible marks, single spaces. */
export function normaliseQuoted(text: string): string {
  return text.normalize('NFC').replace(INVISIBLE, '').replace(DOUBLE_QUOTES, '"').replace(SINGLE_QUOTES, "'").replace(/\s+/g, ' ').trim();
}

/** Whether the document's text holds the excerpt (normalised; the parts around an ellipsis in order). */
export function excerptInDocument(excerpt: string, documentText: string): boolean {
  const parts = normaliseQuoted(excerpt)
    .split(ELLIPSIS)
    .map((p) => p.trim())
    .filter((p) => p !== '');
  if (parts.length === 0) return true; // an empty excerpt is another check's business ("no excerpt")
  const text = normaliseQuoted(documentText);
  let from = 0;
  for (const part of parts) {
    const at = text.indexOf(part, from);
    if (at < 0) return false;
    from = at + part.length;
  }
  return true;
}
