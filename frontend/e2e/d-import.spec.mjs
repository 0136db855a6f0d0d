// (d) Import of a file with one valid and one invalid record: the report shows 1 rejected with
// its position and a French reason, and the valid record is in the directory.
import { execFile } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { assert, expectCount, expectText, resultNames, search, waitUntil } from './helpers.mjs';

const exec = promisify(execFile);

async function importFile(page, file) {
  await page.keyboard.press('Alt+3');
  await page.locator('#imp-paths').fill(file);
  await page.getByRole('button', { name: 'Importer', exact: true }).click();
  const report = page.locator('.report');
  await report.waitFor({ state: 'visible', timeout: 20_000 });
  return report;
}

async function countOf(report, label) {
  const s = await report.locator('.counts div', { hasText: label }).locator('dd').innerText();
  return Number(s.replace(/\s/g, ''));
}

/** The CLI reads the same data folder: the record must be stored, not only shown. */
async function cliFinds(env, text) {
  if (!env.cli || !env.dataDir) return null;
  const { stdout } = await exec(env.cli, ['search', '--data-dir', env.dataDir, '--json', text]);
  return JSON.parse(stdout).map((h) => h.nom);
}

export const tests = [
  {
    name: 'import CSV : 1 rejet avec sa ligne et une raison en français',
    async run({ page, env }) {
      const dir = await mkdtemp(path.join(tmpdir(), 'passerelle-e2e-'));
      const file = path.join(dir, 'annuaire-essai.csv');
      // Identifiers and name of this run: the record is new even on a desk used before.
      const run = Date.now().toString(36);
      const name = `Potager partagé des Essais ${run}`;
      await writeFile(
        file,
        [
          'id;source;structure_id;nom;description;date_maj;thematiques;frais;publics;modes_accueil;code_insee;commune;horaires_accueil;structure_nom;structure_code_insee;structure_commune;structure_date_maj',
          `e2e--potager-${run};e2e;e2e--asso-${run};${name};Un potager ouvert à tous, le samedi matin.;2026-01-10;remobilisation--lien-social;gratuit;tous-publics;en-presentiel;92025;Colombes;Sa 10:00-12:00;Association des Essais;92025;Colombes;2026-01-10`,
          `e2e--atelier-${run};e2e;e2e--asso-${run};Atelier des Essais;Un atelier.;pas une date;remobilisation--lien-social;gratuit;tous-publics;en-presentiel;92025;Colombes;;Association des Essais;92025;Colombes;2026-01-10`,
          '',
        ].join('\n'),
      );
      const report = await importFile(page, file);
      assert((await countOf(report, 'Rejetés')) === 1, `attendu 1 rejeté, vu ${await countOf(report, 'Rejetés')}`);
      assert((await countOf(report, 'Nouveaux')) === 2, `attendu 2 nouveaux (la structure et son service), vu ${await countOf(report, 'Nouveaux')}`);
      const row = report.locator('tbody tr');
      await waitUntil(async () => (await row.count()) === 1, 'le tableau des rejets n’a pas une ligne');
      await expectText(row, 'annuaire-essai.csv');
      await expectText(row, 'ligne 3');
      await expectText(row, `e2e--atelier-${run}`);
      await expectText(row, /date_maj : « pas une date » n’est pas une date réelle/);

      // The text filter of the rejections.
      await report.locator('#rej-filter').fill('introuvable');
      await expectText(report.locator('tbody'), 'Aucun rejet ne contient');
      await report.locator('#rej-filter').fill('date');
      await expectText(report.locator('tbody'), 'ligne 3');

      const stored = await cliFinds(env, name);
      if (stored) assert(stored.includes(name), `la CLI ne trouve pas l’enregistrement importé : ${stored}`);

      // The valid record is searchable in the Annuaire.
      await page.keyboard.press('Alt+1');
      await search(page, name);
      await expectCount(page, (n) => n >= 1);
      const names = await resultNames(page);
      assert(names[0] === name, `premier résultat : ${names[0]}`);
    },
  },
  {
    name: 'import JSON data·inclusion : 1 rejet « n° 3 » avec toutes ses raisons',
    async run({ page }) {
      const dir = await mkdtemp(path.join(tmpdir(), 'passerelle-e2e-'));
      const file = path.join(dir, 'services-essai.json');
      await writeFile(
        file,
        JSON.stringify([
          { id: 'e2e--asso-json', source: 'e2e', nom: 'Association JSON des Essais', date_maj: '2026-01-10', code_insee: '92025', commune: 'Colombes' },
          {
            id: 'e2e--cafe-json', source: 'e2e', structure_id: 'e2e--asso-json', nom: 'Café JSON des Essais',
            description: 'Un café pour se retrouver.', date_maj: '2026-01-10', thematiques: ['remobilisation--lien-social'],
            frais: 'gratuit', publics: ['tous-publics'], modes_accueil: ['en-presentiel'],
          },
          { id: 'e2e--bad-json', source: 'e2e', structure_id: 'e2e--asso-json', nom: 'Mauvais', description: '', date_maj: '2026-13-45', frais: 'peut-etre' },
        ]),
      );
      const report = await importFile(page, file);
      assert((await countOf(report, 'Rejetés')) === 1, 'attendu 1 rejeté');
      const row = report.locator('tbody tr');
      await expectText(row, 'n° 3');
      await expectText(row, 'e2e--bad-json');
      await expectText(row, /description : obligatoire.*frais : « peut-etre »/);
    },
  },
];
