// (c) Proximity: « Près de » Nanterre within 3 km, distances ascending; remote-only results apart.
import { assert, expectText, frNumber, waitUntil } from './helpers.mjs';

export const tests = [
  {
    name: 'Près de Nanterre, 3 km : distances croissantes, « Accessibles à distance » à part',
    async run({ page }) {
      const near = page.locator('#f-near');
      await near.fill('nanterre'); // no capital: the picker accepts any spelling
      await near.press('Enter');
      await page.locator('#f-km').selectOption('3');
      await expectText(page.locator('.results-head .chips'), 'Près de Nanterre (3 km)');
      const dist = page.locator('.hit-dist');
      await waitUntil(async () => (await dist.count()) >= 3, 'moins de trois résultats avec une distance');
      const shown = await dist.allInnerTexts();
      assert(shown.every((s) => /^\d+(,\d)? km$|^moins de 0,1 km$/.test(s.trim())), `distances mal écrites : ${shown.join(' | ')}`);
      const km = shown.map(frNumber);
      for (let i = 1; i < km.length; i++) {
        assert(km[i - 1] <= km[i], `distances non croissantes : ${shown.join(', ')}`);
      }
      assert(km.every((k) => k <= 3), `une distance dépasse 3 km : ${shown.join(', ')}`);
      // Remote-only services have no distance: listed apart under their own heading.
      const remote = page.locator('.group-title', { hasText: 'Accessibles à distance' });
      await remote.waitFor({ state: 'visible' });
      await remote.scrollIntoViewIfNeeded();
    },
  },
  {
    name: 'une commune inconnue affiche le message de Go en français',
    async run({ page }) {
      const near = page.locator('#f-near');
      await near.fill('Paris');
      await near.press('Enter');
      await expectText(page.locator('#f-near-err'), '« Paris » n’est pas une commune des Hauts-de-Seine.');
      await expectText(page.locator('.results-body [role="alert"]'), 'n’est pas une commune des Hauts-de-Seine');
      await page.getByRole('button', { name: /Retirer le filtre : Près de Paris/ }).click();
      await expectText(page.locator('.results-head .count'), /\d+ initiatives/);
    },
  },
];
