import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

const handlers = new Map<string, (...d: unknown[]) => void>();
vi.mock('../../wailsjs/runtime/runtime', () => ({
  EventsOn: vi.fn((name: string, cb: (...d: unknown[]) => void) => {
    handlers.set(name, cb);
    return () => handlers.delete(name);
  }),
  OnFileDrop: vi.fn(),
  OnFileDropOff: vi.fn(),
}));
vi.mock('../../wailsjs/go/app/Sync', () => ({ Status: vi.fn(), Enroll: vi.fn(), SyncNow: vi.fn() }));

import * as SyncGo from '../../wailsjs/go/app/Sync';
import { BUSY_DELAY, REFRESH_EVERY, refreshSync, startSyncState, syncState } from './syncstate.svelte';

const base = { enrolled: true, pending: 0, rejections: [], running: false, cursor: 10, last_sync_at: null };

let stop: () => void = () => {};

beforeEach(() => {
  vi.useFakeTimers();
  vi.mocked(SyncGo.Status).mockReset();
});
afterEach(() => {
  stop();
  vi.useRealTimers();
});

describe('the shared sync state', () => {
  it('reads the state, follows Go’s events and undoes them on stop', async () => {
    vi.mocked(SyncGo.Status).mockResolvedValue({ ...base, pending: 2 } as never);
    stop = startSyncState();
    await vi.waitFor(() => expect(syncState.status?.pending).toBe(2));
    handlers.get('sync:status')!({ ...base, pending: 0, rejections: null });
    expect(syncState.status).toMatchObject({ pending: 0, rejections: [] });
    stop();
    expect([...handlers.keys()]).toEqual([]);
  });

  it('asks again every half minute (the changes waiting move without an event)', async () => {
    vi.mocked(SyncGo.Status).mockResolvedValue({ ...base } as never);
    stop = startSyncState();
    await vi.advanceTimersByTimeAsync(REFRESH_EVERY * 2);
    expect(SyncGo.Status).toHaveBeenCalledTimes(3);
  });

  it('drops an answer older than an event', async () => {
    let answer: (v: unknown) => void = () => {};
    vi.mocked(SyncGo.Status).mockReturnValue(new Promise((r) => (answer = r)) as never);
    stop = startSyncState();
    handlers.get('sync:status')!({ ...base, running: true, pending: 5 });
    answer({ ...base, running: false, pending: 9 });
    await vi.advanceTimersByTimeAsync(0);
    expect(syncState.status).toMatchObject({ running: true, pending: 5 });
  });

  it('shows a running sync only once it lasts, with its progress, and clears both when it ends', async () => {
    vi.mocked(SyncGo.Status).mockResolvedValue({ ...base } as never);
    stop = startSyncState();
    await vi.advanceTimersByTimeAsync(0);
    handlers.get('sync:status')!({ ...base, running: true });
    handlers.get('sync:progress')!({ phase: 'pull', done: 10, total: 100 });
    expect(syncState.busy).toBe(false);
    expect(syncState.progress).toEqual({ phase: 'pull', done: 10, total: 100 });
    await vi.advanceTimersByTimeAsync(BUSY_DELAY);
    expect(syncState.busy).toBe(true);
    handlers.get('sync:completed')!({ pushed: 0, pulled: 100, rejected: null });
    handlers.get('sync:status')!({ ...base, running: false });
    expect(syncState.busy).toBe(false);
    expect(syncState.progress).toBeNull();
    expect(syncState.report).toMatchObject({ pulled: 100, rejected: [] });
  });

  it('a short sync never shows as running', async () => {
    vi.mocked(SyncGo.Status).mockResolvedValue({ ...base } as never);
    stop = startSyncState();
    await vi.advanceTimersByTimeAsync(0);
    handlers.get('sync:status')!({ ...base, running: true });
    await vi.advanceTimersByTimeAsync(BUSY_DELAY / 2);
    handlers.get('sync:status')!({ ...base, running: false });
    await vi.advanceTimersByTimeAsync(BUSY_DELAY);
    expect(syncState.busy).toBe(false);
  });

  it('keeps Go’s French reason when this desk has no sync', async () => {
    vi.mocked(SyncGo.Status).mockRejectedValue({ code: 'invalid', message: 'La synchronisation n’est pas disponible sur ce poste.' });
    await refreshSync();
    expect(syncState.status).toBeNull();
    expect(syncState.error).toBe('La synchronisation n’est pas disponible sur ce poste.');
  });
});
