// Events sent by Go (names shared with app/app.go) and drag-and-drop of files onto the window.
// Every on… helper returns its unsubscribe function: call it on unmount.
import { EventsOn, OnFileDrop, OnFileDropOff } from '../../wailsjs/runtime/runtime';
import type { ImportProgress, Status } from './types';

/** Event names, the same strings as the Event* constants of app/app.go. */
export const EVENTS = {
  importProgress: 'import:progress',
  directoryChanged: 'directory:changed',
  directoryReady: 'directory:ready',
} as const;

export type EventName = (typeof EVENTS)[keyof typeof EVENTS];

/** Payload of each event. */
export interface EventPayloads {
  'import:progress': ImportProgress;
  'directory:changed': undefined;
  'directory:ready': Status;
}

export type Unsubscribe = () => void;

/** on subscribes to a Go event and returns the function that undoes it. */
export function on<E extends EventName>(event: E, handler: (payload: EventPayloads[E]) => void): Unsubscribe {
  try {
    const off = EventsOn(event, (...data: unknown[]) => handler(data[0] as EventPayloads[E]));
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
