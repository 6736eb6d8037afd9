// What the file system said, in words, about the path the user gave: never Node's "EISDIR: illegal operation on a
// directory, open '…/out.csv.partial-123'", which names a temporary file the user never asked for.
import { WorkbenchError } from '../shared/errors';

const REASONS: Record<string, string> = {
  EISDIR: 'it is a folder; give a file name',
  ENOENT: 'no such file or folder',
  ENOTDIR: 'a part of the path is a file, not a folder',
  EACCES: 'no permission',
  EPERM: 'no permission',
  EROFS: 'the disk is read-only',
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is used up',
  ENAMETOOLONG: 'the name is too long',
  EEXIST: 'a file is already there',
  EMFILE: 'too many files are open',
};

/** The reason alone: "it is a folder; give a file name", or the error's own message for a code not listed. */
export function fsReason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  if (code && REASONS[code]) return REASONS[code];
  return error instanceof Error ? error.message : String(error);
}

/** `${path}: cannot ${doing}: ${reason}` as an io error (a WorkbenchError passes through as it is). */
export function fileError(path: string, error: unknown, doing: string): WorkbenchError {
  if (error instanceof WorkbenchError) return error;
  return new WorkbenchError('io', `${path}: cannot ${doing}: ${fsReason(error)}`);
}
