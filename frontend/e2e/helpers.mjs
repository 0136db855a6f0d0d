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
