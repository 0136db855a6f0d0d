// Helpers for calls made while the worker types: only the answer to the latest question counts.

/** STALE is what a superseded call resolves to. */
export const STALE: unique symbol = Symbol('stale');
export type Stale = typeof STALE;

export interface Latest<A extends unknown[], R> {
  (...args: A): Promise<R | Stale>;
  /** cancel makes every call in flight resolve to STALE. */
  cancel(): void;
}

/**
 * takeLatest wraps an async function so that a call resolves to STALE (and never rejects) when a
 * newer call was started before it finished: a slow answer to "epi" cannot overwrite the answer
 * to "epicerie".
 */
export function takeLatest<A extends unknown[], R>(fn: (...args: A) => Promise<R>): Latest<A, R> {
  let seq = 0;
  const wrapped = (async (...args: A) => {
    const mine = ++seq;
    try {
      const r = await fn(...args);
      return mine === seq ? r : STALE;
    } catch (e) {
      if (mine !== seq) return STALE;
      throw e;
    }
  }) as Latest<A, R>;
  wrapped.cancel = () => {
    seq++;
  };
  return wrapped;
}

export interface Debounced<A extends unknown[]> {
  (...args: A): void;
  /** flush runs the pending call now, if any. */
  flush(): void;
  /** cancel drops the pending call. */
  cancel(): void;
  /** pending says whether a call waits. */
  pending(): boolean;
}

/** debounce delays fn until ms have passed without a new call; the last arguments win. */
export function debounce<A extends unknown[]>(fn: (...args: A) => void, ms: number): Debounced<A> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let last: A | undefined;
  const run = () => {
    timer = undefined;
    const a = last;
    last = undefined;
    if (a) fn(...a);
  };
  const d = ((...args: A) => {
    last = args;
    if (timer !== undefined) clearTimeout(timer);
    timer = setTimeout(run, ms);
  }) as Debounced<A>;
  d.flush = () => {
    if (timer !== undefined) {
      clearTimeout(timer);
      run();
    }
  };
  d.cancel = () => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    last = undefined;
  };
  d.pending = () => timer !== undefined;
  return d;
}
