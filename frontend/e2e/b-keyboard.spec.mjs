// (b) Keyboard only: « / », type, ↓ ↓, Entrée opens the second result.
import { assert, expectCount, expectText, resultNames, waitUntil } from './helpers.mjs';

export const tests = [
  {
    name: 'au clavier : /, saisie, ↓ ↓, Entrée ouvre le 2e résultat',
    async run({ page }) {
      // Leave the search box first (to the « ? » button), so that « / » has to bring the focus back.
      await page.keyboard.press('Shift+Tab');
      const away = await page.evaluate(() => document.activeElement?.id !== 'search');
      assert(away, 'le focus aurait dû quitter la recherche');
      await page.keyboard.press('/');
      await waitUntil(() => page.evaluate(() => document.activeElement?.id === 'search'), '« / » ne place pas le focus dans la recherche');
      await page.keyboard.type('jardin', { delay: 30 });
      await expectCount(page, (n) => n >= 2);
      await page.waitForTimeout(300);
      const names = await resultNames(page);
      assert(names.length >= 2, 'moins de deux résultats');
      const value = await page.locator('#search').inputValue();
      assert(value === 'jardin', `la recherche contient « ${value} » au lieu de « jardin »`);

      await page.keyboard.press('ArrowDown');
      await page.keyboard.press('ArrowDown');
      const selected = page.locator('#results-list [role="option"][aria-selected="true"]');
      await expectText(selected.locator('.hit-name'), names[1]);
      await page.keyboard.press('Enter');
      const title = page.locator('.col-detail h2');
      await expectText(title, names[1]);
      await waitUntil(() => page.evaluate(() => document.activeElement?.id === 'detail-title'), 'Entrée ne donne pas le focus à la fiche');
      // The why of the selected row is shown (explainable ranking).
      await expectText(selected.locator('.hit-why'), /jardin/i);
    },
  },
  {
    name: 'Alt+2, Alt+3, Alt+4, Alt+5, Alt+1 changent d’onglet ; « ? » ouvre l’aide des raccourcis',
    async run({ page }) {
      await page.keyboard.press('Alt+2');
      await expectText(page.getByRole('tab', { selected: true }), 'Usagers');
      await expectText(page.locator('#panel-usagers h1'), 'Usagers');
      await waitUntil(() => page.evaluate(() => document.activeElement?.id === 'usager-search'), 'Alt+2 ne place pas le focus dans la recherche des dossiers');
      await page.keyboard.press('Alt+3');
      await expectText(page.getByRole('tab', { selected: true }), 'Importer / exporter');
      await expectText(page.locator('#panel-import h1'), 'Importer / exporter');
      await page.keyboard.press('Alt+4');
      await expectText(page.getByRole('tab', { selected: true }), 'Proposer une initiative');
      await page.keyboard.press('Alt+5');
      await expectText(page.getByRole('tab', { selected: true }), 'À revoir');
      await expectText(page.locator('#panel-arevoir h1'), 'À revoir');
      await waitUntil(() => page.evaluate(() => document.activeElement?.closest('#panel-arevoir') !== null), 'Alt+5 ne place pas le focus dans « À revoir »');
      await page.keyboard.press('Alt+1');
      await expectText(page.getByRole('tab', { selected: true }), 'Annuaire');
      await waitUntil(() => page.evaluate(() => document.activeElement?.id === 'search'), 'Alt+1 ne revient pas à la recherche');
      await page.locator('.col-results').click({ position: { x: 5, y: 5 } });
      await page.keyboard.press('?');
      await expectText(page.getByRole('dialog'), 'Raccourcis clavier');
      await expectText(page.getByRole('dialog'), 'Onglet Usagers');
      await expectText(page.getByRole('dialog'), 'Entretien : domaine suivant');
      await expectText(page.getByRole('dialog'), 'Onglet À revoir');
      await expectText(page.getByRole('dialog'), /Alt\s*\+\s*0\s*ou\s*Ctrl\s*\+\s*,\s*Paramètres/);
      await page.keyboard.press('Escape');
      await waitUntil(async () => !(await page.getByRole('dialog').isVisible()), 'Échap ne ferme pas l’aide');
    },
  },
];
