// A chart saved as PNG stands on its own: above the chart, its title and what it shows (metric, location, as-of
// date); under it, the sources and citations it draws on. A chart pasted into a report without them is a number
// without provenance.
import type { Chart } from 'chart.js';

export interface ChartCaption {
  /** the metric(s) shown, e.g. "Killed (total) (killed_total)" */
  metric: string;
  /** the location, or "all locations" */
  location: string;
  as_of: string;
  /** one entry per source: "Gaza Ministry of Health — Gaza daily casualties (Tech for Palestine)" */
  sources: string[];
}

/** Each claimant once, with who relayed it and the documents cited: the words of a chart's sources line. */
export function sourceEntries(
  rows: Array<{ source: string; relayed_via?: string | null; citation_title?: string | null; publisher?: string | null }>,
): string[] {
  const bySource = new Map<string, { relays: Set<string>; citations: Set<string> }>();
  for (const row of rows) {
    const entry = bySource.get(row.source) ?? { relays: new Set(), citations: new Set() };
    if (row.relayed_via) entry.relays.add(row.relayed_via);
    if (row.citation_title) entry.citations.add(row.publisher ? `${row.citation_title} (${row.publisher})` : row.citation_title);
    bySource.set(row.source, entry);
  }
  return [...bySource].map(
    ([source, { relays, citations }]) =>
      `${source}${relays.size ? `, via ${[...relays].join(', ')}` : ''}${citations.size ? ` — ${[...citations].join('; ')}` : ''}`,
  );
}

/** The chart's pixels with its caption around them, on the chart's own background, as a PNG. */
export function captionedPng(chart: Chart, title: string, caption: ChartCaption): Promise<Blob | null> {
  const source = chart.canvas;
  const scale = source.width / (chart.width || source.width);
  const style = getComputedStyle(document.documentElement);
  const colour = (name: string, fallback: string) => style.getPropertyValue(name).trim() || fallback;
  const family = getComputedStyle(document.body).fontFamily;
  const pad = 16 * scale;
  const width = source.width + 2 * pad;
  const canvas = document.createElement('canvas');
  const ctx = canvas.getContext('2d')!;

  const block = (text: string, size: number, max: number, weight = 'normal', ink = colour('--text-muted', '#5b6474')) => {
    const font = `${weight} ${size * scale}px ${family}`;
    ctx.font = font;
    return { font, ink, height: size * 1.4 * scale, lines: wrap(ctx, text, width - 2 * pad, max) };
  };
  const above = [block(title, 16, 2, 'bold', colour('--text', '#1c2230')), block(`${caption.metric} · ${caption.location} · as of ${caption.as_of}`, 12, 3)];
  const below = [block(`Sources: ${caption.sources.join(' · ') || 'none'}`, 12, 6)];
  const heightOf = (blocks: typeof above) => blocks.reduce((sum, b) => sum + b.lines.length * b.height, 0);
  canvas.width = width;
  canvas.height = pad + heightOf(above) + pad / 2 + source.height + pad / 2 + heightOf(below) + pad;

  ctx.fillStyle = colour('--surface', '#ffffff');
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.textBaseline = 'top';
  let y = pad;
  const write = (blocks: typeof above) => {
    for (const b of blocks) {
      ctx.font = b.font;
      ctx.fillStyle = b.ink;
      for (const text of b.lines) {
        ctx.fillText(text, pad, y);
        y += b.height;
      }
    }
  };
  write(above);
  y += pad / 2;
  ctx.drawImage(source, pad, y);
  y += source.height + pad / 2;
  write(below);
  return new Promise((resolve) => canvas.toBlob(resolve, 'image/png'));
}

/** Words broken into lines that fit `width`; past `max` lines, the last ends in an ellipsis. */
function wrap(ctx: CanvasRenderingContext2D, text: string, width: number, max: number): string[] {
  const lines: string[] = [];
  let current = '';
  for (const word of text.split(/\s+/)) {
    const next = current ? `${current} ${word}` : word;
    if (ctx.measureText(next).width <= width || !current) current = next;
    else {
      lines.push(current);
      current = word;
    }
  }
  if (current) lines.push(current);
  if (lines.length <= max) return lines;
  const kept = lines.slice(0, max);
  kept[max - 1] = `${kept[max - 1]!.replace(/\s*\S*$/, '')} …`;
  return kept;
}
