import { describe, expect, it } from 'vitest';
import type { SyncStatus } from '../api';
import { ago, capitalize, clockTime, dayTime, retryAt, enrolField, firstSync, kindLabel, pendingLabel, phaseLabel, progressPercent, progressText, reportSummary, summary, upcoming } from './sync';

// Local times, so that the tests read the same whatever the machine's time zone.
const at = (d: number, h: number, m: number, month = 2, year = 2026) => new Date(year, month, d, h, m);
const NOW = at(12, 14, 32); // 12 March 2026, 14 h 32

function status(over: Partial<SyncStatus> = {}): SyncStatus {
  return {
    enrolled: true,
    server_url: 'https://synchro.exemple.fr',
    device_id: 'd1',
    site_id: 's1',
    site_name: 'EDAS de Nanterre',
    revoked: false,
    cursor: 120,
    pending: 0,
    rejected: 0,
    last_sync_at: at(12, 14, 30).toISOString(),
    last_error: '',
    last_error_at: null,
    running: false,
    progress: null,
    next_attempt_at: at(12, 14, 35).toISOString(),
    paused: false,
    failures: 0,
    rejections: [],
    last_report: null,
    ...over,
  };
}

describe('times', () => {
  it('writes a time of day the French way', () => {
    expect(clockTime(at(12, 14, 32))).toBe('14 h 32');
    expect(clockTime(at(12, 9, 5))).toBe('9 h 05');
    expect(clockTime(at(12, 0, 0))).toBe('0 h 00');
    expect(clockTime('pas une date')).toBe('');
  });

  it.each([
    ['under a minute', new Date(2026, 2, 12, 14, 31, 30), 'à l’instant'],
    ['one minute', at(12, 14, 31), 'il y a 1 min'],
    ['a clock a little ahead', at(12, 14, 33), 'à l’instant'],
    ['minutes', at(12, 14, 29), 'il y a 3 min'],
    ['59 minutes', at(12, 13, 33), 'il y a 59 min'],
    ['hours', at(12, 12, 2), 'il y a 2 h'],
    ['yesterday, more than 12 hours ago', at(11, 9, 5), 'hier à 9 h 05'],
    ['earlier this year', at(1, 8, 0, 1), 'le 1er février à 8 h 00'],
    ['another year', at(3, 10, 15, 11, 2025), 'le 3 décembre 2025 à 10 h 15'],
  ])('ago: %s', (_name, t, want) => {
    expect(ago(t, NOW)).toBe(want);
  });

  it('reads Go’s RFC 3339 timestamps', () => {
    expect(ago(new Date(NOW.getTime() - 3 * 60_000).toISOString(), NOW)).toBe('il y a 3 min');
    expect(ago('', NOW)).toBe('');
  });

  it.each([
    ['due or past', at(12, 14, 30), 'dans un instant'],
    ['later today', at(12, 16, 7), 'à 16 h 07'],
    ['tomorrow', at(13, 8, 0), 'demain à 8 h 00'],
    ['later', at(20, 8, 0), 'le 20 mars à 8 h 00'],
  ])('upcoming: %s', (_name, t, want) => {
    expect(upcoming(t, NOW)).toBe(want);
  });

  it('gives the next attempt as a time, even a minute away', () => {
    expect(retryAt(at(12, 14, 33), NOW)).toBe('à 14 h 33');
    expect(retryAt(at(13, 8, 0), NOW)).toBe('demain à 8 h 00');
  });

  it('names today, yesterday and tomorrow', () => {
    expect(dayTime(at(12, 8, 1), NOW)).toBe('aujourd’hui à 8 h 01');
    expect(dayTime(at(11, 23, 59), NOW)).toBe('hier à 23 h 59');
    expect(dayTime(at(13, 0, 0), NOW)).toBe('demain à 0 h 00');
  });
});

describe('words', () => {
  it('counts the changes waiting', () => {
    expect(pendingLabel(0)).toBe('Aucune modification en attente d’envoi');
    expect(pendingLabel(1)).toBe('1 modification en attente d’envoi');
    expect(pendingLabel(12)).toBe('12 modifications en attente d’envoi');
    expect(pendingLabel(1234)).toBe('1\u202f234 modifications en attente d’envoi');
  });

  it.each([
    ['usager', 'dossier'],
    ['interview', 'entretien'],
    ['answer', 'réponse'],
    ['referral', 'orientation'],
    ['referral_event', 'suivi d’orientation'],
    ['selection', 'suggestion cochée'],
    ['suggestion', 'proposition ou signalement'],
    ['service', 'fiche de l’annuaire'],
    ['quelque-chose', 'modification'],
  ])('names the kind %s « %s »', (kind, want) => {
    expect(kindLabel(kind)).toBe(want);
  });

  it('capitalizes', () => {
    expect(capitalize('réponse')).toBe('Réponse');
    expect(capitalize('')).toBe('');
  });

  it('says which field an enrolment error is about', () => {
    expect(enrolField('Code d’inscription mal formé : il compte 16 caractères')).toBe('code');
    expect(enrolField('Ce code d’inscription a déjà servi ou a expiré')).toBe('code');
    expect(enrolField('L’adresse du serveur doit commencer par https://')).toBe('server');
    expect(enrolField('Le serveur de synchronisation https://x.fr ne répond pas')).toBe('server');
    expect(enrolField('Trop de demandes : réessayez dans une minute.')).toBe('');
  });
});

describe('progress', () => {
  it.each([
    [{ done: 0, total: 200 }, 0],
    [{ done: 90, total: 200 }, 45],
    [{ done: 199, total: 200 }, 99],
    [{ done: 200, total: 200 }, 100],
    [{ done: 250, total: 200 }, 100], // the pull's total is an estimate
    [{ done: -1, total: 200 }, 0],
  ])('%o is %i %', (p, want) => {
    expect(progressPercent(p)).toBe(want);
  });

  it('has no percentage when the total is unknown', () => {
    expect(progressPercent({ done: 12, total: 0 })).toBeNull();
    expect(progressPercent(null)).toBeNull();
  });

  it('names the phases and says how far they are', () => {
    expect(phaseLabel('push')).toBe('Envoi');
    expect(phaseLabel('pull')).toBe('Réception');
    expect(progressText({ phase: 'pull', done: 3400, total: 100000 })).toBe('Réception : 3\u202f400 sur 100\u202f000 (3 %)');
    expect(progressText({ phase: 'push', done: 12, total: 0 })).toBe('Envoi : 12');
    expect(progressText({ phase: 'push', done: 0, total: 0 })).toBe('Envoi…');
    expect(progressText(null)).toBe('Synchronisation…');
  });

  it('knows the first sync', () => {
    expect(firstSync({ cursor: 0, last_sync_at: null })).toBe(true);
    expect(firstSync({ cursor: 12, last_sync_at: null })).toBe(false);
    expect(firstSync({ cursor: 0, last_sync_at: NOW.toISOString() })).toBe(false);
  });
});

describe('summary: the header’s status', () => {
  it('shows nothing on a desk without sync', () => {
    expect(summary(null, NOW)).toBeNull();
  });

  it.each<[string, Partial<SyncStatus>, string, string]>([
    ['not enrolled', { enrolled: false, last_sync_at: null }, 'off', 'Non synchronisé'],
    ['synced', {}, 'ok', 'Synchronisé il y a 2 min'],
    ['changes waiting', { pending: 12 }, 'pending', '12 modifications en attente'],
    ['one change waiting', { pending: 1 }, 'pending', '1 modification en attente'],
    [
      'offline',
      { last_error: 'Le serveur ne répond pas.', last_report: { error_code: 'unavailable' } as SyncStatus['last_report'], pending: 3 },
      'offline',
      'Hors ligne, nouvel essai à 14 h 35',
    ],
    ['failing', { last_error: 'Le serveur a refusé le lot.', last_report: { error_code: 'gap' } as SyncStatus['last_report'] }, 'error', 'Échec, nouvel essai à 14 h 35'],
    ['stopped', { last_error: 'Ce poste est inconnu du serveur.', paused: true, next_attempt_at: null }, 'error', 'Synchronisation arrêtée'],
    ['revoked', { revoked: true, paused: true }, 'error', 'Poste retiré : à réinscrire'],
    ['enrolled, never synced', { last_sync_at: null, cursor: 0 }, 'pending', 'Première synchronisation à venir'],
  ])('%s', (_name, over, tone, text) => {
    expect(summary(status(over), NOW)).toMatchObject({ tone, text });
  });

  it('shows a long sync with its percentage, and a short one not at all', () => {
    const s = status({ running: true, progress: { phase: 'pull', done: 45, total: 100 } });
    expect(summary(s, NOW, null, true)).toMatchObject({ tone: 'busy', text: 'Synchronisation… 45 %' });
    expect(summary(s, NOW, { phase: 'pull', done: 90, total: 100 }, true)?.text).toBe('Synchronisation… 90 %');
    expect(summary(status({ running: true }), NOW, null, true)?.text).toBe('Synchronisation…');
    expect(summary(s, NOW, null, false)).toMatchObject({ tone: 'ok', text: 'Synchronisé il y a 2 min' });
  });

  it('says more in its detail: the failure, the last sync, what waits', () => {
    const d = summary(status({ last_error: 'Le serveur ne répond pas.', last_error_at: at(12, 14, 31).toISOString(), last_report: { error_code: 'unavailable' } as SyncStatus['last_report'], pending: 2 }), NOW)!.detail;
    expect(d).toContain('Le serveur ne répond pas. (il y a 1 min)');
    expect(d).toContain('Dernière synchronisation : il y a 2 min.');
    expect(d).toContain('2 modifications en attente d’envoi.');
  });
});

describe('reportSummary', () => {
  it('says what a sync moved', () => {
    expect(reportSummary({ pushed: 3, pulled: 120, rejected: [], error: '' })).toBe('Synchronisation terminée : 3 modifications envoyées, 120 enregistrements reçus.');
    expect(reportSummary({ pushed: 0, pulled: 0, rejected: [], error: '' })).toBe('Synchronisation terminée : rien à envoyer, rien de nouveau reçu.');
    expect(reportSummary({ pushed: 1, pulled: 1, rejected: [{}], error: '' })).toBe(
      'Synchronisation terminée : 1 modification envoyée, 1 enregistrement reçu, 1 modification refusée par le serveur.',
    );
    expect(reportSummary({ pushed: 0, pulled: 0, rejected: [], error: 'Le serveur ne répond pas.' })).toBe('La synchronisation n’est pas allée au bout : Le serveur ne répond pas.');
  });
});
