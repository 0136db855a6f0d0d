// The sheet being prepared from the Annuaire: initiatives added one by one from their detail
// pane, in the order they were added, each once, then printed together on one referral sheet.

/** A service put on the sheet in preparation. */
export interface BasketItem {
  uuid: string;
  nom: string;
}

/** addToBasket returns the basket with the service at the end (unchanged when already in it). */
export function addToBasket(basket: readonly BasketItem[], item: BasketItem): BasketItem[] {
  if (!item.uuid || inBasket(basket, item.uuid)) return [...basket];
  return [...basket, { uuid: item.uuid, nom: item.nom }];
}

/** removeFromBasket returns the basket without the service. */
export function removeFromBasket(basket: readonly BasketItem[], uuid: string): BasketItem[] {
  return basket.filter((b) => b.uuid !== uuid);
}

/** inBasket says whether a service is on the sheet in preparation. */
export function inBasket(basket: readonly BasketItem[], uuid: string): boolean {
  return basket.some((b) => b.uuid === uuid);
}

/** basketLabel: « Fiche en préparation : 2 initiatives »; "" for an empty basket. */
export function basketLabel(n: number): string {
  if (n <= 0) return '';
  return `Fiche en préparation : ${n} initiative${n > 1 ? 's' : ''}`;
}
