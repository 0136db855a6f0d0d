// Last, as it changes the directory for good: removing the demo data (with confirmation).
import { assert, expectText, resultCount, search, waitUntil } from './helpers.mjs';

export const tests = [
  {
    name: 'retirer les données de démonstration, après confirmation',
    async run({ page }) {
      await expectText(page.locator('.statusline'), 'Données de démonstration');
      const before = await resultCount(page);
      await page.keyboard.press('Alt+3');
      await page.getByRole('button', { name: 'Retirer les données de démonstration' }).click();
      const dialog = page.getByRole('dialog');
      await expectText(dialog, 'Retirer les données de démonstration ?');
      // Cancelling keeps them.
      await dialog.getByRole('button', { name: 'Annuler' }).click();
      await waitUntil(async () => !(await dialog.isVisible()), 'la confirmation ne se ferme pas');
      await page.getByRole('button', { name: 'Retirer les données de démonstration' }).click();
      await dialog.getByRole('button', { name: 'Retirer la démonstration' }).click();
      await expectText(page.locator('.toasts'), /\d+ initiatives de démonstration retirées/);
      await waitUntil(async () => !(await page.locator('.statusline').innerText()).includes('Données de démonstration'), 'la barre d’état annonce encore la démonstration');
      await page.keyboard.press('Alt+1');
      await search(page, '');
      const after = await resultCount(page);
      assert(after < before, `l’annuaire n’a pas diminué (${before} → ${after})`);
      const demo = await page.locator('#results-list .badge-demo').count();
      assert(demo === 0, `${demo} badge(s) « Démo » restent`);
    },
  },
];
