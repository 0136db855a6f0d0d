import { describe, expect, it, vi } from 'vitest';

const handlers = new Map<string, (...d: unknown[]) => void>();
const off = vi.fn();
vi.mock('../../wailsjs/runtime/runtime', () => ({
  EventsOn: vi.fn((name: string, cb: (...d: unknown[]) => void) => {
    handlers.set(name, cb);
    return () => {
      handlers.delete(name);
      off(name);
    };
  }),
  OnFileDrop: vi.fn(),
  OnFileDropOff: vi.fn(),
}));

import { EVENTS, on } from './events';

describe('events', () => {
  it('uses the event names of app/app.go and app/sync.go', () => {
    expect(EVENTS).toEqual({
      importProgress: 'import:progress',
      directoryChanged: 'directory:changed',
      directoryReady: 'directory:ready',
      syncStatus: 'sync:status',
      syncProgress: 'sync:progress',
      syncCompleted: 'sync:completed',
    });
  });

  it('cleans Go’s nulls out of a sync status and a sync report', () => {
    const statuses: unknown[] = [];
    const reports: unknown[] = [];
    const offs = [on(EVENTS.syncStatus, (s) => statuses.push(s)), on(EVENTS.syncCompleted, (r) => reports.push(r))];
    handlers.get('sync:status')!({ enrolled: true, pending: 2, rejections: null, progress: null, last_report: { rejected: null, error: '' } });
    handlers.get('sync:completed')!({ pushed: 1, rejected: null });
    expect(statuses).toEqual([
      {
        enrolled: true,
        pending: 2,
        rejections: [],
        progress: null,
        last_sync_at: null,
        last_error_at: null,
        next_attempt_at: null,
        last_report: { rejected: [], error: '' },
      },
    ]);
    expect(reports).toEqual([{ pushed: 1, rejected: [] }]);
    offs.forEach((o) => o());
  });

  it('passes the progress of a sync as it comes', () => {
    const seen: unknown[] = [];
    const off1 = on(EVENTS.syncProgress, (p) => seen.push(p));
    handlers.get('sync:progress')!({ phase: 'pull', done: 500, total: 1000 });
    expect(seen).toEqual([{ phase: 'pull', done: 500, total: 1000 }]);
    off1();
  });

  it('passes the payload and unsubscribes', () => {
    const seen: unknown[] = [];
    const unsubscribe = on(EVENTS.importProgress, (p) => seen.push(p));
    handlers.get('import:progress')!({ phase: 'lecture', done: 5, total: 0 });
    expect(seen).toEqual([{ phase: 'lecture', done: 5, total: 0 }]);
    unsubscribe();
    expect(off).toHaveBeenCalledWith('import:progress');
    expect(handlers.has('import:progress')).toBe(false);
  });
});
