// What the screens say about the sync with the central server, in French: relative times
// (« il y a 3 min »), the header's one-line status, the kinds of records the server refused, a
// sync's progress. Pure functions of a status and the time now, so that they are tested alone.
import type { SyncProgress, SyncStatus } from '../api';
import { formatNumber } from './format';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

const MONTHS = [
  'janvier', 'février', 'mars', 'avril', 'mai', 'juin',
  'juillet', 'août', 'septembre', 'octobre', 'novembre', 'décembre',
];

/** A time as Go sends it (RFC 3339), or as the screen holds it. */
export type TimeLike = Date | string | number;

function toDate(t: TimeLike): Date {
  return t instanceof Date ? t : new Date(t);
}

function valid(d: Date): boolean {
  return !Number.isNaN(d.getTime());
}

function sameDay(a: Date, b: Date): boolean {
  return a.getFullYear() === b.getFullYear() && a.getMonth() === b.getMonth() && a.getDate() === b.getDate();
}

function addDays(d: Date, n: number): Date {
  const c = new Date(d);
  c.setDate(c.getDate() + n);
  return c;
}

/** clockTime writes a time of day the French way, in local time: « 14 h 32 », « 9 h 05 ». */
export function clockTime(t: TimeLike): string {
  const d = toDate(t);
  if (!valid(d)) return '';
  return `${d.getHours()} h ${String(d.getMinutes()).padStart(2, '0')}`;
}

/**
 * dayTime says when something happened or will happen, relative to the day of now: « aujourd’hui
 * à 14 h 32 », « hier à 9 h 05 », « demain à 8 h 00 », « le 3 mars à 14 h 32 » (with the year when
 * it is not this one).
 */
export function dayTime(t: TimeLike, now: TimeLike): string {
  const d = toDate(t);
  const n = toDate(now);
  if (!valid(d)) return '';
  const at = clockTime(d);
  if (sameDay(d, n)) return `aujourd’hui à ${at}`;
  if (sameDay(d, addDays(n, -1))) return `hier à ${at}`;
  if (sameDay(d, addDays(n, 1))) return `demain à ${at}`;
  const day = d.getDate() === 1 ? '1er' : String(d.getDate());
  const year = d.getFullYear() === n.getFullYear() ? '' : ` ${d.getFullYear()}`;
  return `le ${day} ${MONTHS[d.getMonth()]}${year} à ${at}`;
}

/**
 * ago says how long ago something happened: « à l’instant » (under a minute, or a clock a little
 * ahead), « il y a 3 min », « il y a 2 h » (under 12 hours), then the day and time (« hier à
 * 14 h 32 »).
 */
export function ago(t: TimeLike, now: TimeLike): string {
  const d = toDate(t);
  const n = toDate(now);
  if (!valid(d)) return '';
  const ms = n.getTime() - d.getTime();
  if (ms < MINUTE) return 'à l’instant';
  if (ms < HOUR) return `il y a ${Math.floor(ms / MINUTE)} min`;
  if (ms < 12 * HOUR) return `il y a ${Math.floor(ms / HOUR)} h`;
  return dayTime(d, n);
}

/**
 * upcoming says when something planned will happen: « dans un instant » (under a minute, or
 * already due), « à 14 h 32 » today, else the day and time (« demain à 8 h 00 »).
 */
export function upcoming(t: TimeLike, now: TimeLike): string {
  const d = toDate(t);
  const n = toDate(now);
  if (!valid(d)) return '';
  if (d.getTime() - n.getTime() < MINUTE) return 'dans un instant';
  if (sameDay(d, n)) return `à ${clockTime(d)}`;
  return dayTime(d, n);
}

/**
 * retryAt says when the next attempt is, for the header: always a time (« à 14 h 32 », « demain à
 * 8 h 00 »), even a minute away, so that the line keeps its length.
 */
export function retryAt(t: TimeLike, now: TimeLike): string {
  const d = toDate(t);
  if (!valid(d)) return '';
  return sameDay(d, toDate(now)) ? `à ${clockTime(d)}` : dayTime(d, now);
}

/** pendingLabel: « Aucune modification en attente d’envoi », « 1 modification en attente d’envoi », « 12 modifications… ». */
export function pendingLabel(n: number): string {
  if (n <= 0) return 'Aucune modification en attente d’envoi';
  return n === 1 ? '1 modification en attente d’envoi' : `${formatNumber(n)} modifications en attente d’envoi`;
}

// The kinds of synced records (domain.Kind*, syncmerge.KindReferralEvent), as a worker names them.
const KINDS: Record<string, string> = {
  usager: 'dossier',
  interview: 'entretien',
  answer: 'réponse',
  selection: 'suggestion cochée',
  referral: 'orientation',
  referral_event: 'suivi d’orientation',
  suggestion: 'proposition ou signalement',
  note: 'note',
  service: 'fiche de l’annuaire',
  structure: 'structure',
  grid: 'grille d’entretien',
};

/** kindLabel names a kind of synced record in French (« dossier », « réponse »…); « modification » when unknown. */
export function kindLabel(kind: string): string {
  return KINDS[kind] ?? 'modification';
}

/** capitalize puts the first letter in upper case: « Dossier ». */
export function capitalize(s: string): string {
  return s ? s[0].toUpperCase() + s.slice(1) : s;
}

/** phaseLabel: « Envoi » for the push, « Réception » for the pull. */
export function phaseLabel(phase: string): string {
  switch (phase) {
    case 'push':
      return 'Envoi';
    case 'pull':
      return 'Réception';
    default:
      return 'Synchronisation';
  }
}

/** progressPercent is how far a phase has gone, 0–100 (rounded down); null when its total is unknown. */
export function progressPercent(p: Pick<SyncProgress, 'done' | 'total'> | null | undefined): number | null {
  if (!p || !(p.total > 0)) return null;
  const pct = Math.floor((Math.max(0, p.done) * 100) / p.total);
  return Math.min(100, Math.max(0, pct));
}

/** progressText: « Réception : 3 400 sur 100 000 (3 %) », « Envoi : 12 », « Envoi… ». */
export function progressText(p: SyncProgress | null | undefined): string {
  if (!p) return 'Synchronisation…';
  const phase = phaseLabel(p.phase);
  const pct = progressPercent(p);
  if (pct !== null) return `${phase} : ${formatNumber(p.done)} sur ${formatNumber(p.total)} (${pct} %)`;
  return p.done > 0 ? `${phase} : ${formatNumber(p.done)}` : `${phase}…`;
}

/** offline says whether the last attempt failed for want of the server (no network, server down). */
export function offline(s: Pick<SyncStatus, 'last_error' | 'last_report'>): boolean {
  return !!s.last_error && s.last_report?.error_code === 'unavailable';
}

/** firstSync says whether the desk never received anything yet (the long first sync). */
export function firstSync(s: Pick<SyncStatus, 'cursor' | 'last_sync_at'>): boolean {
  return !s.last_sync_at && s.cursor === 0;
}

/** The header's status: a tone (the dot's colour, never alone), a short text and a longer one. */
export interface SyncSummary {
  tone: 'off' | 'ok' | 'pending' | 'busy' | 'offline' | 'error';
  text: string;
  detail: string;
}

/**
 * summary is the one line everyone reads in the header: « Non synchronisé », « Synchronisé il y a
 * 2 min », « 12 modifications en attente », « Hors ligne, nouvel essai à 14 h 32 »,
 * « Synchronisation… 45 % »; null when this desk has no sync at all. busy says whether a running
 * sync is worth showing (a background sync of a second is not). The lines are short: the header
 * of a 1280-pixel window leaves them about 250 pixels.
 */
export function summary(s: SyncStatus | null, now: TimeLike, progress: SyncProgress | null = null, busy = true): SyncSummary | null {
  if (!s) return null;
  const last = s.last_sync_at ? `Dernière synchronisation : ${ago(s.last_sync_at, now)}.` : 'Aucune synchronisation encore.';
  const waiting = `${pendingLabel(s.pending)}.`;
  const retry = s.next_attempt_at ? `, nouvel essai ${retryAt(s.next_attempt_at, now)}` : '';
  if (s.revoked) {
    return { tone: 'error', text: 'Poste retiré : à réinscrire', detail: 'Ce poste a été retiré par l’administrateur : inscrivez-le à nouveau avec un nouveau code.' };
  }
  if (!s.enrolled) {
    return { tone: 'off', text: 'Non synchronisé', detail: `Ce poste n’est inscrit auprès d’aucun serveur de synchronisation. ${waiting}` };
  }
  if (s.running && busy) {
    const pct = progressPercent(progress ?? s.progress);
    return { tone: 'busy', text: pct === null ? 'Synchronisation…' : `Synchronisation… ${pct} %`, detail: `${progressText(progress ?? s.progress)}. ${last}` };
  }
  if (s.last_error) {
    const why = `${s.last_error}${s.last_error_at ? ` (${ago(s.last_error_at, now)})` : ''}`;
    if (offline(s)) return { tone: 'offline', text: `Hors ligne${retry}`, detail: `${why} ${last} ${waiting}` };
    if (s.paused || !s.next_attempt_at) return { tone: 'error', text: 'Synchronisation arrêtée', detail: `${why} ${last} ${waiting}` };
    return { tone: 'error', text: retry ? `Échec${retry}` : 'Échec de la synchronisation', detail: `${why} ${last} ${waiting}` };
  }
  if (s.pending > 0) {
    const n = s.pending === 1 ? '1 modification en attente' : `${formatNumber(s.pending)} modifications en attente`;
    return { tone: 'pending', text: n, detail: `${waiting} ${last}` };
  }
  if (s.last_sync_at) return { tone: 'ok', text: `Synchronisé ${ago(s.last_sync_at, now)}`, detail: `${last} Rien en attente d’envoi.` };
  return { tone: 'pending', text: 'Première synchronisation à venir', detail: `Ce poste est inscrit (${s.site_name || s.site_id}) ; la première synchronisation n’a pas encore eu lieu.` };
}

/**
 * enrolField says which field of the enrolment form Go's message is about: the code, the
 * server's address, or neither (an answer of the server, the network).
 */
export function enrolField(message: string): 'code' | 'server' | '' {
  if (/code d[’']inscription/i.test(message)) return 'code';
  if (/adresse|https?:\/\//i.test(message)) return 'server';
  return '';
}

/** reportSummary says in one French sentence what a sync moved. */
export function reportSummary(r: { pushed: number; pulled: number; rejected: unknown[]; error: string }): string {
  if (r.error) return `La synchronisation n’est pas allée au bout : ${r.error}`;
  const parts = [
    r.pushed === 0 ? 'rien à envoyer' : r.pushed === 1 ? '1 modification envoyée' : `${formatNumber(r.pushed)} modifications envoyées`,
    r.pulled === 0 ? 'rien de nouveau reçu' : r.pulled === 1 ? '1 enregistrement reçu' : `${formatNumber(r.pulled)} enregistrements reçus`,
  ];
  if (r.rejected.length) parts.push(r.rejected.length === 1 ? '1 modification refusée par le serveur' : `${formatNumber(r.rejected.length)} modifications refusées par le serveur`);
  return `Synchronisation terminée : ${parts.join(', ')}.`;
}
