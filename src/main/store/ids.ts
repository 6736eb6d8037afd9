import { v7 as uuidv7 } from 'uuid';

/** Time-ordered UUIDv7 text ids, so workbooks from several analysts merge without collisions. */
export function newId(): string {
  return uuidv7();
}
