import { cleanup, render, screen, waitFor } from '@testing-library/svelte';
import { afterEach, describe, expect, it } from 'vitest';
import type { SheetDocument } from '../api';
import full from '../../../internal/sheet/testdata/referral-full.golden.json';
import SheetPreview from './SheetPreview.svelte';

afterEach(cleanup);

describe('SheetPreview', () => {
  it('draws Go’s layout as HTML: headings, fields, QR codes, the worker, the footer', async () => {
    render(SheetPreview, { props: { doc: full as unknown as SheetDocument, label: 'Aperçu de la fiche' } });
    const region = screen.getByRole('region', { name: 'Aperçu de la fiche' });
    // jsdom measures nothing: everything fits on one page.
    await waitFor(() => expect(region.querySelectorAll('.page')).toHaveLength(1));
    expect(screen.getByRole('heading', { level: 3, name: 'Votre fiche d’orientation' })).toBeTruthy();
    expect(screen.getByRole('heading', { level: 4, name: 'Épicerie solidaire Le Panier du Cœur' })).toBeTruthy();
    const when = [...region.querySelectorAll('dl')].find((dl) => dl.querySelector('dt')?.textContent === 'Quand');
    expect([...(when?.querySelectorAll('dd .line') ?? [])].map((l) => l.textContent)).toEqual([
      'Le mardi et le jeudi, de 14 h à 18 h.',
      'Le premier samedi du mois, de 10 h à 12 h.',
    ]);
    expect(screen.getByRole('img', { name: 'Code QR : appeler le +33199000102' })).toBeTruthy();
    expect(region.textContent).toContain('Claire Martin, EDAS Issy-les-Moulineaux');
    expect(region.querySelector('.footer')?.textContent?.replace(/\s+/g, ' ').trim()).toBe('Fiche d’orientation du 23 novembre 2026 Page 1 sur 1');
  });

  it('keeps the measuring copy out of the accessibility tree', () => {
    const { container } = render(SheetPreview, { props: { doc: full as unknown as SheetDocument, label: 'Aperçu' } });
    expect(container.querySelector('.measure')?.getAttribute('aria-hidden')).toBe('true');
  });
});
