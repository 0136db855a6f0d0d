import { describe, expect, it } from 'vitest';
import { countLabel, dayName, formatDate, formatDistance, formatNumber, freshnessLabel, freshnessTitle, openStateLabel } from './format';

describe('formatDistance', () => {
  it.each([
    [1.2, '1,2 km'],
    [0.4, '0,4 km'],
    [3, '3,0 km'],
    [2.25, '2,3 km'],
    [9.94, '9,9 km'],
    [12.4, '12 km'],
    [0.01, 'moins de 0,1 km'],
  ])('%s km → « %s »', (km, want) => {
    expect(formatDistance(km)).toBe(want);
  });
  it('is empty when unknown', () => {
    expect(formatDistance(null)).toBe('');
    expect(formatDistance(undefined)).toBe('');
    expect(formatDistance(Number.NaN)).toBe('');
  });
});

describe('formatDate', () => {
  it.each([
    ['2026-03-14', '14 mars 2026'],
    ['2025-08-01', '1er août 2025'],
    ['2024-12-31', '31 décembre 2024'],
    ['2026-02-05T10:00:00Z', '5 février 2026'],
  ])('%s → « %s »', (iso, want) => {
    expect(formatDate(iso)).toBe(want);
  });
  it('gives unreadable dates back unchanged', () => {
    expect(formatDate('bientôt')).toBe('bientôt');
    expect(formatDate('2026-13-01')).toBe('2026-13-01');
    expect(formatDate('')).toBe('');
  });
});

describe('counts and numbers', () => {
  it('writes « 23 initiatives », « 1 initiative », « Aucune initiative »', () => {
    expect(countLabel(23)).toBe('23 initiatives');
    expect(countLabel(1)).toBe('1 initiative');
    expect(countLabel(0)).toBe('Aucune initiative');
  });
  it('groups thousands with a narrow no-break space', () => {
    expect(formatNumber(12345)).toBe('12\u202f345');
    expect(countLabel(1500)).toBe('1\u202f500 initiatives');
  });
});

describe('freshness', () => {
  it.each([
    ['a-jour', 'À jour'],
    ['a-verifier', 'À vérifier'],
    ['ancienne', 'Ancienne'],
    ['inconnue', 'Date inconnue'],
    ['autre', 'Date inconnue'],
  ])('%s → « %s »', (level, want) => {
    expect(freshnessLabel(level)).toBe(want);
  });
  it('says how many months ago in the tooltip', () => {
    expect(freshnessTitle({ level: 'a-verifier', months_old: 8 })).toBe('Mise à jour il y a 8 mois');
    expect(freshnessTitle({ level: 'a-jour', months_old: 1 })).toBe('Mise à jour il y a 1 mois');
    expect(freshnessTitle({ level: 'a-jour', months_old: 0 })).toBe('Mise à jour ce mois-ci');
    expect(freshnessTitle({ level: 'inconnue', months_old: 0 })).toBe('Date de mise à jour inconnue');
  });
});

describe('openStateLabel', () => {
  it.each([
    ['ouvert', 6, 'Ouvert samedi'],
    ['ferme', 1, 'Fermé lundi'],
    ['certaines-semaines', 6, 'Certaines semaines'],
    ['inconnu', 3, 'Horaires inconnus'],
    ['', 6, ''],
    ['ouvert', 0, ''],
  ])('%s on day %i → « %s »', (state, day, want) => {
    expect(openStateLabel(state, day)).toBe(want);
  });
  it('names days from 1 (Monday) to 7 (Sunday)', () => {
    expect(dayName(1)).toBe('lundi');
    expect(dayName(7)).toBe('dimanche');
    expect(dayName(8)).toBe('');
  });
});
