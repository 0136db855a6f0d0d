import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ReferralItem, ReferralVocabulary } from '../api';

vi.mock('../api', async (importOriginal) => {
  const orig = await importOriginal<typeof import('../api')>();
  return { ...orig, setReferralStatus: vi.fn(), setFollowUp: vi.fn() };
});

import * as api from '../api';
import ReferralActions from './ReferralActions.svelte';

const vocab: ReferralVocabulary = {
  statuses: [],
  reasons: [
    { code: 'horaires', label: 'Horaires' },
    { code: 'autre', label: 'Autre' },
  ],
  transitions: { brouillon: ['remise', 'annulee'], remise: ['realisee', 'non-recours', 'annulee'], realisee: [], 'non-recours': [], annulee: [] },
};

function item(status: string): ReferralItem {
  return {
    uuid: 'r1', created_at: '2026-03-01T10:00:00Z', sheet_uuid: 's', usager_uuid: 'u', interview_uuid: '', service_uuid: 'sv', service_name: 'Jardin partagé',
    service_id: '', need: '', message: '', include_health: false, worker_name: '', edas: '', worker_phone: '', status, follow_up_on: '2026-03-31', history: [], usager_name: 'Mme D.',
  };
}

const buttons = () => screen.queryAllByRole('button').map((b) => b.textContent?.trim());

beforeEach(() => vi.clearAllMocks());
afterEach(cleanup);

describe('ReferralActions', () => {
  it.each([
    ['remise', ['Réalisée', 'Non-recours', 'Reporter', 'Annuler']],
    ['brouillon', ['Annuler']],
    ['non-recours', []],
    ['realisee', []],
  ])('offers from « %s » what Go’s transitions allow', (status, want) => {
    render(ReferralActions, { props: { item: item(status), vocab, today: '2026-03-12' } });
    expect(buttons()).toEqual(want);
  });

  it('asks for the reason of a non-recours before sending it', async () => {
    const onchanged = vi.fn();
    vi.mocked(api.setReferralStatus).mockResolvedValue({ ...item('non-recours') });
    render(ReferralActions, { props: { item: item('remise'), vocab, today: '2026-03-12', onchanged } });
    await fireEvent.click(screen.getByRole('button', { name: 'Non-recours : Jardin partagé' }));
    await fireEvent.click(screen.getByRole('button', { name: 'Enregistrer le non-recours' }));
    expect(screen.getByRole('alert').textContent).toBe('Choisissez le motif du non-recours.');
    expect(api.setReferralStatus).not.toHaveBeenCalled();
    await fireEvent.change(screen.getByLabelText(/Motif/), { target: { value: 'horaires' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Enregistrer le non-recours' }));
    await waitFor(() => expect(onchanged).toHaveBeenCalled());
    expect(api.setReferralStatus).toHaveBeenCalledWith('r1', 'non-recours', 'horaires', '');
  });

  it('shows Go’s refusal in French', async () => {
    vi.mocked(api.setReferralStatus).mockRejectedValue(
      new api.ApiError('conflict', 'Une orientation au statut « Réalisée » ne peut pas passer au statut « Réalisée ».'),
    );
    render(ReferralActions, { props: { item: item('remise'), vocab, today: '2026-03-12' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Réalisée : Jardin partagé' }));
    await waitFor(() => expect(screen.getByRole('alert').textContent).toContain('ne peut pas passer au statut'));
  });

  it('moves the follow-up to a day that is not past', async () => {
    const onchanged = vi.fn();
    vi.mocked(api.setFollowUp).mockResolvedValue();
    render(ReferralActions, { props: { item: item('remise'), vocab, today: '2026-03-12', onchanged } });
    await fireEvent.click(screen.getByRole('button', { name: 'Reporter : Jardin partagé' }));
    const date = screen.getByLabelText('Nouvelle date de suivi') as HTMLInputElement;
    expect(date.value).toBe('2026-03-31');
    await fireEvent.input(date, { target: { value: '2026-03-01' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Reporter' })); // the form's, not « Reporter : … »
    expect(screen.getByRole('alert').textContent).toBe('La nouvelle date de suivi ne peut pas être passée.');
    await fireEvent.input(date, { target: { value: '2026-03-12' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Reporter' }));
    await waitFor(() => expect(onchanged).toHaveBeenCalledWith(expect.objectContaining({ follow_up_on: '2026-03-12' }), 'reporter'));
    expect(api.setFollowUp).toHaveBeenCalledWith('r1', '2026-03-12');
  });
});
