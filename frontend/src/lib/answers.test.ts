import { describe, expect, it } from 'vitest';
import type { Question } from '../api';
import { answerLabel, fromWidget, isEmpty, numberText, parseNumber, sameValue, toWidget, toggleChoice, yesNoOptions } from './answers';

const q = (type: string, over: Partial<Question> = {}): Question => ({ id: 'q', type, label: 'Q', options: [], ...over }) as Question;
const opts = (...vals: string[]) => vals.map((v) => ({ value: v, label: v.toUpperCase() }));

describe('toWidget and fromWidget', () => {
  it.each([
    ['echelle', { number: 3 }, 3, { number: 3 }],
    ['oui-non', { text: 'non' }, 'non', { text: 'non' }],
    ['choix-unique', { text: 'b' }, 'b', { text: 'b' }],
    ['choix-multiples', { choices: ['a', 'c'] }, ['a', 'c'], { choices: ['a', 'c'] }],
    ['nombre', { number: 2.5 }, '2,5', { number: 2.5 }],
    ['texte-court', { text: 'jardiner' }, 'jardiner', { text: 'jardiner' }],
    ['texte-long', { text: 'avec\nmes mots' }, 'avec\nmes mots', { text: 'avec\nmes mots' }],
  ])('%s: %j ↔ %j', (type, stored, widget, back) => {
    const question = q(type, { options: opts('a', 'b', 'c') });
    expect(toWidget(question, stored)).toEqual(widget);
    expect(fromWidget(question, widget)).toEqual({ value: back });
  });

  it('gives the empty widget of each type for no answer', () => {
    expect(toWidget(q('echelle'), undefined)).toBeNull();
    expect(toWidget(q('choix-multiples'), null)).toEqual([]);
    expect(toWidget(q('nombre'), {})).toBe('');
    expect(toWidget(q('oui-non'), {})).toBe('');
  });

  it('clears the answer when the widget is emptied', () => {
    for (const [type, w] of [['echelle', null], ['choix-multiples', []], ['nombre', '  '], ['texte-court', '   '], ['oui-non', '']] as const) {
      expect(fromWidget(q(type), w as never)).toEqual({ value: {} });
    }
  });

  it('keeps the options’ order and drops duplicates in a multiple choice', () => {
    expect(fromWidget(q('choix-multiples', { options: opts('a', 'b', 'c') }), ['c', 'a', 'c'])).toEqual({ value: { choices: ['a', 'c'] } });
  });

  it('sends a text as typed (Go trims it)', () => {
    expect(fromWidget(q('texte-court'), ' jardiner ')).toEqual({ value: { text: ' jardiner ' } });
  });

  it('refuses a note outside 1–5', () => {
    expect(fromWidget(q('echelle'), 6).error).toMatch(/de 1 à 5/);
    expect(fromWidget(q('echelle'), 2.5).error).toMatch(/de 1 à 5/);
  });
});

describe('parseNumber', () => {
  it.each([
    ['3', 3],
    ['2,5', 2.5],
    ['2.5', 2.5],
    [' 1 200 ', 1200],
    ['1\u202f200', 1200],
    ['-4', -4],
    ['2,', 2],
    [',5', 0.5],
  ])('« %s » → %s', (s, n) => {
    expect(parseNumber(s)).toEqual({ value: { number: n } });
  });
  it('says in French what to type instead of letters', () => {
    expect(parseNumber('deux').error).toBe('Écrivez un nombre, en chiffres (par exemple 3 ou 2,5).');
    expect(parseNumber('2,5,1').error).toBeTruthy();
  });
  it('writes numbers back with a comma', () => {
    expect(numberText(2.5)).toBe('2,5');
    expect(numberText(12)).toBe('12');
  });
});

describe('answers in words', () => {
  const multi = q('choix-multiples', { options: [{ value: 'salaire', label: 'Un salaire' }, { value: 'rsa', label: 'Le RSA' }] });
  it.each([
    [q('echelle'), { number: 4 }, '4 sur 5'],
    [q('oui-non'), { text: 'oui' }, 'Oui'],
    [q('oui-non', { options: [{ value: 'oui', label: 'Oui, souvent' }, { value: 'non', label: 'Non' }] }), { text: 'oui' }, 'Oui, souvent'],
    [multi, { choices: ['salaire', 'rsa'] }, 'Un salaire, Le RSA'],
    [q('nombre', { unit: 'personnes' }), { number: 2 }, '2 personnes'],
    [q('nombre', { unit: 'minutes' }), { number: 1500 }, '1\u202f500 minutes'],
    [q('nombre'), { number: 1.5 }, '1,5'],
    [q('texte-court'), { text: ' jardiner ' }, '« jardiner »'],
    [q('choix-unique'), {}, ''],
  ])('%#: %j → « %s »', (question, v, want) => {
    expect(answerLabel(question, v)).toBe(want);
  });

  it('offers oui then non for a yes/no, with or without options', () => {
    expect(yesNoOptions(q('oui-non'))).toEqual([{ value: 'oui', label: 'Oui' }, { value: 'non', label: 'Non' }]);
  });
});

describe('comparing and toggling', () => {
  it('treats a cleared answer as no answer', () => {
    expect(isEmpty({})).toBe(true);
    expect(isEmpty({ choices: [] })).toBe(true);
    expect(isEmpty({ number: 0 })).toBe(false);
    expect(sameValue({}, undefined)).toBe(true);
    expect(sameValue({ choices: ['a'] }, { choices: ['a'] })).toBe(true);
    expect(sameValue({ choices: ['a'] }, { choices: ['a', 'b'] })).toBe(false);
    expect(sameValue({ number: 2 }, { text: '2' })).toBe(false);
  });
  it('adds and removes a choice', () => {
    expect(toggleChoice(['a'], 'b')).toEqual(['a', 'b']);
    expect(toggleChoice(['a', 'b'], 'a')).toEqual(['b']);
  });
});
