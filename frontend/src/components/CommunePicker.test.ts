import { cleanup, fireEvent, render, screen } from '@testing-library/svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Commune } from '../api';
import CommunePicker from './CommunePicker.svelte';

const c = (nom: string, code_insee: string, codes_postaux: string[]): Commune => ({
  nom, code_insee, codes_postaux, population: 0, ept_code: '', ept: '', lat: 0, lon: 0,
});
const communes = [c('Châtenay-Malabry', '92019', ['92290']), c('Clamart', '92023', ['92140', '92190']), c('Nanterre', '92050', ['92000'])];

function setup(props: Record<string, unknown> = {}) {
  const onchange = vi.fn();
  render(CommunePicker, { props: { id: 'p', label: 'Près de', communes, onchange, ...props } });
  return { onchange, input: screen.getByRole('combobox', { name: 'Près de' }) as HTMLInputElement };
}

afterEach(cleanup);

describe('CommunePicker', () => {
  it('suggests communes typed without accents and picks one with the keyboard', async () => {
    const { onchange, input } = setup();
    await fireEvent.input(input, { target: { value: 'chatenay' } });
    const options = screen.getAllByRole('option');
    expect(options.map((o) => o.textContent?.replace(/\s+/g, ' ').trim())).toEqual(['Châtenay-Malabry 92290']);
    await fireEvent.keyDown(input, { key: 'ArrowDown' });
    expect(input.getAttribute('aria-activedescendant')).toBe('p-opt-0');
    await fireEvent.keyDown(input, { key: 'Enter' });
    expect(onchange).toHaveBeenCalledWith({ text: 'Châtenay-Malabry', code: '92019' });
  });

  it('settles a unique postcode itself and sends other text to Go as typed', async () => {
    const { onchange, input } = setup();
    await fireEvent.input(input, { target: { value: '92000' } });
    await fireEvent.keyDown(input, { key: 'Enter' });
    expect(onchange).toHaveBeenLastCalledWith({ text: 'Nanterre', code: '92050' });
    await fireEvent.input(input, { target: { value: 'Paris' } });
    await fireEvent.blur(input);
    expect(onchange).toHaveBeenLastCalledWith({ text: 'Paris', code: '' });
  });

  it('shows Go’s message, tied to the field', () => {
    const { input } = setup({ error: '« Paris » n’est pas une commune des Hauts-de-Seine.' });
    expect(input.getAttribute('aria-invalid')).toBe('true');
    expect(input.getAttribute('aria-describedby')).toBe('p-err');
    expect(document.getElementById('p-err')?.textContent).toBe('« Paris » n’est pas une commune des Hauts-de-Seine.');
  });

  it('clears with Échap', async () => {
    const { onchange, input } = setup({ value: { text: 'Nanterre', code: '92050' } });
    expect(input.value).toBe('Nanterre');
    await fireEvent.keyDown(input, { key: 'Escape' });
    expect(onchange).toHaveBeenCalledWith(null);
  });
});
