// Events sent by Go (names shared with app/app.go and app/sync.go) and drag-and-drop of files onto the window.
// Every on… helper returns its unsubscribe function: call it on unmount.
import { EventsOn, OnFileDrop, OnFileDropOff } from '../../wailsjs/runtime/runtime';
import { normalizeSyncReport, normalizeSyncStatus } from './index';
import type { ImportProgress, Status, SyncProgress, SyncReport, SyncStatus } from './types';

/** Event names, the same strings as the Event* constants of app/app.go and app/sync.go. */
export const EVENTS = {
  importProgress: 'import:progress',
  directoryChanged: 'directory:changed',
  directoryReady: 'directory:ready',
  syncStatus: 'sync:status',
  syncProgress: 'sync:progress',
  syncCompleted: 'sync:completed',
} as const;

export type EventName = (typeof EVENTS)[keyof typeof EVENTS];

/** Payload of each event. */
export interface EventPayloads {
  'import:progress': ImportProgress;
  'directory:changed': undefined;
  'directory:ready': Status;
  'sync:status': SyncStatus;
  'sync:progress': SyncProgress;
  'sync:completed': SyncReport;
}

export type Unsubscribe = () => void;

// Payloads that carry Go's nil slices and pointers get the same clean-up as the calls' answers.
const normalizers: { [E in EventName]?: (p: EventPayloads[E]) => EventPayloads[E] } = {
  'sync:status': normalizeSyncStatus,
  'sync:completed': normalizeSyncReport,
};

/** on subscribes to a Go event and returns the function that undoes it. */
export function on<E extends EventName>(event: E, handler: (payload: EventPayloads[E]) => void): Unsubscribe {
  const normalize = normalizers[event] as ((p: EventPayloads[E]) => EventPayloads[E]) | undefined;
  try {
    const off = EventsOn(event, (...data: unknown[]) => {
      const payload = data[0] as EventPayloads[E];
      handler(normalize && payload ? normalize(payload) : payload);
    });
    return typeof off === 'function' ? off : () => {};
  } catch (e) {
    // No Wails runtime (unit tests, a plain browser): nothing will ever be emitted.
    console.warn(`passerelle: cannot listen to ${event}`, e);
    return () => {};
  }
}

/** onFileDrop calls handler with the paths of files dropped anywhere on the window. */
export function onFileDrop(handler: (paths: string[]) => void): Unsubscribe {
  try {
    OnFileDrop((_x: number, _y: number, paths: string[]) => handler(paths ?? []), false);
  } catch (e) {
    console.warn('passerelle: file drop unavailable', e);
    return () => {};
  }
  return () => {
    try {
      OnFileDropOff();
    } catch {
      // already gone with the runtime
    }
  };
}
