// French formatting of what the screens show: distances, dates, counts, freshness, opening states.
import type { Freshness, FreshnessLevel, OpenState } from '../api';

const MONTHS = [
  'janvier', 'février', 'mars', 'avril', 'mai', 'juin',
  'juillet', 'août', 'septembre', 'octobre', 'novembre', 'décembre',
];

/** Weekdays in ISO order (1 = Monday), with the one-letter button labels of the filter panel. */
export const DAYS = [
  { iso: 1, letter: 'L', name: 'lundi' },
  { iso: 2, letter: 'M', name: 'mardi' },
  { iso: 3, letter: 'M', name: 'mercredi' },
  { iso: 4, letter: 'J', name: 'jeudi' },
  { iso: 5, letter: 'V', name: 'vendredi' },
  { iso: 6, letter: 'S', name: 'samedi' },
  { iso: 7, letter: 'D', name: 'dimanche' },
] as const;

/** dayName returns « samedi » for 6; "" outside 1…7. */
export function dayName(iso: number): string {
  return DAYS[iso - 1]?.name ?? '';
}

/** formatNumber writes an integer the French way: 12 345 (narrow no-break space). */
export function formatNumber(n: number): string {
  const s = String(Math.round(Math.abs(n))).replace(/\B(?=(\d{3})+(?!\d))/g, '\u202f');
  return n < 0 ? '-' + s : s;
}

/** formatDecimal writes a number with one decimal and a decimal comma: 1,2. */
export function formatDecimal(n: number, digits = 1): string {
  return n.toFixed(digits).replace('.', ',');
}

/** formatDistance: « 1,2 km », « 12 km » from 10 km up, « moins de 0,1 km »; "" when unknown. */
export function formatDistance(km: number | null | undefined): string {
  if (km === null || km === undefined || !Number.isFinite(km) || km < 0) return '';
  if (km < 0.05) return 'moins de 0,1 km';
  if (km >= 9.95) return `${formatNumber(km)} km`;
  return `${formatDecimal(km)} km`;
}

/**
 * formatDate turns an ISO date (« 2026-03-14 », or a timestamp starting with one) into
 * « 14 mars 2026 » (« 1er mars 2026 » for the first). Unreadable input is returned unchanged.
 */
export function formatDate(iso: string | null | undefined): string {
  if (!iso) return '';
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso.trim());
  if (!m) return iso;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (mo < 1 || mo > 12 || d < 1 || d > 31) return iso;
  return `${d === 1 ? '1er' : d} ${MONTHS[mo - 1]} ${y}`;
}

/** countLabel: « 23 initiatives », « 1 initiative », « Aucune initiative ». */
export function countLabel(n: number): string {
  if (n <= 0) return 'Aucune initiative';
  return n === 1 ? '1 initiative' : `${formatNumber(n)} initiatives`;
}

/** plural returns « 1 rejeté » / « 3 rejetés » style words. */
export function plural(n: number, one: string, many: string): string {
  return `${formatNumber(n)} ${n === 1 || n === 0 ? one : many}`;
}

const FRESHNESS: Record<FreshnessLevel, string> = {
  'a-jour': 'À jour',
  'a-verifier': 'À vérifier',
  ancienne: 'Ancienne',
  inconnue: 'Date inconnue',
};

/** freshnessLabel: the badge text of a freshness level. */
export function freshnessLabel(level: string): string {
  return FRESHNESS[level as FreshnessLevel] ?? FRESHNESS.inconnue;
}

/** freshnessTitle: the badge's tooltip, « Mise à jour il y a 4 mois ». */
export function freshnessTitle(f: Pick<Freshness, 'level' | 'months_old'>): string {
  if (f.level === 'inconnue' || !FRESHNESS[f.level as FreshnessLevel]) return 'Date de mise à jour inconnue';
  const n = Math.max(0, Math.floor(f.months_old));
  if (n === 0) return 'Mise à jour ce mois-ci';
  return `Mise à jour il y a ${formatNumber(n)} mois`;
}

/** openStateLabel: the badge of a result when a day is chosen (« Ouvert samedi »); "" otherwise. */
export function openStateLabel(state: OpenState | string, day: number): string {
  const name = dayName(day);
  if (!name) return '';
  switch (state) {
    case 'ouvert':
      return `Ouvert ${name}`;
    case 'ferme':
      return `Fermé ${name}`;
    case 'certaines-semaines':
      return 'Certaines semaines';
    case 'inconnu':
      return 'Horaires inconnus';
    default:
      return '';
  }
}

/** dayStateLabel: how the 7-day strip of the detail pane reads a day's state. */
export function dayStateLabel(state: string): string {
  switch (state) {
    case 'ouvert':
      return 'ouvert';
    case 'ferme':
      return 'fermé';
    case 'certaines-semaines':
      return 'certaines semaines';
    default:
      return 'horaires inconnus';
  }
}
