import { describe, expect, it } from 'vitest';
import { splitRemote } from './hits';

describe('splitRemote', () => {
  const hits = [{ id: 1, remote: false }, { id: 2, remote: true }, { id: 3, remote: false }];
  it('lists remote-only hits apart in a proximity search', () => {
    const s = splitRemote(hits, true);
    expect(s.local.map((h) => h.id)).toEqual([1, 3]);
    expect(s.remote.map((h) => h.id)).toEqual([2]);
  });
  it('keeps one list otherwise', () => {
    expect(splitRemote(hits, false)).toEqual({ local: hits, remote: [] });
  });
});
