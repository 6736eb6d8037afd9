// "As recorded on": a past moment of the change log, written as an ISO 8601 datetime. Without zod, so the renderer
// and the CLI read it as the schemas do.
import { isIsoDate } from './claimDate';

const DATETIME = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?$/i;

export type RecordedOnRead = { ok: true; value: string } | { ok: false; reason: string };

/**
 * A moment as the change log writes its times (UTC, milliseconds): `2024-05-20T14:30:00Z`, `…+02:00`, or a date
 * alone, which means the whole of that day (UTC): what was recorded by its end. A time without Z or an offset is
 * refused: the log's times are UTC, and a guess at the zone would shift the answer by hours.
 */
export function readRecordedOn(text: string): RecordedOnRead {
  const trimmed = text.trim();
  if (isIsoDate(trimmed)) return { ok: true, value: `${trimmed}T23:59:59.999Z` };
  const match = DATETIME.exec(trimmed);
  if (!match || !isIsoDate(match[1]!)) {
    return { ok: false, reason: 'expected a date and time such as 2024-05-20T14:30:00Z (or a date, 2024-05-20, for the end of that day)' };
  }
  if (!match[6]) return { ok: false, reason: 'the time needs a zone: add Z for UTC (the change log keeps UTC) or an offset such as +02:00' };
  const [hours, minutes, seconds] = [match[2], match[3], match[4] ?? '0'].map(Number) as [number, number, number];
  if (hours > 23 || minutes > 59 || seconds > 59) return { ok: false, reason: `${trimmed} is not a time of day` };
  const zone = match[6].toUpperCase() === 'Z' ? 'Z' : match[6].replace(/^([+-]\d{2})(\d{2})$/, '$1:$2');
  const ms = Date.parse(`${match[1]}T${match[2]}:${match[3]}:${String(seconds).padStart(2, '0')}${(match[5] ?? '').slice(0, 4)}${zone}`);
  if (Number.isNaN(ms)) return { ok: false, reason: `${trimmed} is not a moment` };
  return { ok: true, value: new Date(ms).toISOString() };
}
