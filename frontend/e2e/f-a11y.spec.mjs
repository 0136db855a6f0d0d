// (f) axe-core on the Annuaire, the detail pane and the other screens: no serious or critical
// violation of WCAG 2.1 A/AA rules.
import AxeBuilder from '@axe-core/playwright';
import { assert, expectText, search } from './helpers.mjs';

async function check(page, what, include) {
  let builder = new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']);
  if (include) builder = builder.include(include);
  const res = await builder.analyze();
  const bad = res.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const lines = bad.map((v) => `${v.impact} ${v.id}: ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' ; ')}`);
  assert(bad.length === 0, `${what} : ${bad.length} violation(s) graves\n${lines.join('\n')}`);
  assert(res.passes.length > 10, `${what} : axe n’a presque rien vérifié (${res.passes.length} règles)`);
}

export const tests = [
  {
    name: 'axe : Annuaire et fiche sans violation grave',
    async run({ page }) {
      await check(page, 'Annuaire');
      await search(page, 'epicerie');
      await page.locator('#results-list [role="option"]').first().click();
      await expectText(page.locator('.col-detail h2'), /\S/);
      await page.locator('.col-detail textarea').waitFor();
      await check(page, 'Fiche', '.col-detail');
      await check(page, 'Annuaire avec fiche');
    },
  },
  {
    name: 'axe : Importer / exporter et Proposer sans violation grave',
    async run({ page }) {
      await page.keyboard.press('Alt+3');
      await check(page, 'Importer / exporter');
      await page.keyboard.press('Alt+4');
      await page.locator('#panel-proposer').getByRole('button', { name: 'Proposer l’initiative' }).click();
      await page.locator('.error-summary').waitFor();
      await check(page, 'Proposer (avec erreurs)');
    },
  },
];
