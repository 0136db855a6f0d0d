import { describe, expect, it } from 'vitest';
import { navigate } from './listnav';

describe('navigate', () => {
  it.each([
    // key, from, count, want
    ['ArrowDown', -1, 5, 0],
    ['ArrowDown', 0, 5, 1],
    ['ArrowDown', 4, 5, 4], // stays on the last
    ['ArrowUp', -1, 5, 0],
    ['ArrowUp', 3, 5, 2],
    ['ArrowUp', 0, 5, 0], // stays on the first
    ['Home', 3, 5, 0],
    ['End', 0, 5, 4],
    ['End', -1, 5, 4],
    ['PageDown', -1, 30, 10],
    ['PageDown', 5, 30, 15],
    ['PageDown', 25, 30, 29],
    ['PageUp', 15, 30, 5],
    ['PageUp', 5, 30, 0],
    ['ArrowDown', 9, 5, 4], // a selection past a shortened list comes back in it
  ])('%s from %i in %i → %i', (key, from, count, want) => {
    expect(navigate(key, from, count)).toBe(want);
  });

  it('moves twice down to the second item (the keyboard path of the e2e test)', () => {
    expect(navigate('ArrowDown', navigate('ArrowDown', -1, 10)!, 10)).toBe(1);
  });

  it('does nothing for other keys or an empty list', () => {
    expect(navigate('Enter', 0, 5)).toBeNull();
    expect(navigate('a', 0, 5)).toBeNull();
    expect(navigate('ArrowDown', -1, 0)).toBeNull();
  });

  it('honours the page size', () => {
    expect(navigate('PageDown', 0, 100, 20)).toBe(20);
  });
});
