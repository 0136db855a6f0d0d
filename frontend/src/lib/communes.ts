// Finding a commune from what the worker types: a name with or without accents and hyphens, a
// postcode or an INSEE code. Go resolves text too (and says in French why it cannot); this
// module only drives the autocomplete and recognises the obvious cases.
import type { Commune } from '../api';

/** fold lowers case, drops accents, spells ligatures out and treats hyphens and apostrophes as spaces. */
export function fold(s: string): string {
  return s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/œ/g, 'oe')
    .replace(/æ/g, 'ae')
    .replace(/[-‐‑–—'’ʼ‘_.,]/g, ' ')
    .replace(/\bst\b/g, 'saint')
    .replace(/\s+/g, ' ')
    .trim();
}

const DEPARTEMENT = '92';

function rank(c: Commune, q: string, digits: boolean): number {
  if (digits) {
    if (c.code_insee === q || c.codes_postaux.includes(q)) return 0;
    if (c.code_insee.startsWith(q) || c.codes_postaux.some((p) => p.startsWith(q))) return 1;
    return -1;
  }
  const name = fold(c.nom);
  if (name === q) return 0;
  if (name.startsWith(q)) return 1;
  if (name.split(' ').some((w) => w.startsWith(q))) return 2;
  if (name.replace(/ /g, '').startsWith(q.replace(/ /g, ''))) return 3;
  if (name.includes(q)) return 4;
  return -1;
}

/** matchCommunes returns the communes matching the typed text, best first, at most max. */
export function matchCommunes(text: string, communes: Commune[], max = 8): Commune[] {
  const raw = text.trim();
  if (raw === '') return communes.slice(0, max);
  const digits = /^\d+$/.test(raw);
  const q = digits ? raw : fold(raw);
  if (q === '') return [];
  return communes
    .map((c) => ({ c, r: rank(c, q, digits) }))
    .filter((x) => x.r >= 0)
    .sort((a, b) => a.r - b.r || a.c.nom.localeCompare(b.c.nom, 'fr'))
    .slice(0, max)
    .map((x) => x.c);
}

/**
 * resolveLocal returns the one commune the text certainly names (its full name in any spelling,
 * its INSEE code, or a postcode of the département that only it has), else null: then the text
 * goes to Go as it is, which resolves prefixes and typos or explains the problem.
 */
export function resolveLocal(text: string, communes: Commune[]): Commune | null {
  const raw = text.trim();
  if (raw === '') return null;
  if (/^\d{5}$/.test(raw)) {
    const byInsee = communes.find((c) => c.code_insee === raw);
    if (byInsee) return byInsee;
    if (!raw.startsWith(DEPARTEMENT)) return null;
    const byPostcode = communes.filter((c) => c.codes_postaux.includes(raw));
    return byPostcode.length === 1 ? byPostcode[0] : null;
  }
  const q = fold(raw);
  return communes.find((c) => fold(c.nom) === q) ?? null;
}
