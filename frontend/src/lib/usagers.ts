// The usager files as the screens read them: communes, follow-up dates, the form of a file and
// where Go's problems point on it.
import type { Commune, Usager, UsagerInput } from '../api';
import { formatDate } from './format';
import type { CommuneValue } from './query';

/** The commune code of a usager living outside the département (domain.CommuneOther). */
export const COMMUNE_OTHER = 'autre';

/** communeLabel names a usager's commune: its name, « Hors département » for autre, "" when unknown. */
export function communeLabel(code: string, communes: Pick<Commune, 'code_insee' | 'nom'>[]): string {
  if (!code) return '';
  if (code === COMMUNE_OTHER) return 'Hors département';
  return communes.find((c) => c.code_insee === code)?.nom ?? code;
}

/** isoDay returns a date's local day as YYYY-MM-DD (what date inputs and Go's next_contact use). */
export function isoDay(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

/** shortDate writes « 12 mars », with the year when it is not this year's (« 12 mars 2027 »). */
export function shortDate(iso: string, today: string): string {
  const full = formatDate(iso);
  if (!/^\d{4}-\d{2}-\d{2}/.test(iso)) return full;
  return iso.slice(0, 4) === today.slice(0, 4) ? full.replace(/ \d{4}$/, '') : full;
}

/** The follow-up of a file: « à revoir le 12 mars », late when the day has passed. */
export interface NextContact {
  label: string;
  overdue: boolean;
  today: boolean;
}

/** nextContactLabel reads a planned follow-up (YYYY-MM-DD) on a given day; null when none is planned. */
export function nextContactLabel(date: string, today: string): NextContact | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return null;
  if (date === today) return { label: 'à revoir aujourd’hui', overdue: false, today: true };
  return { label: `à revoir le ${shortDate(date, today)}`, overdue: date < today, today: false };
}

/** The new-file and edit forms, as typed. */
export interface UsagerForm {
  displayName: string;
  birthYear: string;
  commune: CommuneValue | null;
  outside: boolean; // « Hors département »
  household: string;
  contact: string;
  notes: string;
  consent: boolean;
}

export function emptyUsagerForm(): UsagerForm {
  return { displayName: '', birthYear: '', commune: null, outside: false, household: '', contact: '', notes: '', consent: false };
}

/** formOf fills the edit form with a file's identity. */
export function formOf(u: Usager, communes: Pick<Commune, 'code_insee' | 'nom'>[]): UsagerForm {
  const outside = u.commune === COMMUNE_OTHER;
  return {
    displayName: u.display_name,
    birthYear: u.birth_year ? String(u.birth_year) : '',
    commune: outside || !u.commune ? null : { text: communeLabel(u.commune, communes), code: u.commune },
    outside,
    household: u.household,
    contact: u.contact,
    notes: u.notes,
    consent: u.consent_given,
  };
}

/**
 * toUsagerInput builds what Usagers.Create/Update receive. Go checks everything again and says
 * in French what is wrong; only a year of birth that is not a number is caught here, since it
 * cannot cross the seam as a number.
 */
export function toUsagerInput(f: UsagerForm): { input: UsagerInput; problem?: undefined } | { input?: undefined; problem: string } {
  const year = f.birthYear.trim();
  if (year !== '' && !/^\d{4}$/.test(year)) return { problem: 'L’année de naissance s’écrit avec quatre chiffres (par exemple 1975).' };
  return {
    input: {
      display_name: f.displayName.trim(),
      birth_year: year === '' ? null : Number(year),
      commune: f.outside ? COMMUNE_OTHER : f.commune ? f.commune.code || f.commune.text.trim() : '',
      household: f.household,
      contact: f.contact.trim(),
      notes: f.notes,
      consent: f.consent,
    },
  };
}

// Go names the faulty field in each problem of « Le dossier ne peut pas être enregistré : … ».
const FIELD_IDS: [RegExp, string][] = [
  [/nom d[’']usage/i, 'u-name'],
  [/ann[ée]e de naissance/i, 'u-year'],
  [/foyer/i, 'u-household'],
  [/contact/i, 'u-contact'],
  [/notes/i, 'u-notes'],
  [/accord|consentement/i, 'u-consent'],
  [/commune|code postal|code insee|hauts-de-seine/i, 'u-commune'],
];

/** usagerField returns the id of the form field a problem is about, or null. */
export function usagerField(problem: string): string | null {
  for (const [re, id] of FIELD_IDS) if (re.test(problem)) return id;
  return null;
}
