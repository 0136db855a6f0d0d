// The desk's sync state as the whole window shares it: the header's status and Paramètres →
// Synchronisation read it. Go sends sync:status on every change of the background sync and
// sync:progress while one runs; the state is also asked again every half minute, for the changes
// waiting (every answer saved adds one, with no event) and for « il y a 3 min » to move on.
import * as api from '../api';
import type { SyncProgress, SyncReport, SyncStatus } from '../api';
import { EVENTS, on } from '../api/events';

/** A sync shorter than this is not announced in the header: the background one takes a second. */
export const BUSY_DELAY = 1000;
/** How often the state is asked again and the relative times move on. */
export const REFRESH_EVERY = 30_000;

export const syncState: {
  /** The last state known; null before the first answer, or when this desk has no sync. */
  status: SyncStatus | null;
  /** Why the state cannot be read (French), "" when it can. */
  error: string;
  /** The progress of the sync running, null when none runs. */
  progress: SyncProgress | null;
  /** Whether the sync running has lasted long enough to be shown as running. */
  busy: boolean;
  /** The report of the last sync seen by this window. */
  report: SyncReport | null;
  /** The time now, moved on every REFRESH_EVERY: what the relative times are computed from. */
  now: number;
} = $state({ status: null, error: '', progress: null, busy: false, report: null, now: Date.now() });

let seq = 0; // moves with every state applied: an answer older than an event is dropped
let busyTimer: ReturnType<typeof setTimeout> | undefined;

/** applyStatus takes a state from Go (an answer or an event). */
export function applyStatus(s: SyncStatus) {
  seq++;
  syncState.status = s;
  syncState.now = Date.now();
  syncState.error = '';
  if (!s.running) {
    clearTimeout(busyTimer);
    busyTimer = undefined;
    syncState.busy = false;
    syncState.progress = null;
    return;
  }
  if (s.progress) syncState.progress = s.progress;
  if (!syncState.busy && busyTimer === undefined) {
    busyTimer = setTimeout(() => {
      busyTimer = undefined;
      if (syncState.status?.running) syncState.busy = true;
    }, BUSY_DELAY);
  }
}

/** refreshSync asks Go for the state again (after a change made here: an error reported, an enrolment). */
export async function refreshSync(): Promise<void> {
  const mine = ++seq;
  try {
    const s = await api.syncStatus();
    if (mine === seq) applyStatus(s);
  } catch (e) {
    if (mine !== seq) return;
    syncState.status = null;
    syncState.error = e instanceof api.ApiError ? e.message : String(e);
  }
}

/** startSyncState reads the state and follows Go's events; returns what undoes it (on unmount). */
export function startSyncState(): () => void {
  void refreshSync();
  const offs = [
    on(EVENTS.syncStatus, (s) => s && applyStatus(s)),
    on(EVENTS.syncProgress, (p) => {
      if (p) syncState.progress = p;
    }),
    on(EVENTS.syncCompleted, (r) => {
      if (r) syncState.report = r;
    }),
  ];
  const timer = setInterval(() => {
    syncState.now = Date.now();
    void refreshSync();
  }, REFRESH_EVERY);
  return () => {
    offs.forEach((off) => off());
    clearInterval(timer);
    clearTimeout(busyTimer);
    busyTimer = undefined;
  };
}
