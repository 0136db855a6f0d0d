import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { STALE, debounce, takeLatest } from './latest';

function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('takeLatest', () => {
  it('drops a slow answer that arrives after a newer one', async () => {
    const calls: ReturnType<typeof deferred<string>>[] = [];
    const search = takeLatest((_q: string) => {
      const d = deferred<string>();
      calls.push(d);
      return d.promise;
    });
    const first = search('epi');
    const second = search('epicerie');
    calls[1].resolve('résultats de « epicerie »');
    calls[0].resolve('résultats de « epi »');
    expect(await second).toBe('résultats de « epicerie »');
    expect(await first).toBe(STALE);
  });

  it('drops an older answer even when it arrives last', async () => {
    const calls: ReturnType<typeof deferred<number>>[] = [];
    const f = takeLatest(() => {
      const d = deferred<number>();
      calls.push(d);
      return d.promise;
    });
    const a = f();
    const b = f();
    calls[0].resolve(1);
    calls[1].resolve(2);
    expect(await a).toBe(STALE);
    expect(await b).toBe(2);
  });

  it('rejects for the latest call only', async () => {
    const calls: ReturnType<typeof deferred<number>>[] = [];
    const f = takeLatest(() => {
      const d = deferred<number>();
      calls.push(d);
      return d.promise;
    });
    const a = f();
    const b = f();
    calls[0].reject(new Error('old'));
    calls[1].reject(new Error('new'));
    expect(await a).toBe(STALE);
    await expect(b).rejects.toThrow('new');
  });

  it('makes calls in flight stale on cancel', async () => {
    const d = deferred<number>();
    const f = takeLatest(() => d.promise);
    const a = f();
    f.cancel();
    d.resolve(1);
    expect(await a).toBe(STALE);
  });
});

describe('debounce', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('calls once with the last arguments after the pause', () => {
    const fn = vi.fn();
    const d = debounce(fn, 120);
    d('e');
    vi.advanceTimersByTime(100);
    d('ep');
    vi.advanceTimersByTime(100);
    d('epi');
    expect(fn).not.toHaveBeenCalled();
    vi.advanceTimersByTime(120);
    expect(fn).toHaveBeenCalledOnce();
    expect(fn).toHaveBeenCalledWith('epi');
  });

  it('flushes and cancels', () => {
    const fn = vi.fn();
    const d = debounce(fn, 120);
    d(1);
    expect(d.pending()).toBe(true);
    d.flush();
    expect(fn).toHaveBeenCalledWith(1);
    d(2);
    d.cancel();
    vi.advanceTimersByTime(500);
    expect(fn).toHaveBeenCalledTimes(1);
    d.flush(); // nothing pending: nothing happens
    expect(fn).toHaveBeenCalledTimes(1);
  });
});
