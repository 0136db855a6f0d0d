// Referrals as the screens read them: status words and badges, which outcome the worker may
// record from a status (Go's transitions say it), the follow-up dates in words, the history.
import type { Code, ReferralChange, ReferralItem, ReferralVocabulary } from '../api';
import { formatDate } from './format';
import { shortDate } from './usagers';

/** The statuses, as Go names them (domain.Referral*). */
export const DRAFT = 'brouillon';
export const GIVEN = 'remise';
export const DONE = 'realisee';
export const NOT_TAKEN = 'non-recours';
export const CANCELLED = 'annulee';

/** The reason of a non-recours that needs a few words (domain.NonRecoursReasons). */
export const OTHER_REASON = 'autre';

/** Words used when Go's vocabulary is not there yet (the same as domain.ReferralStatuses). */
const FALLBACK_LABELS: Record<string, string> = {
  [DRAFT]: 'Brouillon',
  [GIVEN]: 'Remise',
  [DONE]: 'Réalisée',
  [NOT_TAKEN]: 'Non-recours',
  [CANCELLED]: 'Annulée',
};

/** statusLabel names a status in French, from Go's vocabulary. */
export function statusLabel(code: string, vocab: Pick<ReferralVocabulary, 'statuses'> | null): string {
  return vocab?.statuses.find((s) => s.code === code)?.label ?? FALLBACK_LABELS[code] ?? code;
}

/** reasonLabel names a non-recours reason in French. */
export function reasonLabel(code: string, vocab: Pick<ReferralVocabulary, 'reasons'> | null): string {
  return vocab?.reasons.find((r) => r.code === code)?.label ?? code;
}

export type BadgeKind = 'neutral' | 'check' | 'fresh' | 'stale' | 'closed';

/** statusBadge is the colour of a status's badge: waiting (remise) stands out, closed ones calm. */
export function statusBadge(code: string): BadgeKind {
  switch (code) {
    case GIVEN:
      return 'check';
    case DONE:
      return 'fresh';
    case NOT_TAKEN:
      return 'stale';
    case CANCELLED:
      return 'closed';
    default:
      return 'neutral';
  }
}

/** What the worker can record about a referral. */
export type OutcomeAction = 'realisee' | 'non-recours' | 'reporter' | 'annulee';

/**
 * allowedActions lists what may be recorded from a status, in the order of the buttons: the
 * outcomes Go's transitions allow, and « Reporter » while the referral waits for its follow-up
 * (remise). A draft is given from its sheet (« Marquer comme remise »), not from here.
 */
export function allowedActions(status: string, transitions: Record<string, string[]>): OutcomeAction[] {
  const next = transitions[status] ?? [];
  const out: OutcomeAction[] = [];
  if (next.includes(DONE)) out.push('realisee');
  if (next.includes(NOT_TAKEN)) out.push('non-recours');
  if (status === GIVEN) out.push('reporter');
  if (next.includes(CANCELLED)) out.push('annulee');
  return out;
}

/** isOpen: the referral waits for its outcome (handed over, not yet followed up). */
export function isOpen(item: Pick<ReferralItem, 'status'>): boolean {
  return item.status === GIVEN;
}

/** personLabel names the person of a referral, or says it was a walk-in. */
export function personLabel(item: Pick<ReferralItem, 'usager_name' | 'usager_uuid'>): string {
  if (item.usager_name) return item.usager_name;
  return item.usager_uuid ? 'Dossier supprimé' : 'Personne non enregistrée';
}

/** givenOn returns when the referral was handed over (its latest « remise » step), or "". */
export function givenOn(item: Pick<ReferralItem, 'history'>): string {
  for (let i = item.history.length - 1; i >= 0; i--) if (item.history[i].status === GIVEN) return item.history[i].at;
  return '';
}

/** daysBetween counts the days from a to b (YYYY-MM-DD), negative when b is before a. */
export function daysBetween(a: string, b: string): number {
  const t = (s: string) => Date.UTC(Number(s.slice(0, 4)), Number(s.slice(5, 7)) - 1, Number(s.slice(8, 10)));
  return Math.round((t(b) - t(a)) / 86_400_000);
}

/** addDays returns the day n days after a YYYY-MM-DD day. */
export function addDays(day: string, n: number): string {
  const d = new Date(Date.UTC(Number(day.slice(0, 4)), Number(day.slice(5, 7)) - 1, Number(day.slice(8, 10)) + n));
  return d.toISOString().slice(0, 10);
}

/** A follow-up date in words: « à revoir aujourd’hui », « en retard de 3 jours », « à revoir le 12 mars ». */
export interface DueLabel {
  label: string;
  late: boolean;
  due: boolean; // today or late
}

/** dueLabel reads a referral's follow-up date (YYYY-MM-DD) on a given day. */
export function dueLabel(followUpOn: string, today: string): DueLabel {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(followUpOn)) return { label: 'pas de date de suivi', late: false, due: false };
  const d = daysBetween(followUpOn, today);
  if (d === 0) return { label: 'à revoir aujourd’hui', late: false, due: true };
  if (d === 1) return { label: 'à revoir depuis hier', late: true, due: true };
  if (d > 1) return { label: `à revoir depuis ${d} jours (le ${shortDate(followUpOn, today)})`, late: true, due: true };
  if (d === -1) return { label: 'à revoir demain', late: false, due: false };
  return { label: `à revoir le ${shortDate(followUpOn, today)}`, late: false, due: false };
}

/** followUpDate is the day a follow-up delay leads to, in words (« 2 avril 2026 »); "" when not a delay. */
export function followUpDate(today: string, days: number): string {
  if (!Number.isInteger(days) || days < 1 || days > 365) return '';
  return formatDate(addDays(today, days));
}

/** historyLine tells one step: « Non-recours — Horaires : les horaires ne vont pas ». */
export function historyLine(c: ReferralChange, vocab: ReferralVocabulary | null): string {
  let s = statusLabel(c.status, vocab);
  const why = [c.reason ? reasonLabel(c.reason, vocab) : '', c.reason_text.trim()].filter(Boolean).join(' : ');
  if (why) s += ` — ${why}`;
  if (c.note.trim()) s += ` (${c.note.trim()})`;
  return s;
}

/** An outcome as typed in the forms of « Non-recours » and « Reporter ». */
export interface OutcomeForm {
  reason: string;
  reasonText: string;
  date: string;
}

/**
 * outcomeProblem says what is missing before sending an outcome, in French, or "" when it can be
 * sent. Go checks it again (and says why when it refuses); this only saves a round trip.
 */
export function outcomeProblem(action: OutcomeAction, f: OutcomeForm, today: string): string {
  if (action === 'non-recours') {
    if (!f.reason) return 'Choisissez le motif du non-recours.';
    if (f.reason === OTHER_REASON && !f.reasonText.trim()) return 'Précisez le motif quand il est « Autre ».';
  }
  if (action === 'reporter') {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(f.date)) return 'Choisissez la nouvelle date de suivi.';
    if (f.date < today) return 'La nouvelle date de suivi ne peut pas être passée.';
  }
  return '';
}

/** outcomeToast is the message after an outcome was recorded. */
export function outcomeToast(action: OutcomeAction, item: Pick<ReferralItem, 'service_name'>, f: OutcomeForm, vocab: ReferralVocabulary | null, today: string): string {
  const name = `« ${item.service_name} »`;
  switch (action) {
    case 'realisee':
      return `${name} : orientation réalisée.`;
    case 'non-recours':
      return `${name} : non-recours enregistré (${reasonLabel(f.reason, vocab)}).`;
    case 'reporter':
      return `${name} : ${f.date === today ? 'à revoir aujourd’hui' : `à revoir le ${formatDate(f.date)}`}.`;
    case 'annulee':
      return `${name} : orientation annulée.`;
  }
}

/** reasonOptions are the reasons of a non-recours, as Go lists them. */
export function reasonOptions(vocab: ReferralVocabulary | null): Code[] {
  return vocab?.reasons ?? [];
}

/** The referrals printed on one sheet, as a person's file lists them. */
export interface SheetGroup {
  sheetUUID: string;
  createdAt: string;
  items: ReferralItem[];
}

/** bySheet groups referrals by their sheet, in the order the sheets first appear (most recent first from Go). */
export function bySheet(items: ReferralItem[]): SheetGroup[] {
  const groups: SheetGroup[] = [];
  const at = new Map<string, SheetGroup>();
  for (const it of items) {
    let g = at.get(it.sheet_uuid);
    if (!g) {
      g = { sheetUUID: it.sheet_uuid, createdAt: it.created_at, items: [] };
      at.set(it.sheet_uuid, g);
      groups.push(g);
    }
    g.items.push(it);
  }
  return groups;
}
