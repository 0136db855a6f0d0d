// The Annuaire's query state (what the worker chose on screen) and its translation into the
// SearchQuery Go expects, plus the removable chips that show the active filters.
import type { Reference, SearchQuery } from '../api';
import { dayName } from './format';

/** A commune chosen in a picker: code is the INSEE code when known, else text goes to Go as typed. */
export interface CommuneValue {
  text: string;
  code: string;
}

export type Mode = '' | 'en-presentiel' | 'a-distance';

/** QueryState is everything the Annuaire's search box and filter panel hold. */
export interface QueryState {
  text: string;
  categories: string[];
  themes: string[];
  publics: string[];
  freeOnly: boolean;
  mode: Mode;
  openOn: number; // ISO weekday, 0 = any
  canGive: boolean;
  near: CommuneValue | null;
  km: number;
  eligibleFor: CommuneValue | null;
  commune: CommuneValue | null;
}

/** The radius choices of « Près de », in km. */
export const RADII = [1, 2, 3, 5, 10] as const;

/** Results asked per page. */
export const PAGE_SIZE = 50;

/** emptyState is the state at start: nothing typed, no filter, the default radius. */
export function emptyState(kmDefault = 5): QueryState {
  return {
    text: '',
    categories: [],
    themes: [],
    publics: [],
    freeOnly: false,
    mode: '',
    openOn: 0,
    canGive: false,
    near: null,
    km: kmDefault,
    eligibleFor: null,
    commune: null,
  };
}

function communeParam(v: CommuneValue | null): string {
  if (!v) return '';
  return v.code || v.text.trim();
}

/** buildQuery turns the screen's state into the SearchQuery sent to Directory.Search. */
export function buildQuery(s: QueryState, page: { offset?: number; limit?: number } = {}): SearchQuery {
  const near = communeParam(s.near);
  return {
    text: s.text.trim().replace(/\s+/g, ' '),
    themes: [...s.themes],
    categories: [...s.categories],
    publics: [...s.publics],
    free_only: s.freeOnly,
    mode: s.mode,
    commune: communeParam(s.commune),
    near,
    km: near ? s.km : 0,
    eligible_for: communeParam(s.eligibleFor),
    open_on: s.openOn >= 1 && s.openOn <= 7 ? s.openOn : 0,
    can_give: s.canGive,
    limit: page.limit ?? PAGE_SIZE,
    offset: page.offset ?? 0,
  };
}

/** queryKey identifies a query (without its page) so that pages of another query are not mixed in. */
export function queryKey(s: QueryState): string {
  const { limit: _l, offset: _o, ...rest } = buildQuery(s);
  return JSON.stringify(rest);
}

/** isProximity says whether results are ordered by distance (remote-only ones listed apart). */
export function isProximity(s: QueryState): boolean {
  return communeParam(s.near) !== '';
}

/** A removable chip above the results: key identifies the filter, label is what the worker reads. */
export interface Chip {
  key: string;
  label: string;
}

/** Labels of the vocabularies, from Reference. */
export interface Labels {
  category(code: string): string;
  theme(code: string): string;
  public(code: string): string;
}

/** labelsFrom builds label lookups from the reference data; unknown codes read as themselves. */
export function labelsFrom(ref: Pick<Reference, 'categories' | 'theme_categories' | 'thematiques' | 'publics'>): Labels {
  const cats = new Map(ref.categories.map((c) => [c.code, c.label]));
  const themes = new Map([...ref.theme_categories, ...ref.thematiques].map((t) => [t.value, t.label]));
  const publics = new Map(ref.publics.map((t) => [t.value, t.label]));
  return {
    category: (c) => cats.get(c) ?? c,
    theme: (c) => themes.get(c) ?? c,
    public: (c) => publics.get(c) ?? c,
  };
}

/** chips lists the active filters in the order of the panel (the search text is not one). */
export function chips(s: QueryState, labels: Labels): Chip[] {
  const out: Chip[] = [];
  if (s.near && communeParam(s.near)) out.push({ key: 'near', label: `Près de ${s.near.text.trim()} (${s.km} km)` });
  if (s.openOn) out.push({ key: 'open', label: `Ouvert le ${dayName(s.openOn)}` });
  for (const c of s.categories) out.push({ key: `category:${c}`, label: labels.category(c) });
  if (s.freeOnly) out.push({ key: 'free', label: 'Gratuit uniquement' });
  if (s.mode) out.push({ key: 'mode', label: s.mode === 'a-distance' ? 'À distance' : 'Sur place' });
  if (s.canGive) out.push({ key: 'give', label: 'Où l’on peut aussi donner' });
  for (const t of s.themes) out.push({ key: `theme:${t}`, label: labels.theme(t) });
  for (const p of s.publics) out.push({ key: `public:${p}`, label: labels.public(p) });
  if (s.eligibleFor && communeParam(s.eligibleFor)) out.push({ key: 'eligible', label: `Habitant de ${s.eligibleFor.text.trim()}` });
  if (s.commune && communeParam(s.commune)) out.push({ key: 'commune', label: `Situé à ${s.commune.text.trim()}` });
  return out;
}

/** hasFilters says whether any filter is active (the search text aside). */
export function hasFilters(s: QueryState): boolean {
  return chips(s, { category: (c) => c, theme: (c) => c, public: (c) => c }).length > 0;
}

/** removeChip returns the state without the filter of a chip. */
export function removeChip(s: QueryState, key: string): QueryState {
  const [kind, code] = key.includes(':') ? [key.slice(0, key.indexOf(':')), key.slice(key.indexOf(':') + 1)] : [key, ''];
  const next: QueryState = { ...s, categories: [...s.categories], themes: [...s.themes], publics: [...s.publics] };
  switch (kind) {
    case 'near':
      next.near = null;
      break;
    case 'open':
      next.openOn = 0;
      break;
    case 'category':
      next.categories = next.categories.filter((c) => c !== code);
      break;
    case 'free':
      next.freeOnly = false;
      break;
    case 'mode':
      next.mode = '';
      break;
    case 'give':
      next.canGive = false;
      break;
    case 'theme':
      next.themes = next.themes.filter((c) => c !== code);
      break;
    case 'public':
      next.publics = next.publics.filter((c) => c !== code);
      break;
    case 'eligible':
      next.eligibleFor = null;
      break;
    case 'commune':
      next.commune = null;
      break;
  }
  return next;
}

/** clearFilters keeps the search text and the chosen radius and drops every filter. */
export function clearFilters(s: QueryState): QueryState {
  return { ...emptyState(s.km), text: s.text };
}

/** toggle adds code to list or removes it. */
export function toggle(list: string[], code: string): string[] {
  return list.includes(code) ? list.filter((c) => c !== code) : [...list, code];
}

/**
 * toggleTheme selects or unselects a thématique. Choosing a whole category ("sante") replaces
 * its sub-themes already chosen (the category covers them); choosing a sub-theme of a chosen
 * category narrows the category to that sub-theme.
 */
export function toggleTheme(list: string[], code: string): string[] {
  if (list.includes(code)) return list.filter((c) => c !== code);
  const sep = code.indexOf('--');
  if (sep < 0) return [...list.filter((c) => !c.startsWith(code + '--')), code];
  const parent = code.slice(0, sep);
  return [...list.filter((c) => c !== parent), code];
}
