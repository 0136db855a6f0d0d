// (e) Propose an initiative: Go's French message on a bad form (nothing lost), then a good one
// that shows in the Annuaire as « Proposition »; withdraw it, and « Annuler » brings it back.
import { assert, expectCount, expectText, resultNames, search, waitUntil } from './helpers.mjs';

export const tests = [
  {
    name: 'proposer, retrouver « Proposition », retirer puis annuler',
    async run({ page }) {
      const name = `Atelier vélo solidaire ${Date.now().toString(36)}`;
      await page.keyboard.press('Alt+4');
      const form = page.locator('#panel-proposer');
      await form.locator('#p-nom').fill(name);
      // No description, no commune: Go refuses, the summary takes the focus, the name stays.
      await form.getByRole('button', { name: 'Proposer l’initiative' }).click();
      const summary = form.locator('.error-summary');
      await expectText(summary, 'La proposition ne peut pas être enregistrée');
      await expectText(summary, /Description : obligatoire/);
      await expectText(summary, /Indiquez la commune/);
      await waitUntil(() => page.evaluate(() => document.activeElement?.classList.contains('error-summary')), 'le résumé des erreurs n’a pas le focus');
      assert((await form.locator('#p-nom').inputValue()) === name, 'le nom saisi a été perdu');

      await form.locator('#p-desc').fill('Réparer son vélo avec des bénévoles, prêt d’outils, le samedi.');
      await form.locator('label.cat', { hasText: 'Repair café' }).click();
      await expectText(form.locator('fieldset', { hasText: 'Thématiques' }), 'Celles de la catégorie');
      await form.locator('#p-commune').fill('colombes');
      await form.locator('#p-commune').press('Enter');
      await form.locator('#p-horaires-hint button').first().click();
      assert((await form.locator('#p-horaires').inputValue()) !== '', 'l’exemple d’horaires ne remplit pas le champ');
      await form.locator('label.check', { hasText: 'Gratuit' }).click();
      await form.getByRole('button', { name: 'Proposer l’initiative' }).click();

      await expectText(page.locator('.toasts'), 'Initiative proposée — visible dans l’annuaire, marquée Proposition');
      await expectText(page.getByRole('tab', { selected: true }), 'Annuaire');
      const row = page.locator('#results-list [role="option"]', { hasText: name });
      await row.waitFor({ state: 'visible' });
      await expectText(row, 'Proposition');
      await expectText(page.locator('.col-detail h2'), name);
      assert((await row.getAttribute('aria-selected')) === 'true', 'la proposition n’est pas sélectionnée');

      // Withdraw (with confirmation), then undo.
      await page.locator('.col-detail').getByRole('button', { name: 'Retirer de l’annuaire' }).click();
      const dialog = page.getByRole('dialog');
      await expectText(dialog, 'Retirer de l’annuaire ?');
      await dialog.getByRole('button', { name: 'Retirer', exact: true }).click();
      await expectText(page.locator('.toasts'), 'a été retirée de l’annuaire');
      await waitUntil(async () => !(await resultNames(page)).includes(name), 'la proposition est toujours listée après retrait');
      await expectCount(page, 0);
      await page.locator('.toasts').getByRole('button', { name: 'Annuler' }).click();
      await row.waitFor({ state: 'visible' });
      await expectText(row, 'Proposition');

      // And a fresh search finds it too.
      await search(page, name);
      await expectText(page.locator('#results-list [role="option"]').first(), name);
    },
  },
];
