import { describe, expect, it } from 'vitest';
import { isEditable, shortcutOf } from './shortcuts';

const key = (k: Partial<KeyboardEvent> & { key: string }) =>
  ({ code: '', ctrlKey: false, metaKey: false, altKey: false, shiftKey: false, target: document.body, ...k }) as KeyboardEvent;

describe('shortcutOf', () => {
  it('goes to the search with / (outside text fields) and Ctrl+K (anywhere)', () => {
    expect(shortcutOf(key({ key: '/' }))).toBe('focus-search');
    const input = document.createElement('input');
    expect(shortcutOf(key({ key: '/', target: input }))).toBeNull();
    expect(shortcutOf(key({ key: 'k', ctrlKey: true, target: input }))).toBe('focus-search');
  });
  it('switches tabs with Alt+1…5, also on AZERTY (by key position)', () => {
    expect(shortcutOf(key({ key: '2', altKey: true }))).toBe('tab-2');
    expect(shortcutOf(key({ key: '&', code: 'Digit1', altKey: true }))).toBe('tab-1');
    expect(shortcutOf(key({ key: '\'', code: 'Digit4', altKey: true }))).toBe('tab-4');
    expect(shortcutOf(key({ key: '(', code: 'Digit5', altKey: true }))).toBe('tab-5');
    expect(shortcutOf(key({ key: '6', code: 'Digit6', altKey: true }))).toBeNull();
  });
  it('opens the settings with Alt+0 or Ctrl+, (even from a text field)', () => {
    expect(shortcutOf(key({ key: 'à', code: 'Digit0', altKey: true }))).toBe('settings');
    expect(shortcutOf(key({ key: '0', code: 'Numpad0', altKey: true }))).toBe('settings');
    expect(shortcutOf(key({ key: ',', code: 'KeyM', ctrlKey: true, target: document.createElement('input') }))).toBe('settings');
    expect(shortcutOf(key({ key: ',' }))).toBeNull();
  });
  it('opens a new usager file with Alt+N, even from a text field', () => {
    expect(shortcutOf(key({ key: 'n', code: 'KeyN', altKey: true, target: document.createElement('input') }))).toBe('new-file');
    expect(shortcutOf(key({ key: 'n', code: 'KeyN' }))).toBeNull();
    expect(shortcutOf(key({ key: 'n', code: 'KeyN', altKey: true, ctrlKey: true }))).toBeNull();
  });
  it('opens the help with ?', () => {
    expect(shortcutOf(key({ key: '?' }))).toBe('help');
    expect(shortcutOf(key({ key: '?', target: document.createElement('textarea') }))).toBeNull();
  });
});

describe('isEditable', () => {
  it('tells text fields from other controls', () => {
    expect(isEditable(document.createElement('textarea'))).toBe(true);
    expect(isEditable(Object.assign(document.createElement('input'), { type: 'search' }))).toBe(true);
    expect(isEditable(Object.assign(document.createElement('input'), { type: 'checkbox' }))).toBe(false);
    expect(isEditable(document.createElement('button'))).toBe(false);
    expect(isEditable(null)).toBe(false);
  });
});
