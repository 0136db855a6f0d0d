import { describe, expect, it } from 'vitest';
import type { Usager } from '../api';
import { communeLabel, emptyUsagerForm, formOf, isoDay, nextContactLabel, toUsagerInput, usagerField } from './usagers';

const communes = [{ code_insee: '92050', nom: 'Nanterre' }, { code_insee: '92025', nom: 'Colombes' }];

describe('communeLabel', () => {
  it('names the commune, or « Hors département »', () => {
    expect(communeLabel('92050', communes)).toBe('Nanterre');
    expect(communeLabel('autre', communes)).toBe('Hors département');
    expect(communeLabel('', communes)).toBe('');
    expect(communeLabel('75056', communes)).toBe('75056');
  });
});

describe('nextContactLabel', () => {
  const today = '2026-03-10';
  it.each([
    ['2026-03-12', 'à revoir le 12 mars', false],
    ['2026-03-01', 'à revoir le 1er mars', true],
    ['2027-01-05', 'à revoir le 5 janvier 2027', false],
    ['2025-12-20', 'à revoir le 20 décembre 2025', true],
  ])('%s → « %s » (late: %s)', (date, label, overdue) => {
    expect(nextContactLabel(date, today)).toEqual({ label, overdue, today: false });
  });
  it('says today, and nothing when no follow-up is planned', () => {
    expect(nextContactLabel(today, today)).toEqual({ label: 'à revoir aujourd’hui', overdue: false, today: true });
    expect(nextContactLabel('', today)).toBeNull();
  });
  it('reads the local day', () => {
    expect(isoDay(new Date(2026, 2, 9, 23, 59))).toBe('2026-03-09');
  });
});

describe('toUsagerInput', () => {
  it('sends the commune’s INSEE code, « autre » outside the département, and the year as a number', () => {
    const f = { ...emptyUsagerForm(), displayName: '  A. D. ', birthYear: ' 1975 ', commune: { text: 'Nanterre', code: '92050' }, consent: true };
    expect(toUsagerInput(f).input).toEqual({ display_name: 'A. D.', birth_year: 1975, commune: '92050', household: '', contact: '', notes: '', consent: true });
    expect(toUsagerInput({ ...f, outside: true }).input?.commune).toBe('autre');
    expect(toUsagerInput({ ...f, commune: { text: ' 92190 ', code: '' } }).input?.commune).toBe('92190');
    expect(toUsagerInput({ ...f, birthYear: '' }).input?.birth_year).toBeNull();
  });
  it('refuses a year that is not four digits (it cannot go to Go as a number)', () => {
    expect(toUsagerInput({ ...emptyUsagerForm(), birthYear: 'soixante' }).problem).toMatch(/quatre chiffres/);
  });
  it('fills the edit form back from a file', () => {
    const u = { display_name: 'M. K.', birth_year: 1980, commune: 'autre', household: 'seul', contact: '06', notes: 'n', consent_given: true } as Usager;
    expect(formOf(u, communes)).toMatchObject({ displayName: 'M. K.', birthYear: '1980', commune: null, outside: true, household: 'seul' });
    expect(formOf({ ...u, commune: '92025' }, communes).commune).toEqual({ text: 'Colombes', code: '92025' });
  });
});

describe('usagerField', () => {
  it.each([
    ['Indiquez un nom d’usage (des initiales ou un pseudonyme suffisent)', 'u-name'],
    ['L’année de naissance 1850 n’est pas plausible', 'u-year'],
    ['Indiquez la commune de résidence (ou « autre »)', 'u-commune'],
    ['« Paris » n’est pas une commune des Hauts-de-Seine', 'u-commune'],
    ['Situation du foyer inconnue « x »', 'u-household'],
    ['Le contact est trop long (200 caractères au plus)', 'u-contact'],
    ['Lisez-lui le texte de consentement et cochez son accord', 'u-consent'],
  ])('%s → %s', (p, id) => {
    expect(usagerField(p)).toBe(id);
  });
});
