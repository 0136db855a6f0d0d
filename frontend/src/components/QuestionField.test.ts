import { cleanup, fireEvent, render, screen } from '@testing-library/svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Question } from '../api';
import QuestionField from './QuestionField.svelte';

const scale: Question = {
  id: 'liens-auto', type: 'echelle', label: 'Pour vos liens, où en êtes-vous ?', required: true, options: [],
  scale: { min_label: 'Très isolé(e)', max_label: 'Bien entouré(e)', worker_rating: true },
} as Question;
const choice: Question = {
  id: 'logement-situation', type: 'choix-unique', label: 'Votre logement ?', options: [
    { value: 'locataire', label: 'Locataire' },
    { value: 'heberge', label: 'Hébergé(e) chez quelqu’un' },
  ],
} as Question;
const text: Question = { id: 'attentes-texte', type: 'texte-court', label: 'Qu’attendez-vous ?', options: [] } as Question;
const number: Question = { id: 'logement-foyer', type: 'nombre', label: 'Combien de personnes ?', options: [], unit: 'personnes', min: 0, max: 20 } as Question;

function setup(question: Question, props: Record<string, unknown> = {}) {
  const h = { ongive: vi.fn(), ontype: vi.fn(), onflush: vi.fn(), oncancel: vi.fn() };
  render(QuestionField, {
    props: { question, name: `i-${question.id}`, stored: undefined, save: undefined, previous: undefined, previousAt: null, history: [], completed: false, ...h, ...props },
  });
  return h;
}

afterEach(cleanup);

describe('QuestionField', () => {
  it('gives a note with the keys 1 to 5 on a focused scale, and keeps the worker’s rating beside it', async () => {
    const h = setup(scale, { stored: { question_id: 'liens-auto', value: { number: 2 }, worker_rating: 3 } });
    const radios = screen.getAllByRole('radio', { name: /^2/ });
    await fireEvent.keyDown(radios[0], { key: '4', code: 'Digit4' });
    expect(h.ongive).toHaveBeenLastCalledWith({ number: 4 }, 3);
    await fireEvent.keyDown(radios[0], { key: '&', code: 'Digit1' }); // AZERTY, without Shift
    expect(h.ongive).toHaveBeenLastCalledWith({ number: 1 }, 3);
    expect(screen.getByRole('radio', { name: '1 : Très isolé(e)' })).toBeTruthy();
  });

  it('clears the worker’s rating with the person’s answer, and offers no rating before it', async () => {
    const h = setup(scale, { stored: { question_id: 'liens-auto', value: { number: 2 }, worker_rating: 3 } });
    await fireEvent.click(screen.getByRole('button', { name: /^Effacer la réponse/ }));
    expect(h.ongive).toHaveBeenLastCalledWith({}, null);
    cleanup();
    setup(scale);
    const rating = screen.getByRole('group', { name: /Votre appréciation/ });
    expect([...rating.querySelectorAll('input')].every((i) => i.disabled)).toBe(true);
    expect(rating.textContent).toContain('Après la réponse de la personne.');
  });

  it('sends a number typed with a comma, and not letters (said in French)', async () => {
    const h = setup(number);
    const input = screen.getByRole('textbox', { name: 'Combien de personnes ?' });
    await fireEvent.input(input, { target: { value: '2,5' } });
    expect(h.ontype).toHaveBeenLastCalledWith({ number: 2.5 }, null);
    await fireEvent.input(input, { target: { value: 'deux' } });
    expect(h.ontype).toHaveBeenCalledTimes(1);
    expect(h.oncancel).toHaveBeenCalledTimes(1);
    expect(screen.getByText('Écrivez un nombre, en chiffres (par exemple 3 ou 2,5).')).toBeTruthy();
    await fireEvent.blur(input);
    expect(h.onflush).toHaveBeenCalled();
  });

  it('shows the last interview’s answer, the save state, and a correction after completion', async () => {
    setup(scale, {
      stored: { question_id: 'liens-auto', value: { number: 4 }, worker_rating: null },
      previous: { question_id: 'liens-auto', value: { number: 2 }, worker_rating: null },
      previousAt: '2025-03-12T10:00:00Z',
      completed: true,
      save: { state: 'saved' },
      history: [{ question_id: 'liens-auto', value: { number: 3 }, worker_rating: null, answered_at: '2026-01-05T10:00:00Z', replaced_at: '2026-01-06T10:00:00Z' }],
    });
    expect(screen.getByText('La dernière fois (12 mars 2025) : 2 sur 5')).toBeTruthy();
    expect(screen.getByText('4 sur 5')).toBeTruthy(); // read-only
    expect(screen.getByText(/Avant correction : 3 sur 5 \(remplacée le 6 janvier 2026\)/)).toBeTruthy();
    expect(screen.getByRole('status').textContent).toContain('Correction enregistrée');
    await fireEvent.click(screen.getByRole('button', { name: /^Corriger/ }));
    expect(screen.getAllByRole('radio').length).toBe(10);
  });

  describe('an answer given differently on another desk', () => {
    const other = (value: object, worker_rating: number | null = null) => ({ question_id: 'x', value, worker_rating, device: 'd2', answered_at: '2026-03-12T09:00:00Z' });

    it('says so in words, with both answers as the question writes them, and keeps this one', async () => {
      const h = setup(choice, {
        stored: { question_id: choice.id, value: { text: 'locataire' }, worker_rating: null },
        conflicts: [other({ text: 'heberge' })],
      });
      const box = screen.getByRole('group', { name: /Réponse différente saisie sur un autre poste : Hébergé\(e\) chez quelqu’un/ });
      expect(box.textContent).toContain('Réponse de ce poste : Locataire');
      expect(box.textContent).toContain('Autre poste : Hébergé(e) chez quelqu’un');
      await fireEvent.click(screen.getByRole('button', { name: 'Garder cette réponse' }));
      expect(h.ongive).toHaveBeenLastCalledWith({ text: 'locataire' }, null);
    });

    it('takes the other answer, with the colleague’s rating beside a scale', async () => {
      const h = setup(scale, {
        stored: { question_id: scale.id, value: { number: 2 }, worker_rating: 3 },
        conflicts: [other({ number: 4 }, 5)],
      });
      expect(screen.getByRole('group', { name: /autre poste : 4 sur 5 \(appréciation : 5 sur 5\)/ })).toBeTruthy();
      await fireEvent.click(screen.getByRole('button', { name: 'Prendre l’autre réponse' }));
      expect(h.ongive).toHaveBeenLastCalledWith({ number: 4 }, 5);
    });

    it('puts the other text in the field when it is taken', async () => {
      const h = setup(text, { stored: { question_id: text.id, value: { text: 'Un travail' }, worker_rating: null }, conflicts: [other({ text: 'Une formation' })] });
      await fireEvent.click(screen.getByRole('button', { name: 'Prendre l’autre réponse' }));
      expect(h.ongive).toHaveBeenLastCalledWith({ text: 'Une formation' }, null);
      expect((screen.getByRole('textbox', { name: 'Qu’attendez-vous ?' }) as HTMLInputElement).value).toBe('Une formation');
    });

    it('offers one button per other answer when there are several', () => {
      setup(choice, { stored: undefined, conflicts: [other({ text: 'heberge' }), other({ text: 'locataire' })] });
      expect(screen.getByText(/Réponse de ce poste :/).textContent).toContain('sans réponse');
      expect(screen.getByRole('button', { name: 'Prendre l’autre réponse (Locataire)' })).toBeTruthy();
      expect(screen.getByRole('button', { name: 'Prendre l’autre réponse (Hébergé(e) chez quelqu’un)' })).toBeTruthy();
    });

    it('shows nothing of the kind without a conflict', () => {
      setup(choice, { stored: { question_id: choice.id, value: { text: 'locataire' }, worker_rating: null } });
      expect(screen.queryByText(/autre poste/)).toBeNull();
    });
  });
});
