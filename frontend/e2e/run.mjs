// End-to-end runner: drives Debian's Chromium (playwright-core, no browser download) through the
// real UI served by the real Go backend (scripts/e2e.sh starts it). Runs every e2e/*.spec.mjs in
// name order, one fresh browser context per test, prints one line per test, saves a screenshot
// of each test's end state into $E2E_OUT and exits non-zero when a test fails.
//
//   BASE_URL      the app (http://127.0.0.1:34115)
//   E2E_OUT       where screenshots go (default: e2e-output)
//   E2E_DATA_DIR  the app's data folder (fresh, demo loaded at start)
//   CLI           the passerelle command-line tool
//   node e2e/run.mjs [filter]   runs only the tests whose file or name contains filter
import { mkdir, readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { waitForApp } from './helpers.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const env = {
  baseURL: process.env.BASE_URL ?? 'http://127.0.0.1:34115',
  out: path.resolve(process.env.E2E_OUT ?? 'e2e-output'),
  dataDir: process.env.E2E_DATA_DIR ?? '',
  cli: process.env.CLI ?? '',
};
const filter = process.argv[2] ?? '';
const TEST_TIMEOUT = 90_000;

const slug = (s) =>
  s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');

function withTimeout(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: plus de ${ms / 1000} s`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

await mkdir(env.out, { recursive: true });
const files = (await readdir(here)).filter((f) => f.endsWith('.spec.mjs')).sort();
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: [
    '--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-quic',
    '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run',
  ],
});

let passed = 0;
const failed = [];
const started = Date.now();
console.log(`e2e: ${env.baseURL}, captures dans ${env.out}`);
for (const file of files) {
  const spec = await import(pathToFileURL(path.join(here, file)).href);
  for (const t of spec.tests ?? []) {
    const label = `${file.replace('.spec.mjs', '')} › ${t.name}`;
    if (filter && !label.includes(filter)) continue;
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'fr-FR' });
    const page = await context.newPage();
    const pageErrors = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    const t0 = Date.now();
    let error = null;
    try {
      await withTimeout(
        (async () => {
          await page.goto(env.baseURL);
          await waitForApp(page);
          await t.run({ page, env });
        })(),
        t.timeout ?? TEST_TIMEOUT,
        label,
      );
      if (pageErrors.length) throw new Error(`erreur JavaScript dans la page : ${pageErrors.join(' | ')}`);
    } catch (e) {
      error = e;
    }
    const shot = path.join(env.out, `${slug(label)}.png`);
    await page.screenshot({ path: shot }).catch(() => {});
    await context.close();
    const secs = ((Date.now() - t0) / 1000).toFixed(1);
    if (error) {
      failed.push(label);
      console.log(`FAIL ${label} (${secs} s)\n     ${String(error.message ?? error).split('\n').join('\n     ')}\n     capture : ${shot}`);
    } else {
      passed++;
      console.log(`ok   ${label} (${secs} s)`);
    }
  }
}
await browser.close();
const total = passed + failed.length;
console.log(`e2e: ${passed}/${total} réussis en ${((Date.now() - started) / 1000).toFixed(1)} s`);
if (total === 0) {
  console.log('e2e: aucun test lancé');
  process.exit(1);
}
process.exit(failed.length ? 1 : 0);
