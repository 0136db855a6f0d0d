import { describe, expect, it } from 'vitest';
import { buildQuery, chips, clearFilters, emptyState, hasFilters, isProximity, labelsFrom, queryKey, removeChip, toggleTheme, type QueryState } from './query';

const labels = labelsFrom({
  categories: [{ code: 'epicerie-solidaire', label: 'Épicerie solidaire', description: '', thematiques: [] }],
  theme_categories: [{ value: 'sante', label: 'Santé' }],
  thematiques: [{ value: 'sante--acces-aux-soins', label: 'Accès aux soins' }],
  publics: [{ value: 'familles', label: 'Familles' }],
});

function state(over: Partial<QueryState> = {}): QueryState {
  return { ...emptyState(5), ...over };
}

describe('buildQuery', () => {
  it('sends an empty query at start, 50 results from the first', () => {
    expect(buildQuery(emptyState(5))).toEqual({
      text: '', themes: [], categories: [], publics: [], free_only: false, mode: '', commune: '', near: '',
      km: 0, eligible_for: '', open_on: 0, can_give: false, limit: 50, offset: 0,
    });
  });

  it('maps every filter to its SearchQuery field', () => {
    const q = buildQuery(
      state({
        text: '  jardin   partagé ',
        categories: ['jardin-partage'],
        themes: ['sante'],
        publics: ['familles'],
        freeOnly: true,
        mode: 'en-presentiel',
        openOn: 6,
        canGive: true,
        near: { text: 'Nanterre', code: '92050' },
        km: 3,
        eligibleFor: { text: 'Colombes', code: '92025' },
        commune: { text: 'suresne', code: '' },
      }),
      { offset: 50, limit: 25 },
    );
    expect(q).toEqual({
      text: 'jardin partagé', themes: ['sante'], categories: ['jardin-partage'], publics: ['familles'], free_only: true,
      mode: 'en-presentiel', commune: 'suresne', near: '92050', km: 3, eligible_for: '92025', open_on: 6,
      can_give: true, limit: 25, offset: 50,
    });
  });

  it('sends the radius only with a commune to be near', () => {
    expect(buildQuery(state({ km: 10 })).km).toBe(0);
    expect(buildQuery(state({ km: 10, near: { text: '92000', code: '' } }))).toMatchObject({ near: '92000', km: 10 });
  });

  it('ignores a blank commune text and an impossible day', () => {
    expect(buildQuery(state({ near: { text: '  ', code: '' }, openOn: 9 }))).toMatchObject({ near: '', km: 0, open_on: 0 });
  });

  it('does not share the state arrays with the query', () => {
    const s = state({ categories: ['a'] });
    buildQuery(s).categories.push('b');
    expect(s.categories).toEqual(['a']);
  });
});

describe('queryKey and isProximity', () => {
  it('is the same for two pages of one query and differs for another query', () => {
    const s = state({ text: 'epicerie' });
    expect(queryKey(s)).toBe(queryKey({ ...s }));
    expect(queryKey(s)).not.toBe(queryKey({ ...s, freeOnly: true }));
  });
  it('knows a proximity search', () => {
    expect(isProximity(state())).toBe(false);
    expect(isProximity(state({ near: { text: 'Nanterre', code: '92050' } }))).toBe(true);
  });
});

describe('chips', () => {
  const s = state({
    categories: ['epicerie-solidaire'],
    themes: ['sante--acces-aux-soins'],
    publics: ['familles'],
    freeOnly: true,
    mode: 'a-distance',
    openOn: 6,
    canGive: true,
    near: { text: 'Nanterre', code: '92050' },
    km: 3,
    eligibleFor: { text: 'Colombes', code: '92025' },
    commune: { text: 'Suresnes', code: '92073' },
  });

  it('labels every active filter in French', () => {
    expect(chips(s, labels).map((c) => c.label)).toEqual([
      'Près de Nanterre (3 km)',
      'Ouvert le samedi',
      'Épicerie solidaire',
      'Gratuit uniquement',
      'À distance',
      'Où l’on peut aussi donner',
      'Accès aux soins',
      'Familles',
      'Habitant de Colombes',
      'Situé à Suresnes',
    ]);
  });

  it('removes exactly the filter of a chip', () => {
    for (const c of chips(s, labels)) {
      const after = removeChip(s, c.key);
      const left = chips(after, labels).map((x) => x.key);
      expect(left).not.toContain(c.key);
      expect(left).toHaveLength(9);
    }
    expect(s.categories).toEqual(['epicerie-solidaire']); // the state itself is untouched
  });

  it('has no chip at start and none for the search text', () => {
    expect(chips(state({ text: 'jardin' }), labels)).toEqual([]);
    expect(hasFilters(state({ text: 'jardin' }))).toBe(false);
    expect(hasFilters(s)).toBe(true);
  });

  it('clears the filters but keeps the text and the radius', () => {
    expect(clearFilters({ ...s, text: 'repas', km: 3 })).toEqual({ ...emptyState(3), text: 'repas' });
  });
});

describe('toggleTheme', () => {
  it('adds and removes a theme', () => {
    expect(toggleTheme([], 'sante')).toEqual(['sante']);
    expect(toggleTheme(['sante'], 'sante')).toEqual([]);
  });
  it('lets a whole category replace its sub-themes', () => {
    expect(toggleTheme(['sante--acces-aux-soins', 'mobilite--x'], 'sante')).toEqual(['mobilite--x', 'sante']);
  });
  it('narrows a chosen category to a sub-theme', () => {
    expect(toggleTheme(['sante'], 'sante--acces-aux-soins')).toEqual(['sante--acces-aux-soins']);
  });
});
