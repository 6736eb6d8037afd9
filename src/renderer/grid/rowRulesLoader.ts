// Loads ./rowRules.ts (zod and the figure schema) on its own, after the grid's first rows are drawn: the start of the
// window does not wait for it, and an edit made before it has arrived waits for it instead.
export type RowRules = typeof import('./rowRules');

let loaded: RowRules | null = null;
let loading: Promise<RowRules> | null = null;

/** Starts loading the rules (once); resolves when they can be used. */
export function loadRowRules(): Promise<RowRules> {
  loading ??= import('./rowRules').then((rules) => (loaded = rules));
  return loading;
}

/**
 * Runs `use` with the rules: at once if they are loaded, otherwise as soon as they are, in the order asked. If they
 * cannot be loaded, `failed` gets the error (nothing is saved unchecked).
 */
export function withRowRules(use: (rules: RowRules) => void, failed: (error: unknown) => void): void {
  if (loaded) use(loaded);
  else loadRowRules().then(use, failed);
}
