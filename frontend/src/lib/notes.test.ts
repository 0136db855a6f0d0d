import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { NoteSaver, type NoteStatus } from './notes';

describe('NoteSaver', () => {
  let saved: [string, string][];
  let statuses: NoteStatus[];
  let save: (uuid: string, body: string) => Promise<void>;

  beforeEach(() => {
    vi.useFakeTimers();
    saved = [];
    statuses = [];
    save = async (uuid, body) => {
      saved.push([uuid, body]);
    };
  });
  afterEach(() => vi.useRealTimers());

  const saver = () => new NoteSaver((u, b) => save(u, b), (s) => statuses.push(s), 600);

  it('saves once, 600 ms after typing stops', async () => {
    const n = saver();
    n.input('a', 'A');
    vi.advanceTimersByTime(300);
    n.input('a', 'Appeler');
    vi.advanceTimersByTime(599);
    expect(saved).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(saved).toEqual([['a', 'Appeler']]);
    expect(statuses.at(-1)).toEqual({ uuid: 'a', state: 'saved' });
  });

  it('saves at once when the worker moves to another service (nothing lost)', async () => {
    const n = saver();
    n.input('a', 'note de A');
    await n.flush('a'); // switching services
    n.input('b', 'note de B');
    await n.flush('b');
    expect(saved).toEqual([['a', 'note de A'], ['b', 'note de B']]);
    vi.advanceTimersByTime(2000);
    expect(saved).toHaveLength(2); // the timers were dropped
  });

  it('shows the text typed here over a stale stored one', async () => {
    const n = saver();
    expect(n.textFor('a', 'stockée')).toBe('stockée');
    n.input('a', 'tapée', 'stockée');
    expect(n.textFor('a', 'stockée')).toBe('tapée');
    await n.flush('a');
    expect(n.textFor('a', 'stockée')).toBe('tapée'); // a detail read before the save
  });

  it('does not save text equal to the stored note', async () => {
    const n = saver();
    n.input('a', 'pareil', 'pareil');
    await n.flush('a');
    expect(saved).toEqual([]);
    expect(n.dirty()).toBe(false);
  });

  it('saves in order and ends with the latest text when typing goes on during a save', async () => {
    let release!: () => void;
    save = (uuid, body) =>
      new Promise<void>((res) => {
        saved.push([uuid, body]);
        release = res;
      });
    const n = saver();
    n.input('a', 'un');
    const first = n.flush('a');
    await vi.waitFor(() => expect(saved).toEqual([['a', 'un']])); // in flight
    n.input('a', 'un deux');
    const second = n.flush('a');
    await Promise.resolve();
    expect(saved).toHaveLength(1); // the second save waits for the first
    release();
    await first;
    await vi.waitFor(() => expect(saved).toHaveLength(2));
    release();
    await second;
    expect(saved).toEqual([['a', 'un'], ['a', 'un deux']]);
    expect(n.dirty('a')).toBe(false);
  });

  it('reports a failed save and keeps the text dirty', async () => {
    save = async () => {
      throw new Error('La note est trop longue (20 000 caractères au plus).');
    };
    const n = saver();
    n.input('a', 'x'.repeat(10));
    await n.flush('a');
    expect(statuses.at(-1)).toEqual({ uuid: 'a', state: 'error', message: 'La note est trop longue (20 000 caractères au plus).' });
    expect(n.dirty('a')).toBe(true);
    expect(n.textFor('a', '')).toBe('x'.repeat(10));
  });

  it('flushes every waiting note', async () => {
    const n = saver();
    n.input('a', '1');
    n.input('b', '2');
    await n.flushAll();
    expect(saved.sort()).toEqual([['a', '1'], ['b', '2']]);
  });
});
