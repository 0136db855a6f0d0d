// (g) A long import: its progress shows, phase by phase, and the window stays usable meanwhile —
// a search in the Annuaire answers while the import is still running.
import { execFile } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { assert, expectCount, expectText, search } from './helpers.mjs';

const exec = promisify(execFile);
const SERVICES = 60_000;

export const tests = [
  {
    name: 'un long import montre sa progression et la fenêtre reste utilisable',
    timeout: 180_000,
    async run({ page, env }) {
      assert(env.cli, 'la variable CLI (outil en ligne de commande) manque');
      const dir = await mkdtemp(path.join(tmpdir(), 'passerelle-e2e-long-'));
      // Fictitious data·inclusion files: SERVICES services and half as many structures.
      await exec(env.cli, ['demo', 'generate', '--services', String(SERVICES), '--seed', '7', '--out', dir]);

      await page.keyboard.press('Alt+3');
      await page.locator('#imp-paths').fill([path.join(dir, 'structures.json'), path.join(dir, 'services.json')].join('\n'));
      await page.getByRole('button', { name: `Importer les 2 fichiers`, exact: true }).click();
      const progress = page.locator('.progress');
      await expectText(progress, /(Lecture|Enregistrement|Indexation).*(\d+|…)/, 15_000);
      if (env.out) await page.screenshot({ path: path.join(env.out, 'g-long-import-pendant.png') });

      // Meanwhile, the Annuaire answers.
      await page.keyboard.press('Alt+1');
      await search(page, 'epicerie');
      await expectCount(page, (n) => n >= 1);
      await page.keyboard.press('Alt+3');
      const stillRunning = await progress.isVisible();
      assert(stillRunning, 'l’import était déjà fini : la recherche n’a pas eu lieu pendant l’import (augmenter SERVICES ?)');

      const report = page.locator('.report');
      await report.waitFor({ state: 'visible', timeout: 150_000 });
      const nouveaux = Number((await report.locator('.counts div', { hasText: 'Nouveaux' }).locator('dd').innerText()).replace(/\s/g, ''));
      assert(nouveaux === SERVICES * 1.5, `attendu ${SERVICES * 1.5} nouveaux, vu ${nouveaux}`);
      await expectText(page.locator('.statusline'), /\d/);
    },
  },
];
