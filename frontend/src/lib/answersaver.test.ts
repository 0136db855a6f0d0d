import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AnswerValue } from '../api';
import { AnswerSaver, type QuestionSave } from './answersaver';

type View = { answered: string[] };

describe('AnswerSaver', () => {
  let sent: [string, AnswerValue, number | null][];
  let views: [View, string][];
  let states: Record<string, QuestionSave[]>;
  let save: (id: string, v: AnswerValue, r: number | null) => Promise<View>;

  beforeEach(() => {
    vi.useFakeTimers();
    sent = [];
    views = [];
    states = {};
    save = async (id, v, r) => {
      sent.push([id, v, r]);
      return { answered: sent.map((s) => s[0]) };
    };
  });
  afterEach(() => vi.useRealTimers());

  const saver = () =>
    new AnswerSaver<View>(
      {
        save: (id, v, r) => save(id, v, r),
        saved: (view, id) => views.push([view, id]),
        changed: (id, s) => (states[id] ??= []).push(s),
      },
      500,
    );
  const last = (id: string) => states[id]?.at(-1);

  it('saves a click at once, with the worker’s rating beside the note', async () => {
    const s = saver();
    await s.give('liens-auto', { number: 2 }, 4);
    expect(sent).toEqual([['liens-auto', { number: 2 }, 4]]);
    expect(views).toHaveLength(1);
    expect(last('liens-auto')).toEqual({ state: 'saved', message: undefined, given: undefined });
  });

  it('saves a text once, 500 ms after typing stops, and shows it meanwhile', async () => {
    const s = saver();
    s.type('envie', { text: 'jar' });
    vi.advanceTimersByTime(300);
    s.type('envie', { text: 'jardiner' });
    expect(s.givenFor('envie')?.value).toEqual({ text: 'jardiner' });
    expect(last('envie')?.state).toBe('pending');
    vi.advanceTimersByTime(499);
    expect(sent).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(sent).toEqual([['envie', { text: 'jardiner' }, null]]);
    expect(s.givenFor('envie')).toBeUndefined();
    expect(last('envie')?.state).toBe('saved');
  });

  it('flushes waiting texts before the worker leaves a domain: nothing typed is lost', async () => {
    const s = saver();
    s.type('a', { text: 'un' });
    s.type('b', { text: 'deux' });
    expect(s.waiting()).toBe(true);
    await s.flushAll();
    expect(sent.map((x) => x[0]).sort()).toEqual(['a', 'b']);
    expect(s.waiting()).toBe(false);
    vi.advanceTimersByTime(2000);
    expect(sent).toHaveLength(2); // the timers were dropped
  });

  it('flushes one question on blur', async () => {
    const s = saver();
    s.type('a', { text: 'un' });
    s.type('b', { text: 'deux' });
    await s.flush('a');
    expect(sent).toEqual([['a', { text: 'un' }, null]]);
    expect(s.waiting(['b'])).toBe(true);
  });

  it('saves in the order given, one at a time, so views arrive in order', async () => {
    const release: (() => void)[] = [];
    save = (id, v, r) =>
      new Promise<View>((res) => {
        sent.push([id, v, r]);
        release.push(() => res({ answered: sent.map((x) => x[0]) }));
      });
    const s = saver();
    const first = s.give('oui-non', { text: 'oui' });
    const second = s.give('echelle', { number: 3 });
    await vi.waitFor(() => expect(sent).toHaveLength(1)); // the second waits for the first
    release[0]();
    await first;
    await vi.waitFor(() => expect(sent).toHaveLength(2));
    release[1]();
    await second;
    expect(views.map(([, id]) => id)).toEqual(['oui-non', 'echelle']);
  });

  it('sends only the newest value when a question changes while a save is queued', async () => {
    let release!: () => void;
    save = (id, v, r) =>
      new Promise<View>((res) => {
        sent.push([id, v, r]);
        release = () => res({ answered: [] });
      });
    const s = saver();
    void s.give('a', { text: 'x' });
    await vi.waitFor(() => expect(sent).toHaveLength(1));
    void s.give('b', { text: 'oui' });
    const p = s.give('b', { text: 'non' });
    release();
    await vi.waitFor(() => expect(sent).toHaveLength(2));
    release();
    await p;
    expect(sent.map(([id, v]) => `${id}=${v.text}`)).toEqual(['a=x', 'b=non']);
  });

  it('keeps showing the value given while a newer one is typed during its save', async () => {
    let release!: () => void;
    save = (id, v, r) =>
      new Promise<View>((res) => {
        sent.push([id, v, r]);
        release = () => res({ answered: [] });
      });
    const s = saver();
    s.type('t', { text: 'un' });
    const p = s.flush('t');
    await vi.waitFor(() => expect(sent).toHaveLength(1));
    s.type('t', { text: 'un deux' });
    release();
    await p;
    expect(s.givenFor('t')?.value).toEqual({ text: 'un deux' });
    expect(last('t')?.state).toBe('pending');
    const q = s.flush('t');
    await vi.waitFor(() => expect(sent).toHaveLength(2));
    release();
    await q;
    expect(sent.map(([, v]) => v.text)).toEqual(['un', 'un deux']);
    expect(s.givenFor('t')).toBeUndefined();
  });

  it('reports Go’s refusal and keeps the value for the worker to correct', async () => {
    save = async () => {
      throw new Error('Réponse refusée à la question « Combien ? » : le nombre doit être au plus 20 (reçu : 99).');
    };
    const s = saver();
    await s.give('n', { number: 99 });
    expect(last('n')).toMatchObject({ state: 'error', message: expect.stringContaining('au plus 20') });
    expect(s.givenFor('n')?.value).toEqual({ number: 99 });
    // The queue goes on after a refusal.
    save = async (id, v, r) => {
      sent.push([id, v, r]);
      return { answered: [] };
    };
    await s.give('n', { number: 2 });
    expect(sent).toEqual([['n', { number: 2 }, null]]);
    expect(last('n')?.state).toBe('saved');
  });

  it('forgets the answers of a domain the worker left', async () => {
    const s = saver();
    s.type('sante-x', { text: 'privé' });
    await s.flushAll();
    s.type('sante-x', { text: 'privé encore' });
    s.forget(['sante-x']);
    expect(s.givenFor('sante-x')).toBeUndefined();
    await vi.advanceTimersByTimeAsync(1000);
    expect(sent).toEqual([['sante-x', { text: 'privé' }, null]]);
  });
});
