// Short messages at the bottom of the window (« Note enregistrée », « Annuler »). They are read
// by screen readers through an aria-live region; one with an action stays longer, and none
// leaves while the pointer or the focus is on it.

export interface ToastAction {
  label: string;
  run: () => void | Promise<void>;
}

export interface Toast {
  id: number;
  message: string;
  kind: 'info' | 'success' | 'error';
  action?: ToastAction;
  timeout: number;
}

export const toasts: Toast[] = $state([]);

let nextId = 1;
const timers = new Map<number, ReturnType<typeof setTimeout>>();

/** showToast shows a message; it leaves after timeout ms (12 s with an action, 5 s otherwise). */
export function showToast(message: string, opts: { kind?: Toast['kind']; action?: ToastAction; timeout?: number } = {}): number {
  const id = nextId++;
  const timeout = opts.timeout ?? (opts.action ? 12000 : 5000);
  toasts.push({ id, message, kind: opts.kind ?? 'info', action: opts.action, timeout });
  while (toasts.length > 4) dismissToast(toasts[0].id);
  arm(id, timeout);
  return id;
}

function arm(id: number, ms: number) {
  clearTimeout(timers.get(id));
  if (ms > 0) timers.set(id, setTimeout(() => dismissToast(id), ms));
}

/** holdToast stops a toast's timer (pointer or focus on it); releaseToast restarts it. */
export function holdToast(id: number) {
  clearTimeout(timers.get(id));
  timers.delete(id);
}

export function releaseToast(id: number) {
  const t = toasts.find((x) => x.id === id);
  if (t) arm(id, t.timeout);
}

export function dismissToast(id: number) {
  clearTimeout(timers.get(id));
  timers.delete(id);
  const i = toasts.findIndex((t) => t.id === id);
  if (i >= 0) toasts.splice(i, 1);
}
