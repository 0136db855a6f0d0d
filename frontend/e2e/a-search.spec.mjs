// (a) Search as you type, a filter that changes list and counts, the detail pane.
import { assert, expectCount, expectText, facetCount, resultCount, resultNames, search, waitForApp, waitUntil } from './helpers.mjs';

export const tests = [
  {
    name: '« epicerie » liste les épiceries, un filtre change liste et compteurs, la fiche s’ouvre',
    async run({ page }) {
      const all = await resultCount(page);
      await search(page, 'epicerie');
      const total = await expectCount(page, (n) => n > 0 && n < all);
      const names = await resultNames(page);
      const epiceries = names.filter((n) => /^Épicerie/.test(n));
      assert(epiceries.length >= 5, `attendu au moins 5 « Épicerie… » parmi les résultats, vu : ${names.join(', ')}`);

      // Filter: the category « Épicerie solidaire »; its count announces the new total.
      const cat = page.locator('.filters label.option', { hasText: 'Épicerie solidaire' });
      const expected = await facetCount(cat);
      assert(expected > 0 && expected < total, `compteur de « Épicerie solidaire » inattendu : ${expected} (total ${total})`);
      await cat.click();
      await expectCount(page, expected);
      await expectText(page.locator('.results-head .chips'), 'Épicerie solidaire');
      const filtered = await resultNames(page);
      assert(filtered.length === expected, `attendu ${expected} lignes, vu ${filtered.length}`);
      assert(!filtered.some((n) => /Tiers-lieu/.test(n)), `un tiers-lieu reste dans les épiceries : ${filtered.join(', ')}`);

      // A second filter: « Gratuit uniquement », with its own announced count.
      const free = page.locator('.filters label.option', { hasText: 'Gratuit uniquement' });
      const freeCount = await facetCount(free);
      await free.click();
      await expectCount(page, freeCount);
      if (freeCount > 0) {
        const badges = await page.locator('#results-list [role="option"]').evaluateAll((rows) => rows.map((r) => r.textContent ?? ''));
        assert(badges.every((b) => b.includes('Gratuit')), 'une ligne sans le badge « Gratuit » malgré le filtre');
      }
      // Counts of other values follow the filters (facets of the new match).
      const catAfter = await facetCount(cat);
      assert(catAfter === freeCount, `le compteur de la catégorie devrait suivre (${catAfter} ≠ ${freeCount})`);

      // Back to the category alone, then open the first épicerie.
      await free.click();
      await expectCount(page, expected);
      const first = page.locator('#results-list [role="option"]').first();
      const name = (await first.locator('.hit-name').innerText()).trim();
      await first.click();
      const pane = page.locator('.col-detail');
      await expectText(pane.locator('h2'), name);
      await expectText(pane.locator('section', { hasText: 'Quand' }), /(lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche).*\d+ h/i);
      await expectText(pane.locator('section', { hasText: 'Contact' }), /Téléphone\s*0\d( \d\d){4}/);
      await expectText(pane, /Informations mises à jour le \d{1,2}(er)? \p{L}+ \d{4}/u);
    },
  },
  {
    name: '« Afficher plus », Échap vide la recherche, les filtres se retirent par leurs étiquettes',
    async run({ page }) {
      const all = await resultCount(page);
      const rows = page.locator('#results-list [role="option"]');
      assert(all > 50, `la démonstration devrait compter plus de 50 initiatives (vu ${all})`);
      await waitUntil(async () => (await rows.count()) === 50, 'la première page n’a pas 50 lignes');
      await expectText(page.locator('.more'), `50 affichées sur ${all}`);
      await page.getByRole('button', { name: 'Afficher plus' }).click();
      await waitUntil(async () => (await rows.count()) === Math.min(100, all), async () => `après « Afficher plus » : ${await rows.count()} lignes`);

      await search(page, 'jardin');
      await expectCount(page, (n) => n > 0 && n < all);
      await page.locator('#search').press('Escape');
      await expectCount(page, all);
      await page.locator('.filters label.option', { hasText: 'Gratuit uniquement' }).click();
      const free = await expectCount(page, (n) => n < all);
      await page.getByRole('button', { name: 'Retirer le filtre : Gratuit uniquement' }).click();
      await expectCount(page, all);
      assert(free < all, 'le filtre « Gratuit » ne réduit pas la liste');
    },
  },
  {
    name: 'la note privée s’enregistre seule, même en changeant aussitôt de fiche',
    async run({ page }) {
      const note = `Rappeler Mme D. lundi (${Date.now().toString(36)})`;
      await search(page, 'jardin');
      const rows = page.locator('#results-list [role="option"]');
      await rows.nth(0).click();
      const first = (await rows.nth(0).locator('.hit-name').innerText()).trim();
      const pane = page.locator('.col-detail');
      await expectText(pane.locator('h2'), first);
      const area = pane.locator('textarea');
      await area.fill(note);
      await rows.nth(1).click(); // at once: the note must not be lost
      await expectText(pane.locator('h2'), (await rows.nth(1).locator('.hit-name').innerText()).trim());
      await rows.nth(0).click();
      await expectText(pane.locator('h2'), first);
      await waitUntil(async () => (await area.inputValue()) === note, 'la note a disparu en revenant à la fiche');

      await area.press('End');
      await area.pressSequentially(' ✓');
      await expectText(pane.locator('.note-status'), 'Note enregistrée', 5000);

      // Stored by Go: still there after the window reloads.
      await page.reload();
      await waitForApp(page);
      await search(page, 'jardin');
      await page.locator('#results-list [role="option"]').nth(0).click();
      await expectText(pane.locator('h2'), first);
      await waitUntil(async () => (await pane.locator('textarea').inputValue()) === note + ' ✓', async () => `note après rechargement : « ${await pane.locator('textarea').inputValue()} »`);
    },
  },
];
