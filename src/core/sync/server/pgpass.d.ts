// pgpass (the ~/.pgpass reader that pg itself depends on) ships no types.
declare module 'pgpass' {
  function pgpass(connection: { host?: string; port?: number; database?: string; user?: string }, done: (password: string | undefined) => void): void;
  export default pgpass;
}
