import { describe, expect, it } from 'vitest';

// The rule of the seam: only src/api/ imports the generated bindings and the Wails runtime.
const sources = import.meta.glob(['../**/*.ts', '../**/*.svelte', '!../**/*.test.ts'], { query: '?raw', import: 'default', eager: true }) as Record<
  string,
  string
>;

describe('the Go seam', () => {
  it('is imported from src/api/ only', () => {
    const files = Object.keys(sources);
    expect(files.length).toBeGreaterThan(10);
    const offenders = files.filter((f) => !f.startsWith('./') && !f.startsWith('../api/') && /(from|import)\s*\(?\s*['"][^'"]*wailsjs\//.test(sources[f]));
    expect(offenders).toEqual([]);
  });
  it('is used by src/api/', () => {
    expect(sources['./index.ts']).toMatch(/wailsjs\/go\/app\/Directory/);
  });
});
