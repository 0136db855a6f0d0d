import { describe, expect, it } from 'vitest';
import type { Commune } from '../api';
import { fold, matchCommunes, resolveLocal } from './communes';

const c = (nom: string, code_insee: string, codes_postaux: string[]): Commune => ({
  nom, code_insee, codes_postaux, population: 0, ept_code: '', ept: '', lat: 0, lon: 0,
});
const COMMUNES = [
  c('Boulogne-Billancourt', '92012', ['75016', '92100']),
  c('Châtenay-Malabry', '92019', ['92290']),
  c('Clamart', '92023', ['92140', '92190']),
  c('La Garenne-Colombes', '92035', ['92250']),
  c('Colombes', '92025', ['92700']),
  c('Meudon', '92048', ['92190', '92360']),
  c('Nanterre', '92050', ['92000']),
  c('Saint-Cloud', '92064', ['92210']),
  c('Sèvres', '92072', ['92310']),
  c('Ville-d\'Avray', '92077', ['92410']),
];

describe('fold', () => {
  it.each([
    ['Châtenay-Malabry', 'chatenay malabry'],
    ['  SÈVRES ', 'sevres'],
    ['Ville-d’Avray', 'ville d avray'],
    ['St-Cloud', 'saint cloud'],
    ['Cœur', 'coeur'],
  ])('%s → %s', (s, want) => {
    expect(fold(s)).toBe(want);
  });
});

describe('matchCommunes', () => {
  const names = (q: string) => matchCommunes(q, COMMUNES).map((x) => x.nom);
  it('finds names without accents or hyphens', () => {
    expect(names('chatenay')).toEqual(['Châtenay-Malabry']);
    expect(names('sevres')).toEqual(['Sèvres']);
    expect(names('st cloud')).toEqual(['Saint-Cloud']);
    expect(names('ville d avray')).toEqual(['Ville-d\'Avray']);
  });
  it('puts names starting with the text before those containing it', () => {
    expect(names('colombes')).toEqual(['Colombes', 'La Garenne-Colombes']);
  });
  it('finds postcodes and INSEE codes', () => {
    expect(names('92190')).toEqual(['Clamart', 'Meudon']);
    expect(names('92050')).toEqual(['Nanterre']);
    expect(names('921')).toEqual(['Boulogne-Billancourt', 'Clamart', 'Meudon']);
  });
  it('lists communes when nothing is typed, and none for nonsense', () => {
    expect(matchCommunes('', COMMUNES, 3)).toHaveLength(3);
    expect(names('zzz')).toEqual([]);
  });
});

describe('resolveLocal', () => {
  const code = (s: string) => resolveLocal(s, COMMUNES)?.code_insee ?? null;
  it('settles full names in any spelling, INSEE codes and unique postcodes', () => {
    expect(code('nanterre')).toBe('92050');
    expect(code('CHATENAY-MALABRY')).toBe('92019');
    expect(code('92012')).toBe('92012');
    expect(code('92000')).toBe('92050');
    expect(code('92100')).toBe('92012');
  });
  it('leaves to Go what is ambiguous, partial or outside the département', () => {
    expect(code('92190')).toBeNull(); // Clamart and Meudon
    expect(code('75016')).toBeNull(); // Paris too
    expect(code('nanter')).toBeNull();
    expect(code('Paris')).toBeNull();
    expect(code('')).toBeNull();
  });
});
