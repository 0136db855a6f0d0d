// Answers of the interview grid: what Go stores (AnswerValue: text, choices or number) and what
// each widget holds (a 1–5 note, one option, several options, a number being typed, a text), both
// ways, and how an answer reads in a sentence (« La dernière fois : … », the correction history).
import type { AnswerValue, Question, QuestionType } from '../api';
import { formatNumber } from './format';

/** The question types of a grid (domain.Q*). */
export const Q = {
  single: 'choix-unique',
  multiple: 'choix-multiples',
  yesNo: 'oui-non',
  number: 'nombre',
  shortText: 'texte-court',
  longText: 'texte-long',
  scale: 'echelle',
} as const satisfies Record<string, QuestionType>;

/** Bounds of every self-assessment (domain.ScaleMin/ScaleMax). */
export const SCALE = [1, 2, 3, 4, 5] as const;

/** The empty answer: sending it clears the question's answer. */
export const CLEARED: AnswerValue = {};

/** isEmpty says whether a value is no answer at all (absent, or cleared). */
export function isEmpty(v: AnswerValue | null | undefined): boolean {
  return !v || ((v.text ?? '') === '' && (v.choices ?? []).length === 0 && (v.number === undefined || v.number === null));
}

/** A widget's value: a note or null (scale), a string (one option, a number being typed, a text), or options. */
export type WidgetValue = number | null | string | string[];

/** toWidget turns a stored answer into what the question's widget holds. */
export function toWidget(q: Pick<Question, 'type'>, v: AnswerValue | null | undefined): WidgetValue {
  switch (q.type) {
    case Q.scale:
      return typeof v?.number === 'number' ? v.number : null;
    case Q.multiple:
      return [...(v?.choices ?? [])];
    case Q.number:
      return typeof v?.number === 'number' ? numberText(v.number) : '';
    default:
      return v?.text ?? '';
  }
}

/** The outcome of reading a widget: the value to send, or a French reason it cannot be sent. */
export type FromWidget = { value: AnswerValue; error?: undefined } | { value?: undefined; error: string };

/**
 * fromWidget turns what the widget holds into the value Go receives; an empty widget clears the
 * answer. Choices keep the order of the question's options, so that the same choices always give
 * the same value. Texts go as typed: Go trims them (a field of spaces clears the answer).
 */
export function fromWidget(q: Pick<Question, 'type' | 'options'>, w: WidgetValue): FromWidget {
  switch (q.type) {
    case Q.scale: {
      if (w === null || w === '') return { value: CLEARED };
      const n = Number(w);
      if (!Number.isInteger(n) || n < SCALE[0] || n > SCALE[SCALE.length - 1]) return { error: 'Choisissez une note de 1 à 5.' };
      return { value: { number: n } };
    }
    case Q.multiple: {
      const list = Array.isArray(w) ? w : [];
      if (list.length === 0) return { value: CLEARED };
      const order = (q.options ?? []).map((o) => o.value);
      const sorted = [...new Set(list)].sort((a, b) => rank(order, a) - rank(order, b));
      return { value: { choices: sorted } };
    }
    case Q.number:
      return parseNumber(typeof w === 'string' ? w : w === null ? '' : String(w));
    default: {
      const s = typeof w === 'string' ? w : '';
      return { value: s.trim() === '' ? CLEARED : { text: s } };
    }
  }
}

function rank(order: string[], v: string): number {
  const i = order.indexOf(v);
  return i < 0 ? order.length : i;
}

/** toggleChoice adds or removes one option of a multiple-choice answer. */
export function toggleChoice(list: string[], value: string): string[] {
  return list.includes(value) ? list.filter((v) => v !== value) : [...list, value];
}

/**
 * parseNumber reads a number the way a worker types it: « 3 », « 2,5 », « 2.5 », « 1 200 »
 * (spaces between thousands), a sign. Empty text clears the answer.
 */
export function parseNumber(text: string): FromWidget {
  const s = text.replace(/[\s\u00a0\u202f]/g, '');
  if (s === '') return { value: CLEARED };
  if (!/^[-+]?(\d+([.,]\d*)?|[.,]\d+)$/.test(s)) return { error: 'Écrivez un nombre, en chiffres (par exemple 3 ou 2,5).' };
  const n = Number(s.replace(',', '.'));
  if (!Number.isFinite(n)) return { error: 'Écrivez un nombre, en chiffres (par exemple 3 ou 2,5).' };
  return { value: { number: n } };
}

/** numberText writes a stored number the French way, for the input: 2.5 → « 2,5 », 1200 → « 1200 ». */
export function numberText(n: number): string {
  return String(n).replace('.', ',');
}

/** sameValue says whether two answers say the same thing (cleared equals absent). */
export function sameValue(a: AnswerValue | null | undefined, b: AnswerValue | null | undefined): boolean {
  if (isEmpty(a) || isEmpty(b)) return isEmpty(a) && isEmpty(b);
  return (
    (a!.text ?? '') === (b!.text ?? '') &&
    (a!.number ?? null) === (b!.number ?? null) &&
    (a!.choices ?? []).join('\u0000') === (b!.choices ?? []).join('\u0000')
  );
}

/** optionLabel returns an option's label (« Oui »/« Non » for a yes/no without options). */
export function optionLabel(q: Pick<Question, 'type' | 'options'>, value: string): string {
  const o = (q.options ?? []).find((x) => x.value === value);
  if (o) return o.label;
  if (q.type === Q.yesNo) return value === 'oui' ? 'Oui' : value === 'non' ? 'Non' : value;
  return value;
}

/** yesNoOptions returns the two options of a yes/no question, with the grid's labels when it has them. */
export function yesNoOptions(q: Pick<Question, 'type' | 'options'>): { value: string; label: string }[] {
  return ['oui', 'non'].map((v) => ({ value: v, label: optionLabel(q, v) }));
}

/**
 * answerLabel says an answer in a few words: « Oui », « Un salaire, Le RSA », « 3 sur 5 »,
 * « 2 personnes », « « ses mots » ». "" for no answer.
 */
export function answerLabel(q: Pick<Question, 'type' | 'options' | 'unit'>, v: AnswerValue | null | undefined): string {
  if (isEmpty(v)) return '';
  switch (q.type) {
    case Q.scale:
      return `${v!.number} sur 5`;
    case Q.number: {
      const n = v!.number ?? 0;
      const s = Number.isInteger(n) ? formatNumber(n) : numberText(n);
      return q.unit ? `${s} ${q.unit}` : s;
    }
    case Q.multiple:
      return (v!.choices ?? []).map((c) => optionLabel(q, c)).join(', ');
    case Q.single:
    case Q.yesNo:
      return optionLabel(q, v!.text ?? '');
    default:
      return `« ${(v!.text ?? '').trim()} »`;
  }
}
