// Keyboard movement in a list of results (the search box and the list share it).

/** Keys the result list answers to. */
export type NavKey = 'ArrowDown' | 'ArrowUp' | 'PageDown' | 'PageUp' | 'Home' | 'End';

export function isNavKey(key: string): key is NavKey {
  return ['ArrowDown', 'ArrowUp', 'PageDown', 'PageUp', 'Home', 'End'].includes(key);
}

/**
 * navigate returns the index selected after key, from index (-1 = nothing selected) in a list
 * of count items, page items per PageUp/PageDown; null when the key does not move the selection
 * (not a navigation key, or an empty list). It stops at both ends: no wrap-around, so holding
 * ArrowDown never jumps back to the top.
 */
export function navigate(key: string, index: number, count: number, page = 10): number | null {
  if (count <= 0 || !isNavKey(key)) return null;
  const last = count - 1;
  const from = Math.min(index, last);
  switch (key) {
    case 'ArrowDown':
      return from < 0 ? 0 : Math.min(from + 1, last);
    case 'ArrowUp':
      return from <= 0 ? 0 : from - 1;
    case 'PageDown':
      return Math.min(Math.max(from, 0) + page, last);
    case 'PageUp':
      return Math.max(from - page, 0);
    case 'Home':
      return 0;
    case 'End':
      return last;
  }
}
