import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Hit, Reference, SearchQuery, SearchResult } from '../api';

vi.mock('../api', async (importOriginal) => {
  const orig = await importOriginal<typeof import('../api')>();
  return { ...orig, search: vi.fn(), detail: vi.fn(), setNote: vi.fn() };
});
vi.mock('../api/events', () => ({ EVENTS: { directoryChanged: 'directory:changed', directoryReady: 'directory:ready' }, on: () => () => {} }));

import * as api from '../api';
import Directory from './Directory.svelte';

const reference: Reference = {
  communes: [], categories: [], theme_categories: [], thematiques: [], publics: [], frais: [], modes_accueil: [], near_km_default: 5,
};

function hit(nom: string): Hit {
  return {
    service_uuid: `u-${nom}`, id: nom, structure_uuid: '', structure_id: '', source: 'cd92', nom, structure_nom: '', commune: 'Nanterre',
    code_insee: '92050', remote: false, thematiques: [], frais: 'gratuit', modes_accueil: ['en-presentiel'], categorie: '',
    peut_donner: false, freshness: { level: 'a-jour', score: 1, months_old: 2 }, open_state: '', origin: '', score: 1, why: [`« ${nom} »`], week: [],
  };
}

function result(...names: string[]): SearchResult {
  return {
    total: names.length, remote: 0, hits: names.map(hit),
    facets: { categories: {}, themes: {}, publics: {}, frais: {}, modes: {}, communes: {}, open_days: {}, can_give: 0 },
  };
}

function setup(services = 3) {
  const onready = vi.fn();
  render(Directory, { props: { reference, status: { loaded: true, services, demo_services: 0, demo_loaded: false, error: '' }, onready, ongoimport: () => {} } });
  return { onready, box: screen.getByRole('searchbox') as HTMLInputElement };
}

const texts = () => vi.mocked(api.search).mock.calls.map(([q]) => (q as SearchQuery).text);
const rows = () => [...document.querySelectorAll('#results-list [role="option"]')];
const names = () => rows().map((o) => o.querySelector('.hit-name')?.textContent);

beforeEach(() => {
  vi.mocked(api.search).mockReset();
  vi.mocked(api.detail).mockReset();
  vi.mocked(api.detail).mockImplementation(() => new Promise(() => {}));
});
afterEach(cleanup);

describe('Directory', () => {
  it('searches at start, then once after typing pauses, and signals Ready once', async () => {
    vi.mocked(api.search).mockImplementation(async (q) => (q.text ? result('Épicerie A') : result('A', 'B', 'C')));
    const { onready, box } = setup();
    await waitFor(() => expect(names()).toEqual(['A', 'B', 'C']));
    await waitFor(() => expect(onready).toHaveBeenCalledWith(3));
    for (const t of ['e', 'ep', 'epi', 'epicerie']) await fireEvent.input(box, { target: { value: t } });
    await waitFor(() => expect(names()).toEqual(['Épicerie A']));
    expect(texts()).toEqual(['', 'epicerie']);
    expect(screen.getByText('1 initiative')).toBeTruthy();
    expect(onready).toHaveBeenCalledTimes(1);
  });

  it('ignores a slow answer to an older query', async () => {
    const pending: ((r: SearchResult) => void)[] = [];
    vi.mocked(api.search).mockImplementation((q) =>
      q.text === 'jar' ? new Promise((res) => pending.push(res)) : Promise.resolve(q.text ? result('Jardin du Parc') : result('A')),
    );
    const { box } = setup();
    await waitFor(() => expect(names()).toEqual(['A']));
    await fireEvent.input(box, { target: { value: 'jar' } });
    await waitFor(() => expect(texts()).toContain('jar'));
    await fireEvent.input(box, { target: { value: 'jardin' } });
    await waitFor(() => expect(names()).toEqual(['Jardin du Parc']));
    pending[0](result('Réponse périmée'));
    await new Promise((r) => setTimeout(r, 50));
    expect(names()).toEqual(['Jardin du Parc']);
  });

  it('moves with ↓ ↓ from the search box and opens the second result with Entrée', async () => {
    vi.mocked(api.search).mockResolvedValue(result('Premier', 'Deuxième', 'Troisième'));
    const { box } = setup();
    await waitFor(() => expect(names()).toHaveLength(3));
    await fireEvent.keyDown(box, { key: 'ArrowDown' });
    await fireEvent.keyDown(box, { key: 'ArrowDown' });
    const selected = rows().filter((o) => o.getAttribute('aria-selected') === 'true');
    expect(selected.map((o) => o.querySelector('.hit-name')?.textContent)).toEqual(['Deuxième']);
    expect(box.getAttribute('aria-activedescendant')).toBe('hit-u-Deuxième');
    expect(selected[0].textContent).toContain('« Deuxième »'); // the why of the selected row
    await fireEvent.keyDown(box, { key: 'Enter' });
    await waitFor(() => expect(api.detail).toHaveBeenLastCalledWith('u-Deuxième'));
  });

  it('shows Go’s French error instead of results', async () => {
    vi.mocked(api.search).mockImplementation(async (q) => {
      if (q.text === 'x') throw new api.ApiError('invalid', 'Recherche invalide.');
      return result('A');
    });
    const { box } = setup();
    await waitFor(() => expect(names()).toEqual(['A']));
    await fireEvent.input(box, { target: { value: 'x' } });
    await waitFor(() => expect(screen.getByRole('alert').textContent).toContain('Recherche invalide.'));
    expect(names()).toEqual([]);
  });

  it('invites to import when the directory itself is empty, and says so plainly for a search', async () => {
    vi.mocked(api.search).mockResolvedValue(result());
    const { box } = setup(0);
    await waitFor(() => expect(screen.getByRole('heading', { name: 'L’annuaire est vide' })).toBeTruthy());
    expect(screen.getByRole('button', { name: 'Importer un fichier' })).toBeTruthy();
    await fireEvent.input(box, { target: { value: 'zzz' } });
    await waitFor(() => expect(screen.getByRole('heading', { name: 'Aucune initiative ne correspond' })).toBeTruthy());
  });
});
