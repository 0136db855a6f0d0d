import { describe, expect, it } from 'vitest';
import { emptyProposal, problemField, splitProblems, toProposal } from './proposal';

describe('toProposal', () => {
  it('trims the text and sends the commune as INSEE code when known', () => {
    const p = toProposal({ ...emptyProposal(), nom: '  Atelier vélo ', commune: { text: 'Colombes', code: '92025' }, horaires: ' Sa 10:00-12:00 ' });
    expect(p).toMatchObject({ nom: 'Atelier vélo', commune: '92025', horaires: 'Sa 10:00-12:00', modes_accueil: ['en-presentiel'], publics: [] });
  });
  it('sends typed commune text as it is, for Go to resolve', () => {
    expect(toProposal({ ...emptyProposal(), commune: { text: ' 92190 ', code: '' } }).commune).toBe('92190');
    expect(toProposal(emptyProposal()).commune).toBe('');
  });
});

describe('splitProblems', () => {
  it('lists each problem once, with a capital', () => {
    const msg = 'La proposition ne peut pas être enregistrée : indiquez la commune où l’initiative accueille le public ; nom : « x » compte 1 caractères, il en faut entre 3 et 150 ; nom : « x » compte 1 caractères, il en faut entre 3 et 150 ; description : obligatoire, ne doit pas être vide.';
    expect(splitProblems(msg)).toEqual({
      intro: 'La proposition ne peut pas être enregistrée.',
      problems: [
        'Indiquez la commune où l’initiative accueille le public',
        'Nom : « x » compte 1 caractères, il en faut entre 3 et 150',
        'Description : obligatoire, ne doit pas être vide',
      ],
    });
  });
  it('keeps a message that is not a list as it is', () => {
    expect(splitProblems('Passerelle ne répond pas.')).toEqual({ intro: 'Passerelle ne répond pas.', problems: [] });
    expect(splitProblems('La proposition ne peut pas être enregistrée : horaires : « Lu 9h » illisible.')).toEqual({
      intro: 'La proposition ne peut pas être enregistrée.',
      problems: ['Horaires : « Lu 9h » illisible'],
    });
  });
});

describe('problemField', () => {
  it.each([
    ['Nom : « x » compte 1 caractères', 'p-nom'],
    ['Description : obligatoire', 'p-desc'],
    ['Courriel : « a@ » n’est pas une adresse', 'p-mail'],
    ['Horaires : illisible', 'p-horaires'],
    ['Indiquez la commune où l’initiative accueille le public', 'p-commune'],
    ['« Paris » n’est pas une commune des Hauts-de-Seine.', 'p-commune'],
    ['Catégorie inconnue « x »', 'p-cat-first'],
    ['Autre chose', null],
  ])('%s → %s', (p, want) => {
    expect(problemField(p)).toBe(want);
  });
});
