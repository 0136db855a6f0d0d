// Small assertion helpers over playwright-core (which has no `expect`): each waits for the
// screen to reach a state and fails with a French message saying what was seen instead.

export class AssertionError extends Error {}

export function assert(cond, message) {
  if (!cond) throw new AssertionError(message);
}

/** waitUntil polls fn until it returns a truthy value; fails with describe() of the last value. */
export async function waitUntil(fn, describe, timeout = 10_000) {
  const end = Date.now() + timeout;
  let last;
  for (;;) {
    try {
      last = await fn();
      if (last) return last;
    } catch (e) {
      last = e;
    }
    if (Date.now() > end) throw new AssertionError(typeof describe === "function" ? await describe(last) : `${describe} (vu : ${String(last)})`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** expectText waits until the locator's visible text matches pattern (a RegExp or a substring). */
export async function expectText(locator, pattern, timeout = 10_000) {
  const ok = (s) => (pattern instanceof RegExp ? pattern.test(s) : s.includes(pattern));
  let seen = '';
  await waitUntil(
    async () => {
      seen = (await locator.first().innerText({ timeout: 500 })).replace(/\s+/g, ' ').trim();
      return ok(seen);
    },
    () => `attendu ${pattern} dans ${locator}, vu : « ${seen.slice(0, 300)} »`,
    timeout,
  );
  return seen;
}

/** waitForApp waits for the Annuaire's first results (the window is usable). */
export async function waitForApp(page) {
  await page.locator('#search').waitFor({ state: 'visible', timeout: 30_000 });
  await expectText(page.locator('.results-head .count'), /\d+ initiatives?|Aucune initiative/, 30_000);
}

/** resultCount reads « 23 initiatives » above the results. */
export async function resultCount(page) {
  const s = (await page.locator('.results-head .count').innerText()).replace(/\s/g, '');
  if (/^Aucune/.test(s)) return 0;
  const m = /^(\d+)initiatives?/.exec(s);
  return m ? Number(m[1]) : NaN;
}

/** expectCount waits until the result count is n (or passes test when a function). */
export async function expectCount(page, n, timeout = 10_000) {
  let seen;
  await waitUntil(
    async () => {
      seen = await resultCount(page);
      return typeof n === 'function' ? n(seen) : seen === n;
    },
    () => `attendu ${typeof n === 'function' ? 'un autre nombre de résultats' : n + ' résultats'}, vu : ${seen}`,
    timeout,
  );
  return seen;
}

/** resultNames lists the names of the results shown, in order. */
export async function resultNames(page) {
  return page.locator('#results-list [role="option"] .hit-name').allInnerTexts();
}

/** search types text in the search box (as a worker would) and waits for the count to settle. */
export async function search(page, text) {
  const box = page.locator('#search');
  await box.fill('');
  await box.pressSequentially(text, { delay: 20 });
  await page.waitForTimeout(400); // the list follows typing after ~120 ms
  await waitUntil(async () => (await page.locator('.results-body').getAttribute('aria-busy')) === 'false', 'la recherche ne se termine pas');
}

/** facetCount reads the number shown next to a filter value (a label in the filter panel). */
export async function facetCount(labelLocator) {
  const s = await labelLocator.locator('.count').innerText();
  return Number(s.replace(/\s/g, ''));
}

/** frNumber reads « 1,2 km » as 1.2. */
export function frNumber(s) {
  return Number(s.replace(/[^\d,]/g, '').replace(',', '.'));
}

// ---- Accessibility ---------------------------------------------------------------------------

/** axe runs axe-core (WCAG 2.1 A/AA and best practices) and fails on any serious or critical violation. */
export async function axe(page, what, include) {
  const { default: AxeBuilder } = await import('@axe-core/playwright');
  let builder = new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']);
  if (include) builder = builder.include(include);
  const res = await builder.analyze();
  const bad = res.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const lines = bad.map((v) => `${v.impact} ${v.id}: ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' ; ')}`);
  assert(bad.length === 0, `${what} : ${bad.length} violation(s) graves\n${lines.join('\n')}`);
  assert(res.passes.length > 10, `${what} : axe n’a presque rien vérifié (${res.passes.length} règles)`);
}

// ---- Usager files and interviews (the Usagers tab) -------------------------------------------

/** usagersPanel is the Usagers tab's panel. */
export const usagersPanel = (page) => page.locator('#panel-usagers');

/** question is one question of the interview page, by its grid identifier. */
export const question = (page, id) => usagersPanel(page).locator(`#q-${id}`);

/** saved waits until a question says its answer is saved. */
export async function saved(page, id) {
  await expectText(question(page, id).locator('.status'), /Enregistré|Correction enregistrée/);
}

/** scale gives the person's note n on a question's scale, and waits for it to be saved. */
export async function scale(page, id, n) {
  await question(page, id).locator(`label.scale-btn:has(input[data-group="person"][value="${n}"])`).click();
  await saved(page, id);
}

/** choose ticks the choice labelled label, and waits for it to be saved. */
export async function choose(page, id, label) {
  await question(page, id).locator('label.choice', { hasText: label }).first().click();
  await saved(page, id);
}

/** domainTitle reads the title of the interview's domain on screen. */
export async function domainTitle(page) {
  return (await usagersPanel(page).locator('#domain-title').innerText()).trim();
}

/** expectDomain waits until the interview shows the domain titled title. */
export async function expectDomain(page, title) {
  await waitUntil(async () => (await domainTitle(page)) === title, async () => `attendu le domaine « ${title} », vu « ${await domainTitle(page).catch(() => '?')} »`);
}

/** openDomain opens a domain of the interview from its menu. */
export async function openDomain(page, name) {
  await usagersPanel(page).getByRole('navigation', { name: 'Domaines de l’entretien' }).getByRole('button', { name }).click();
}

/** createUsager opens a new file with the person's consent (Alt+N) and waits for it. */
export async function createUsager(page, name, commune = 'nanterre') {
  await page.keyboard.press('Alt+2');
  await page.keyboard.press('Alt+n');
  const form = usagersPanel(page);
  await expectText(form.locator('h1'), 'Nouveau dossier');
  await form.locator('#u-name').fill(name);
  await form.locator('#u-commune').fill(commune);
  await form.locator('#u-commune').press('Enter');
  await form.locator('#u-consent').check();
  await form.getByRole('button', { name: 'Ouvrir le dossier' }).click();
  await expectText(form.locator('h1'), name);
}

/** openUsager goes to the Usagers tab and opens a person's file. */
export async function openUsager(page, name) {
  await page.keyboard.press('Alt+2');
  const list = usagersPanel(page);
  if (!(await list.locator('#usager-search').isVisible())) {
    await list.getByRole('navigation', { name: 'Fil d’Ariane' }).getByRole('button', { name: 'Usagers' }).click();
  }
  await list.locator('#usager-search').fill(name);
  await list.getByRole('button', { name, exact: true }).click();
  await expectText(list.locator('h1'), name);
}

/**
 * completeInterview starts an interview from the open file, answers every required question (the
 * person is isolated, looks for work, eats badly) and completes it: the screen ends on « Besoins
 * et suggestions ».
 */
export async function completeInterview(page) {
  const p = usagersPanel(page);
  await p.getByRole('button', { name: 'Nouvel entretien' }).click();
  await expectText(p.locator('h1'), 'Entretien avec');
  await openDomain(page, /Situation et ressources/);
  await scale(page, 'situation-auto', 3);
  await choose(page, 'situation-emploi', 'Je cherche un travail');
  await openDomain(page, /Liens sociaux/);
  await scale(page, 'liens-auto', 2);
  await choose(page, 'liens-soutien', 'Non');
  await choose(page, 'liens-aide', 'Une activité à plusieurs, dehors, comme jardiner');
  for (const [domain, id, n] of [
    [/Réseau et emploi/, 'reseau-auto', 2],
    [/Alimentation/, 'alimentation-auto', 2],
    [/Logement/, 'logement-auto', 3],
    [/Mobilité/, 'mobilite-auto', 4],
    [/Numérique/, 'numerique-auto', 4],
    [/Ce que vous aimeriez donner/, 'donner-auto', 3],
    [/Ce que vous attendez/, 'attentes-auto', 2],
  ]) {
    await openDomain(page, domain);
    await scale(page, id, n);
    if (id === 'logement-auto') await choose(page, 'logement-situation', 'Locataire');
  }
  await p.locator('.iv-head').getByRole('button', { name: 'Terminer l’entretien' }).click();
  await expectText(p.locator('#needs-title'), 'Besoins et suggestions');
  await p.locator('.needs .sugg-list > li').first().waitFor({ state: 'visible', timeout: 30_000 });
}
