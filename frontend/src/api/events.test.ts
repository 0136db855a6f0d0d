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
  it('uses the event names of app/app.go', () => {
    expect(EVENTS).toEqual({ importProgress: 'import:progress', directoryChanged: 'directory:changed', directoryReady: 'directory:ready' });
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
