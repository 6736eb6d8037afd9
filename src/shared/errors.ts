// One error family for every layer: a code, a message, and the place the problem is.

export const ERROR_CODES = [
  'validation', // input does not fit the schema or the domain rules
  'not_found', // an id or name that the workbook does not hold
  'conflict', // the change would clash with the data as it is now
  'io', // the file system said no
  'corrupt', // the file is not a workbook, or is damaged
  'newer_version', // the file was written by a newer Figures Workbench
  'denied', // a server refused: a wrong password, or a role without the grant
  'cancelled', // the user stopped a long task; nothing was written
  'internal', // a bug: reported, never swallowed
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/** Where a problem is: a CSV row and column, or an input field, and the value found there. */
export interface ErrorPlace {
  row?: number;
  column?: string;
  field?: string;
  value?: string;
}

export interface Problem extends ErrorPlace {
  reason: string;
}

export interface WorkbenchErrorData {
  code: ErrorCode;
  message: string;
  place?: ErrorPlace;
  problems?: Problem[];
}

export class WorkbenchError extends Error implements WorkbenchErrorData {
  readonly code: ErrorCode;
  readonly place?: ErrorPlace;
  readonly problems?: Problem[];

  constructor(code: ErrorCode, message: string, extra: { place?: ErrorPlace; problems?: Problem[] } = {}) {
    super(message);
    this.name = 'WorkbenchError';
    this.code = code;
    if (extra.place) this.place = extra.place;
    if (extra.problems) this.problems = extra.problems;
  }

  toData(): WorkbenchErrorData {
    const data: WorkbenchErrorData = { code: this.code, message: this.message };
    if (this.place) data.place = this.place;
    if (this.problems) data.problems = this.problems;
    return data;
  }

  static fromData(data: WorkbenchErrorData): WorkbenchError {
    return new WorkbenchError(data.code, data.message, { place: data.place, problems: data.problems });
  }

  /** Any thrown thing as a WorkbenchError; unknown errors become 'internal' with their message kept. */
  static from(error: unknown): WorkbenchError {
    if (error instanceof WorkbenchError) return error;
    if (isWorkbenchErrorData(error)) return WorkbenchError.fromData(error);
    const message = error instanceof Error ? error.message : String(error);
    const wrapped = new WorkbenchError('internal', message);
    if (error instanceof Error && error.stack) wrapped.stack = error.stack; // keep where the bug is
    return wrapped;
  }
}

export function isWorkbenchErrorData(value: unknown): value is WorkbenchErrorData {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { code?: unknown }).code === 'string' &&
    (ERROR_CODES as readonly string[]).includes((value as { code: string }).code) &&
    typeof (value as { message?: unknown }).message === 'string'
  );
}

/** "row 3, column low: value '15,000' — low exceeds high" — the place first, as the CLI prints it. */
export function describePlace(place: ErrorPlace | undefined): string {
  if (!place) return '';
  const parts: string[] = [];
  if (place.row !== undefined) parts.push(`row ${place.row}`);
  if (place.column !== undefined) parts.push(`column ${place.column}`);
  if (place.field !== undefined) parts.push(`field ${place.field}`);
  if (place.value !== undefined) parts.push(`value ${JSON.stringify(truncate(place.value, 60))}`);
  return parts.join(', ');
}

export function describeProblem(problem: Problem): string {
  const where = describePlace(problem);
  return where ? `${where}: ${problem.reason}` : problem.reason;
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}… (${text.length} characters)` : text;
}
