// One confirmation dialog for the whole window: confirmAction(...) resolves to true when the
// worker confirms. ConfirmDialog.svelte renders the request.

export interface ConfirmRequest {
  title: string;
  message: string;
  confirmLabel: string;
  cancelLabel: string;
  danger?: boolean;
  resolve: (ok: boolean) => void;
}

export const confirmState: { request: ConfirmRequest | null } = $state({ request: null });

export function confirmAction(opts: Omit<ConfirmRequest, 'resolve' | 'cancelLabel'> & { cancelLabel?: string }): Promise<boolean> {
  confirmState.request?.resolve(false);
  return new Promise((resolve) => {
    confirmState.request = { cancelLabel: 'Annuler', ...opts, resolve };
  });
}

export function answerConfirm(ok: boolean) {
  const r = confirmState.request;
  confirmState.request = null;
  r?.resolve(ok);
}
