// One connection, one writer at a time: calls run in order, so a long import holding a transaction across async
// parsing never interleaves with an edit on the same connection.
export class SerialLock {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(work: () => T | Promise<T>): Promise<T> {
    const result = this.tail.then(work, work);
    this.tail = result.catch(() => undefined);
    return result;
  }
}
