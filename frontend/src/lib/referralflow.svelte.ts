// What the screens share about referral sheets: the sheet being prepared from the Annuaire (the
// basket), the sheet window (prepare or reopen a sheet; SheetDialog.svelte shows it), the
// settings window, and a counter that moves whenever a referral changes, so that « À revoir », its
// count in the tab, the usager file and the interview show the news. Go sends no event for
// referrals: every change is made from this window, and says so here.
import { addToBasket, removeFromBasket, type BasketItem } from './basket';

/** The sheet window: prepare a new sheet, or show one already prepared. */
export type SheetRequest =
  | {
      kind: 'prepare';
      services: BasketItem[];
      /** The person, when known (from an interview); null lets the worker choose (from the Annuaire). */
      usager: { uuid: string; name: string } | null;
      /** The interview whose ticked suggestions these are, "" from the Annuaire. */
      interview: string;
      /** From the Annuaire's basket: emptied once the sheet is prepared. */
      fromBasket: boolean;
    }
  | { kind: 'sheet'; sheetUUID: string };

export const sheetFlow: { request: SheetRequest | null; opened: number } = $state({ request: null, opened: 0 });

/** openPrepare opens the sheet window on the preparation of a new sheet. */
export function openPrepare(r: Omit<Extract<SheetRequest, { kind: 'prepare' }>, 'kind'>) {
  sheetFlow.request = { kind: 'prepare', ...r, services: r.services.map((s) => ({ ...s })) };
  sheetFlow.opened++;
}

/** openSheet opens the sheet window on a sheet's preview (to print it again, to mark it given). */
export function openSheet(sheetUUID: string) {
  sheetFlow.request = { kind: 'sheet', sheetUUID };
  sheetFlow.opened++;
}

export function closeSheetFlow() {
  sheetFlow.request = null;
}

/** The sheet in preparation from the Annuaire. */
export const basket: { items: BasketItem[] } = $state({ items: [] });

export function addToSheet(item: BasketItem) {
  basket.items = addToBasket(basket.items, item);
}

export function removeFromSheet(uuid: string) {
  basket.items = removeFromBasket(basket.items, uuid);
}

export function clearBasket() {
  basket.items = [];
}

/** Moves whenever a referral is created or changes: screens that list referrals load them again. */
export const referralChanges = $state({ version: 0 });

export function referralsChanged() {
  referralChanges.version++;
}

/**
 * The settings window, the section to show first ("" for the top, "sync" for Synchronisation),
 * and a counter that moves when the settings are saved.
 */
export const settingsWindow: { open: boolean; section: '' | 'sync'; saved: number } = $state({ open: false, section: '', saved: 0 });

export function openSettings(section: '' | 'sync' = '') {
  settingsWindow.section = section;
  settingsWindow.open = true;
}
