import { describe, expect, it } from 'vitest';
import type { Grid, InterviewView } from '../api';
import { domainMove, domainsDoneLabel, keepSensitive, missingRequired, openingDomain, progressSummary, scaleKey, shownQuestions, stepDomain, withoutSensitive } from './interview';

const grid = {
  id: 'g',
  version: 1,
  title: 'G',
  domains: [
    {
      id: 'liens', title: 'Liens', thematiques: [], categories: [],
      questions: [
        { id: 'liens-auto', type: 'echelle', label: 'Où en êtes-vous ?', required: true, options: [] },
        { id: 'liens-soutien', type: 'oui-non', label: 'Quelqu’un à qui parler ?', required: true, options: [] },
        { id: 'liens-aide', type: 'choix-multiples', label: 'Qu’est-ce qui aiderait ?', required: true, options: [] },
      ],
    },
    { id: 'sante', title: 'Santé', sensitive: true, thematiques: [], categories: [], questions: [{ id: 'sante-medecin', type: 'oui-non', label: 'Médecin ?', options: [] }] },
    { id: 'logement', title: 'Logement', thematiques: [], categories: [], questions: [{ id: 'logement-auto', type: 'echelle', label: 'Logement ?', required: true, options: [] }] },
  ],
} as unknown as Grid;

const answer = (id: string, v: object, sensitive = false) => ({ interview_uuid: 'i', question_id: id, value: v, worker_rating: null, answered_at: '', correction: false, sensitive });

function view(over: Partial<InterviewView> = {}): InterviewView {
  return {
    uuid: 'i', grid, with_sensitive: true, progress: [], previous_at: null,
    interview: { usager_uuid: 'u', grid_id: 'g', grid_version: 1, status: 'en-cours', started_at: '', completed_at: null, current_domain: 'sante', next_contact: '' },
    answers: { 'liens-auto': answer('liens-auto', { number: 2 }), 'sante-medecin': answer('sante-medecin', { text: 'non' }, true) },
    previous: { 'sante-medecin': answer('sante-medecin', { text: 'oui' }, true), 'liens-auto': answer('liens-auto', { number: 1 }) },
    history: [{ question_id: 'sante-medecin', value: { text: 'oui' }, worker_rating: null, answered_at: '', replaced_at: '' }],
    visible: { 'liens-auto': true, 'liens-soutien': true, 'liens-aide': false, 'sante-medecin': true, 'logement-auto': true },
    conflicts: {
      'liens-auto': [{ question_id: 'liens-auto', value: { number: 5 }, worker_rating: null, device: 'd2', answered_at: '' }],
      'sante-medecin': [{ question_id: 'sante-medecin', value: { text: 'peut-etre' }, worker_rating: null, device: 'd2', answered_at: '' }],
    },
    ...over,
  };
}

describe('openingDomain', () => {
  it('resumes where the worker left the interview, else at the first domain', () => {
    expect(openingDomain(grid, 'logement')).toBe('logement');
    expect(openingDomain(grid, '')).toBe('liens');
    expect(openingDomain(grid, 'ancien-domaine')).toBe('liens');
  });
});

describe('progress', () => {
  it('says how many domains are done', () => {
    expect(progressSummary([{ done: true }, { done: false }, { done: true }])).toEqual({ done: 2, total: 3, label: '2 domaines sur 3' });
    expect(domainsDoneLabel(1, 10)).toBe('1 domaine sur 10');
    expect(domainsDoneLabel(0, 10)).toBe('0 domaine sur 10');
  });
});

describe('shownQuestions', () => {
  it('hides the questions whose condition does not hold', () => {
    expect(shownQuestions(grid.domains[0], view().visible).map((q) => q.id)).toEqual(['liens-auto', 'liens-soutien']);
  });
});

describe('missingRequired', () => {
  it('lists the shown required questions without answer, in order', () => {
    expect(missingRequired(view())).toEqual([
      { domain: 'liens', domainTitle: 'Liens', question: 'liens-soutien', label: 'Quelqu’un à qui parler ?' },
      { domain: 'logement', domainTitle: 'Logement', question: 'logement-auto', label: 'Logement ?' },
    ]);
  });
  it('counts an answer given here and not yet confirmed', () => {
    expect(missingRequired(view(), (id) => id === 'logement-auto').map((m) => m.question)).toEqual(['liens-soutien']);
  });
});

describe('withoutSensitive', () => {
  it('drops the health answers, their previous values and history from the page state', () => {
    const v = withoutSensitive(view());
    expect(Object.keys(v.answers)).toEqual(['liens-auto']);
    expect(Object.keys(v.previous)).toEqual(['liens-auto']);
    expect(v.history).toEqual([]);
    expect(Object.keys(v.conflicts)).toEqual(['liens-auto']);
    expect(v.with_sensitive).toBe(false);
    expect(JSON.stringify(v)).not.toContain('"non"');
    expect(JSON.stringify(v)).not.toContain('peut-etre');
  });
});

describe('keepSensitive', () => {
  it('keeps the open health domain’s answers when a view comes back without them', () => {
    const shown = view();
    const next = withoutSensitive(view({ answers: { 'liens-auto': answer('liens-auto', { number: 4 }) } }));
    const v = keepSensitive(next, shown);
    expect(v.answers['liens-auto'].value).toEqual({ number: 4 });
    expect(v.answers['sante-medecin'].value).toEqual({ text: 'non' });
    expect(v.history).toHaveLength(1);
    expect(Object.keys(v.conflicts).sort()).toEqual(['liens-auto', 'sante-medecin']);
    expect(v.with_sensitive).toBe(true);
  });
  it('takes a view with its sensitive answers as it is, and keeps none when none were shown', () => {
    const next = view();
    expect(keepSensitive(next, withoutSensitive(view()))).toBe(next);
    const bare = withoutSensitive(view());
    expect(keepSensitive(bare, withoutSensitive(view()))).toBe(bare);
  });
});

describe('keyboard moves between domains', () => {
  const k = (key: string, mods: Partial<KeyboardEvent> = {}) => ({ key, altKey: false, ctrlKey: false, metaKey: false, shiftKey: false, ...mods });
  it('reads Alt+→/Alt+← and Ctrl+Page↓/Page↑', () => {
    expect(domainMove(k('ArrowRight', { altKey: true }))).toBe('next');
    expect(domainMove(k('ArrowLeft', { altKey: true }))).toBe('previous');
    expect(domainMove(k('PageDown', { ctrlKey: true }))).toBe('next');
    expect(domainMove(k('PageUp', { ctrlKey: true }))).toBe('previous');
  });
  it('leaves plain arrows to radio groups and text fields', () => {
    expect(domainMove(k('ArrowRight'))).toBeNull();
    expect(domainMove(k('PageDown'))).toBeNull();
    expect(domainMove(k('ArrowRight', { altKey: true, shiftKey: true }))).toBeNull();
  });
  it('steps through the domains and stops at both ends', () => {
    const ids = ['liens', 'sante', 'logement'];
    expect(stepDomain(ids, 'liens', 'next')).toBe('sante');
    expect(stepDomain(ids, 'sante', 'previous')).toBe('liens');
    expect(stepDomain(ids, 'logement', 'next')).toBeNull();
    expect(stepDomain(ids, 'liens', 'previous')).toBeNull();
  });
  it('gives a note with the keys 1 to 5, also by key position (AZERTY)', () => {
    expect(scaleKey({ key: '3', code: 'Digit3', altKey: false, ctrlKey: false, metaKey: false })).toBe(3);
    expect(scaleKey({ key: '&', code: 'Digit1', altKey: false, ctrlKey: false, metaKey: false })).toBe(1);
    expect(scaleKey({ key: '6', code: 'Digit6', altKey: false, ctrlKey: false, metaKey: false })).toBeNull();
    expect(scaleKey({ key: '2', code: 'Digit2', altKey: true, ctrlKey: false, metaKey: false })).toBeNull();
  });
});
