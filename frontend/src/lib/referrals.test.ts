import { describe, expect, it } from 'vitest';
import type { ReferralChange, ReferralItem, ReferralVocabulary } from '../api';
import {
  addDays, allowedActions, bySheet, daysBetween, dueLabel, followUpDate, givenOn, historyLine, outcomeProblem, personLabel, statusBadge, statusLabel,
} from './referrals';

// The vocabulary as app.Referrals.Vocabulary sends it (domain/referral.go).
const vocab: ReferralVocabulary = {
  statuses: [
    { code: 'brouillon', label: 'Brouillon' },
    { code: 'remise', label: 'Remise' },
    { code: 'realisee', label: 'Réalisée' },
    { code: 'non-recours', label: 'Non-recours' },
    { code: 'annulee', label: 'Annulée' },
  ],
  reasons: [
    { code: 'trop-loin', label: 'Trop loin' },
    { code: 'horaires', label: 'Horaires' },
    { code: 'autre', label: 'Autre' },
  ],
  transitions: {
    brouillon: ['remise', 'annulee'],
    remise: ['realisee', 'non-recours', 'annulee'],
    realisee: [],
    'non-recours': [],
    annulee: [],
  },
};

const step = (status: string, at: string, more: Partial<ReferralChange> = {}): ReferralChange => ({ status, at, reason: '', reason_text: '', note: '', ...more });

describe('allowedActions', () => {
  it.each([
    ['remise', ['realisee', 'non-recours', 'reporter', 'annulee']],
    ['brouillon', ['annulee']],
    ['realisee', []],
    ['non-recours', []],
    ['annulee', []],
    ['inconnu', []],
  ])('from %s: %j', (status, want) => {
    expect(allowedActions(status, vocab.transitions)).toEqual(want);
  });
  it('follows Go’s transitions, not a list of its own', () => {
    expect(allowedActions('remise', { remise: ['realisee'] })).toEqual(['realisee', 'reporter']);
    expect(allowedActions('brouillon', { brouillon: ['realisee', 'non-recours'] })).toEqual(['realisee', 'non-recours']);
  });
});

describe('status words', () => {
  it('come from Go’s vocabulary, with the same words before it arrives', () => {
    expect(statusLabel('realisee', vocab)).toBe('Réalisée');
    expect(statusLabel('non-recours', null)).toBe('Non-recours');
    expect(statusLabel('annulee', null)).toBe('Annulée');
    expect(statusLabel('x', vocab)).toBe('x');
  });
  it('have a badge each: waiting stands out, closed ones are calm', () => {
    expect(statusBadge('remise')).toBe('check');
    expect(statusBadge('realisee')).toBe('fresh');
    expect(statusBadge('non-recours')).toBe('stale');
    expect(statusBadge('annulee')).toBe('closed');
    expect(statusBadge('brouillon')).toBe('neutral');
  });
  it('name the person, or say there was none', () => {
    expect(personLabel({ usager_name: 'Mme D.', usager_uuid: 'u' })).toBe('Mme D.');
    expect(personLabel({ usager_name: '', usager_uuid: '' })).toBe('Personne non enregistrée');
    expect(personLabel({ usager_name: '', usager_uuid: 'u' })).toBe('Dossier supprimé');
  });
});

describe('due labels', () => {
  const today = '2026-03-12';
  it.each([
    ['2026-03-12', 'à revoir aujourd’hui', true, false],
    ['2026-03-11', 'à revoir depuis hier', true, true],
    ['2026-03-02', 'à revoir depuis 10 jours (le 2 mars)', true, true],
    ['2026-03-13', 'à revoir demain', false, false],
    ['2026-04-01', 'à revoir le 1er avril', false, false],
    ['2027-01-05', 'à revoir le 5 janvier 2027', false, false],
    ['', 'pas de date de suivi', false, false],
  ])('%s → %s', (date, label, due, late) => {
    expect(dueLabel(date, today)).toEqual({ label, due, late });
  });
  it('count days across months and years', () => {
    expect(daysBetween('2026-02-27', '2026-03-02')).toBe(3);
    expect(daysBetween('2026-12-31', '2027-01-01')).toBe(1);
    expect(daysBetween('2026-03-12', '2026-03-10')).toBe(-2);
    expect(addDays('2026-02-27', 30)).toBe('2026-03-29');
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
  });
  it('say where a follow-up delay leads', () => {
    expect(followUpDate('2026-03-12', 30)).toBe('11 avril 2026');
    expect(followUpDate('2026-03-12', 0)).toBe('');
    expect(followUpDate('2026-03-12', 1.5)).toBe('');
    expect(followUpDate('2026-03-12', 366)).toBe('');
  });
});

describe('history', () => {
  it('tells each step, with the reason of a non-recours', () => {
    expect(historyLine(step('remise', '2026-03-01T10:00:00Z'), vocab)).toBe('Remise');
    expect(historyLine(step('non-recours', 'x', { reason: 'horaires' }), vocab)).toBe('Non-recours — Horaires');
    expect(historyLine(step('non-recours', 'x', { reason: 'autre', reason_text: ' garde d’enfant ' }), vocab)).toBe('Non-recours — Autre : garde d’enfant');
    expect(historyLine(step('realisee', 'x', { note: 'contente' }), vocab)).toBe('Réalisée (contente)');
  });
  it('finds when the sheet was handed over', () => {
    const h = [step('brouillon', '2026-03-01T09:00:00Z'), step('remise', '2026-03-01T09:05:00Z'), step('non-recours', '2026-03-20T09:00:00Z')];
    expect(givenOn({ history: h })).toBe('2026-03-01T09:05:00Z');
    expect(givenOn({ history: h.slice(0, 1) })).toBe('');
  });
});

describe('outcomeProblem', () => {
  const today = '2026-03-12';
  const f = { reason: '', reasonText: '', date: '' };
  it('asks for a reason of a non-recours, and words for « Autre »', () => {
    expect(outcomeProblem('non-recours', f, today)).toBe('Choisissez le motif du non-recours.');
    expect(outcomeProblem('non-recours', { ...f, reason: 'autre', reasonText: '  ' }, today)).toBe('Précisez le motif quand il est « Autre ».');
    expect(outcomeProblem('non-recours', { ...f, reason: 'autre', reasonText: 'garde' }, today)).toBe('');
    expect(outcomeProblem('non-recours', { ...f, reason: 'horaires' }, today)).toBe('');
  });
  it('asks for a follow-up date that is not past', () => {
    expect(outcomeProblem('reporter', f, today)).toBe('Choisissez la nouvelle date de suivi.');
    expect(outcomeProblem('reporter', { ...f, date: '2026-03-11' }, today)).toBe('La nouvelle date de suivi ne peut pas être passée.');
    expect(outcomeProblem('reporter', { ...f, date: today }, today)).toBe('');
  });
  it('has nothing to ask before « Réalisée » or « Annuler »', () => {
    expect(outcomeProblem('realisee', f, today)).toBe('');
    expect(outcomeProblem('annulee', f, today)).toBe('');
  });
});

describe('bySheet', () => {
  const item = (uuid: string, sheet: string, at: string) => ({ uuid, sheet_uuid: sheet, created_at: at }) as ReferralItem;
  it('groups the referrals of a sheet, sheets in the order Go sent them', () => {
    const g = bySheet([item('a', 's2', '2026-03-02'), item('b', 's1', '2026-03-01'), item('c', 's2', '2026-03-02')]);
    expect(g.map((x) => [x.sheetUUID, x.createdAt, x.items.map((i) => i.uuid)])).toEqual([
      ['s2', '2026-03-02', ['a', 'c']],
      ['s1', '2026-03-01', ['b']],
    ]);
    expect(bySheet([])).toEqual([]);
  });
});
