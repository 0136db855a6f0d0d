// (i) Referral sheets and their follow-up, on the real backend: the settings printed on sheets; a
// sheet of two services from a completed interview, its preview (the layout Go prints, in HTML),
// the PDF Go wrote read back with pdftotext, the sheet marked given; at the next interview, a
// non-recours with its reason for one referral and the other's follow-up moved to today, which
// « À revoir » shows only once it is due; the usager file with both statuses; a sheet for an
// anonymous walk-in from the Annuaire's basket; axe on the preview, « À revoir » and the settings.
import { execFileSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import {
  assert, axe, completeInterview, createUsager, expectText, openUsager, resultNames, search, usagersPanel as panel, waitUntil,
} from './helpers.mjs';

const NAME = `Fiche ${Date.now().toString(36).toUpperCase()}`;
const WORKER = 'Hélène Dubois-Lefèvre';
const EDAS = 'Issy-les-Moulineaux';
const PHONE = '01 41 23 45 67';
const MESSAGE = 'Bonjour, voici les deux adresses dont nous avons parlé. N’hésitez pas à m’appeler !';

/** The two services put on the sheet by the second test, for the next ones. */
const chosen = [];

async function shot(page, env, name) {
  await page.screenshot({ path: path.join(env.out, `i-referral-${name}.png`) });
}

/** today is the desk's day, as the date inputs and Go write it (YYYY-MM-DD, local time). */
function today() {
  const d = new Date();
  const p = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

/** pdfText returns the text of the newest PDF Go wrote in the data folder whose name starts with prefix. */
function pdfText(env, prefix) {
  return pdfPages(env, prefix).join(' ');
}

/** pdfPages returns the text of each page of that PDF, spaces collapsed. */
function pdfPages(env, prefix) {
  assert(env.dataDir, 'E2E_DATA_DIR n’est pas donné : impossible de lire le PDF écrit par l’application');
  const dir = path.join(env.dataDir, 'fiches');
  const files = readdirSync(dir)
    .filter((f) => f.startsWith(prefix) && f.endsWith('.pdf'))
    .map((f) => path.join(dir, f))
    .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
  assert(files.length > 0, `aucun PDF « ${prefix}… » dans ${dir}`);
  const text = execFileSync('pdftotext', ['-enc', 'UTF-8', files[0], '-'], { encoding: 'utf8' });
  return text.split('\f').filter((p, i, all) => i < all.length - 1 || p.trim()).map((p) => p.replace(/\s+/g, ' ').trim());
}

/** pageOf says on which page (0-based) of a list of page texts a text is, -1 when on none. */
const pageOf = (pages, text) => pages.findIndex((p) => p.includes(text));

const sheetDialog = (page) => page.locator('dialog.sheet-dialog');
const preview = (page) => sheetDialog(page).getByRole('region', { name: /Aperçu de la fiche/ });

/** statuses reads the badges of the sheet window: « name: status » for each referral. */
async function statuses(page) {
  return sheetDialog(page).locator('.statuses li').evaluateAll((lis) => lis.map((li) => li.innerText.replace(/\s+/g, ' ').trim()));
}

export const tests = [
  {
    name: 'Paramètres : Alt+0 ouvre, Go refuse un téléphone illisible (résumé des erreurs), puis enregistre ; Ctrl+, rouvre ; axe',
    async run({ page, env }) {
      await page.keyboard.press('Alt+0');
      const dialog = page.getByRole('dialog', { name: 'Paramètres' });
      await expectText(dialog, 'imprimés sur chaque fiche d’orientation');
      await waitUntil(() => page.evaluate(() => document.activeElement?.id === 'set-worker'), 'le focus n’est pas sur le premier champ des paramètres');
      await dialog.locator('#set-worker').fill(WORKER);
      await dialog.locator('#set-edas').fill(EDAS);
      await dialog.locator('#set-phone').fill('appelez-moi');
      await dialog.locator('#set-days').fill('30');
      await dialog.getByRole('button', { name: 'Enregistrer' }).click();
      const summary = dialog.locator('.error-summary');
      await expectText(summary, 'Les paramètres ne peuvent pas être enregistrés');
      await expectText(summary, 'Le téléphone « appelez-moi » n’est pas un numéro');
      await waitUntil(() => page.evaluate(() => document.activeElement?.classList.contains('error-summary')), 'le résumé des erreurs n’a pas le focus');
      assert((await dialog.locator('#set-worker').inputValue()) === WORKER, 'le nom saisi a été perdu');
      await axe(page, 'Paramètres (avec erreur)');
      await shot(page, env, '1-parametres-erreur');
      await summary.getByRole('link').first().click();
      await waitUntil(() => page.evaluate(() => document.activeElement?.id === 'set-phone'), 'le lien de l’erreur ne mène pas au téléphone');
      await page.keyboard.press('Control+a');
      await page.keyboard.type(PHONE);
      await dialog.getByRole('button', { name: 'Enregistrer' }).click();
      await expectText(page.locator('.toasts'), 'Paramètres enregistrés');
      await waitUntil(async () => !(await dialog.isVisible()), 'les paramètres restent ouverts après l’enregistrement');

      // Saved in Go: Ctrl+, shows them again.
      await page.keyboard.press('Control+Comma');
      await expectText(dialog, 'Sur les fiches d’orientation');
      await waitUntil(async () => (await dialog.locator('#set-phone').inputValue()) === PHONE, 'le téléphone enregistré n’est pas revenu');
      assert((await dialog.locator('#set-edas').inputValue()) === EDAS, 'l’EDAS enregistrée n’est pas revenue');
      await axe(page, 'Paramètres');
      await shot(page, env, '2-parametres');
      await page.keyboard.press('Escape');
      await waitUntil(async () => !(await dialog.isVisible()), 'Échap ne ferme pas les paramètres');
      // The gear button opens them too.
      await page.getByRole('button', { name: 'Paramètres' }).click();
      await dialog.waitFor({ state: 'visible' });
      await dialog.getByRole('button', { name: 'Annuler' }).click();
    },
  },
  {
    name: 'fiche depuis un entretien terminé : deux suggestions, aperçu, PDF lu par pdftotext, remise ; absente d’« À revoir » avant sa date',
    timeout: 180_000,
    async run({ page, env }) {
      await createUsager(page, NAME);
      await completeInterview(page);
      const needs = panel(page).locator('.needs');
      const prepare = needs.getByRole('button', { name: 'Préparer la fiche d’orientation' });
      assert(await prepare.isDisabled(), '« Préparer la fiche » est utilisable sans suggestion cochée');
      await expectText(needs.locator('#sheet-hint'), 'Cochez au moins une suggestion');
      const items = needs.locator('.sugg-list > li');
      const names = await needs.locator('.sugg-name').allInnerTexts();
      assert(names.length >= 2, `moins de deux suggestions (${names.length})`);
      await items.nth(0).locator('label.pick').click();
      await items.nth(1).locator('label.pick').click();
      await expectText(needs.locator('.ticked-count'), '2 à proposer à la personne');
      chosen.push(names[0].trim(), names[1].trim());
      await waitUntil(() => prepare.isEnabled(), '« Préparer la fiche » reste grisé');
      await expectText(needs.locator('#sheet-hint'), 'Avec les 2 suggestions cochées');
      // Scroll the domain page only (scrollIntoView would also move the window's frame).
      await page.evaluate(() => {
        const head = document.querySelector('.needs .sugg-head');
        const scroller = document.querySelector('.domain-page');
        if (head instanceof HTMLElement && scroller) scroller.scrollTop = head.getBoundingClientRect().top - scroller.getBoundingClientRect().top + scroller.scrollTop - 12;
      });
      await shot(page, env, '2b-besoins-preparer');
      await prepare.click();

      // The preparation: the two services, health unticked, the settings' delay.
      const dialog = sheetDialog(page);
      await expectText(dialog.locator('#sheet-title'), 'Préparer une fiche d’orientation');
      await expectText(dialog, `Pour ${NAME}`);
      await expectText(dialog.locator('.prep-services'), chosen[0]);
      await expectText(dialog.locator('.prep-services'), chosen[1]);
      assert(!(await dialog.locator('#prep-health').isChecked()), 'la case « informations de santé » est cochée par défaut');
      await expectText(dialog.locator('#prep-health-warning'), 'Les informations de santé sont sensibles');
      assert((await dialog.locator('#prep-delay').inputValue()) === '30', 'le délai de suivi ne vient pas des paramètres');
      await expectText(dialog.locator('.worker'), `${WORKER}, EDAS ${EDAS}, tél. ${PHONE}`);
      await dialog.locator('#prep-message').fill(MESSAGE);
      await shot(page, env, '3-preparation');
      await dialog.getByRole('button', { name: 'Préparer la fiche' }).click();

      // The preview: Go's layout in HTML.
      await expectText(dialog.locator('#sheet-title'), 'Fiche d’orientation');
      const sheet = preview(page);
      await expectText(sheet, 'Votre fiche d’orientation');
      await expectText(sheet, `Pour : ${NAME}`);
      await expectText(sheet, MESSAGE);
      await expectText(sheet, `1. ${chosen[0]}`);
      await expectText(sheet, `2. ${chosen[1]}`);
      const workerBlock = sheet.locator('dl', { hasText: 'Votre interlocuteur' });
      await expectText(workerBlock, `${WORKER}, EDAS ${EDAS}`);
      await expectText(workerBlock, `Tél. ${PHONE}`);
      // Opening hours in French sentences (« Le mardi, de 14 h à 18 h. »), never the raw syntax.
      const when = await sheet.locator('dl', { hasText: 'Quand' }).allInnerTexts();
      assert(when.length > 0, 'aucun horaire sur la fiche');
      assert(when.some((t) => /\b\d{1,2} h\b/.test(t) && /(lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)/.test(t)), `horaires pas en français : ${when.join(' | ')}`);
      assert(!when.some((t) => /\b(Mo|Tu|We|Th|Fr|Sa|Su)\b.*\d{2}:\d{2}/.test(t)), `horaires bruts sur la fiche : ${when.join(' | ')}`);
      await expectText(sheet.locator('.page').first(), /Page 1 sur \d/);
      assert((await statuses(page)).every((s) => s.endsWith('Brouillon')), `statuts avant remise : ${await statuses(page)}`);
      await axe(page, 'Aperçu de la fiche');
      await shot(page, env, '4-apercu');

      // « Ouvrir pour imprimer »: Go writes the PDF in the data folder; read it back.
      await dialog.getByRole('button', { name: 'Ouvrir pour imprimer' }).click();
      await expectText(page.locator('.toasts'), /La fiche est (ouverte dans le lecteur PDF|enregistrée, mais aucun lecteur PDF)/);
      const ask = dialog.locator('.give');
      await expectText(ask, 'La fiche a-t-elle été remise à la personne ?');
      const text = await waitUntil(() => {
        try {
          return pdfText(env, 'fiche-');
        } catch {
          return '';
        }
      }, 'le PDF de la fiche n’a pas été écrit dans le dossier « fiches »');
      for (const want of ['Votre fiche d’orientation', chosen[0], chosen[1], WORKER, `EDAS ${EDAS}`, `Tél. ${PHONE}`, 'Votre interlocuteur', 'Page 1 sur']) {
        assert(text.includes(want), `le PDF ne contient pas « ${want} » : ${text.slice(0, 600)}`);
      }
      assert(/[éèàçô’«»]/.test(text) && text.includes('Hélène'), 'les accents ne sont pas dans le PDF');
      const printed = pdfPages(env, 'fiche-');
      const shown = (await sheet.locator('.page').allInnerTexts()).map((p) => p.replace(/\s+/g, ' '));
      assert(shown.length === printed.length, `l’aperçu a ${shown.length} page(s), le PDF ${printed.length}`);
      for (const want of [`1. ${chosen[0]}`, `2. ${chosen[1]}`, 'Votre interlocuteur']) {
        assert(pageOf(shown, want) === pageOf(printed, want), `« ${want} » est page ${pageOf(shown, want) + 1} de l’aperçu, page ${pageOf(printed, want) + 1} du PDF`);
      }
      await shot(page, env, '5-remise-question');

      await ask.getByRole('button', { name: 'Marquer comme remise' }).click();
      await expectText(page.locator('.toasts'), /Fiche remise : à revoir le/);
      await waitUntil(async () => (await statuses(page)).every((s) => s.endsWith('Remise')), async () => `statuts après remise : ${await statuses(page)}`);
      await shot(page, env, '6-remise');
      await dialog.getByRole('button', { name: 'Fermer' }).first().click();
      await waitUntil(async () => !(await dialog.isVisible()), 'la fenêtre de la fiche ne se ferme pas');

      // Given today, due in 30 days: not in « À revoir » yet, but among the recent sheets.
      await page.keyboard.press('Alt+5');
      const due = page.locator('#panel-arevoir');
      await expectText(due, 'Fiches récentes');
      await expectText(due.locator('table.recent'), NAME);
      await expectText(due, 'Rien à revoir aujourd’hui');
      const listed = (await due.locator('.due-list').count()) ? await due.locator('.due-list').innerText() : '';
      assert(!listed.includes(chosen[0]) && !listed.includes(chosen[1]), `« À revoir » montre une orientation avant sa date : ${listed}`);
      assert((await page.locator('#tab-arevoir .tab-count').count()) === 0, 'l’onglet « À revoir » compte une orientation avant sa date');
    },
  },
  {
    name: 'au prochain entretien : un non-recours « Horaires », l’autre reportée à aujourd’hui apparaît dans « À revoir » ; le dossier montre les deux',
    timeout: 120_000,
    async run({ page, env }) {
      assert(chosen.length === 2, 'le test précédent n’a pas préparé de fiche');
      await openUsager(page, NAME);
      const file = panel(page);
      const refs = file.locator('section', { has: page.locator('#ref-title') });
      await expectText(refs, chosen[0]);
      await expectText(refs, chosen[1]);
      assert((await refs.locator('.badge', { hasText: 'Remise' }).count()) === 2, 'le dossier ne montre pas deux orientations remises');

      // The next interview recalls them at the top of its first domain.
      await file.getByRole('button', { name: 'Nouvel entretien' }).click();
      await expectText(file.locator('h1'), `Entretien avec ${NAME}`);
      await expectText(file.locator('.open-refs-entry'), '2 orientations en cours');
      await file.locator('.open-refs-entry').click();
      const open = file.locator('section.open-refs');
      await waitUntil(() => page.evaluate(() => document.activeElement?.id === 'open-refs-title'), '« Orientations en cours » n’a pas le focus');
      await expectText(open, chosen[0]);
      await expectText(open, chosen[1]);
      const first = open.locator('li.ref', { hasText: chosen[0] });
      const second = open.locator('li.ref', { hasText: chosen[1] });

      // Non-recours: the reason is asked for first, then « Horaires ».
      await first.getByRole('button', { name: `Non-recours : ${chosen[0]}` }).click();
      await waitUntil(() => page.evaluate(() => document.activeElement?.tagName === 'SELECT'), 'le motif n’a pas le focus');
      await first.getByRole('button', { name: 'Enregistrer le non-recours' }).click();
      await expectText(first.locator('.field-error'), 'Choisissez le motif du non-recours');
      await first.getByLabel('Motif').selectOption({ label: 'Horaires' });
      await first.getByLabel(/Précisions/).fill('Les horaires tombent pendant son travail');
      await shot(page, env, '7-non-recours');
      await first.getByRole('button', { name: 'Enregistrer le non-recours' }).click();
      await expectText(page.locator('.toasts'), 'non-recours enregistré (Horaires)');
      await expectText(first.locator('.badge'), 'Non-recours');

      // « Annuler » asks first; kept.
      await second.getByRole('button', { name: `Annuler l’orientation vers ${chosen[1]}` }).click();
      const confirm = page.getByRole('dialog', { name: 'Annuler cette orientation ?' });
      await expectText(confirm, chosen[1]);
      await confirm.getByRole('button', { name: 'Garder l’orientation' }).click();
      await expectText(second.locator('.badge'), 'Remise');

      // Still in the future: not due. Then « Reporter » to today.
      await page.keyboard.press('Alt+5');
      await expectText(page.locator('#panel-arevoir'), 'Rien à revoir aujourd’hui');
      await page.keyboard.press('Alt+2');
      await second.getByRole('button', { name: `Reporter : ${chosen[1]}` }).click();
      await second.getByLabel('Nouvelle date de suivi').fill(today());
      await second.getByRole('button', { name: 'Reporter', exact: true }).click();
      await expectText(page.locator('.toasts'), 'à revoir aujourd’hui');
      await expectText(second, 'à revoir aujourd’hui');
      await shot(page, env, '8-entretien-orientations');

      // Due today: « À revoir » shows it (and only it), and its tab counts it.
      await expectText(page.locator('#tab-arevoir .tab-count'), '1');
      await page.keyboard.press('Alt+5');
      const due = page.locator('#panel-arevoir');
      const item = due.locator('.due-list > li');
      await expectText(item, chosen[1]);
      await expectText(item, NAME);
      await expectText(item, 'à revoir aujourd’hui');
      assert((await item.count()) === 1, `« À revoir » montre ${await item.count()} orientations`);
      assert(!(await due.locator('.due-list').innerText()).includes(chosen[0]), 'le non-recours est encore à revoir');
      await axe(page, 'À revoir');
      await shot(page, env, '9-a-revoir');

      // The file: both, with their statuses and the non-recours' reason in the history.
      await openUsager(page, NAME);
      const refs2 = panel(page).locator('section', { has: page.locator('#ref-title') });
      const r1 = refs2.locator('li.ref', { hasText: chosen[0] });
      const r2 = refs2.locator('li.ref', { hasText: chosen[1] });
      await expectText(r1.locator('.badge'), 'Non-recours');
      await expectText(r2.locator('.badge'), 'Remise');
      await r1.locator('summary').click();
      await expectText(r1.locator('.history'), 'Non-recours — Horaires : Les horaires tombent pendant son travail');
      await refs2.screenshot({ path: path.join(env.out, 'i-referral-10-dossier-orientations.png') });

      // Recorded from « À revoir »: « Réalisée » empties the list.
      await page.keyboard.press('Alt+5');
      await due.locator('.due-list > li').getByRole('button', { name: `Réalisée : ${chosen[1]}` }).click();
      await expectText(page.locator('.toasts'), 'orientation réalisée');
      await expectText(due, 'Rien à revoir aujourd’hui');
      await waitUntil(async () => (await page.locator('#tab-arevoir .tab-count').count()) === 0, 'l’onglet compte encore une orientation');
      await axe(page, 'À revoir (vide)');
    },
  },
  {
    name: 'fiche depuis l’Annuaire pour une personne non enregistrée : le panier, la santé décochée, la remise ; rouverte depuis les fiches récentes',
    timeout: 120_000,
    async run({ page, env }) {
      await search(page, 'jardin partagé');
      const results = page.locator('#results-list [role="option"]');
      const detail = page.locator('.col-detail');
      // Two initiatives of different names (an imported directory may repeat a name).
      const names = (await resultNames(page)).map((n) => n.trim());
      const i1 = names.findIndex((n) => n !== names[0]);
      assert(i1 > 0, `pas deux initiatives de noms différents : ${names.join(' | ')}`);
      const [n0, n1] = [names[0], names[i1]];
      const open = async (i, name) => {
        await results.nth(i).click();
        await waitUntil(async () => (await detail.locator('h2').innerText()).trim() === name, `la fiche de « ${name} » ne s’ouvre pas`);
      };
      await open(0, n0);
      await detail.getByRole('button', { name: 'Ajouter à la fiche' }).click();
      const bar = page.getByRole('region', { name: /Fiche en préparation/ });
      await expectText(bar, 'Fiche en préparation : 1 initiative');
      await open(i1, n1);
      await detail.getByRole('button', { name: 'Ajouter à la fiche' }).click();
      await expectText(bar, 'Fiche en préparation : 2 initiatives');
      await expectText(detail, 'Sur la fiche en préparation');
      // Removable from the bar, added again.
      await bar.getByRole('button', { name: `Retirer de la fiche : ${n0}` }).click();
      await expectText(bar, 'Fiche en préparation : 1 initiative');
      await bar.getByRole('button', { name: n1, exact: true }).waitFor();
      await open(0, n0);
      await detail.getByRole('button', { name: 'Ajouter à la fiche' }).click();
      await expectText(bar, 'Fiche en préparation : 2 initiatives');
      await shot(page, env, '11-panier');

      // The reception's « fiche initiative »: a PDF of one service.
      await detail.getByRole('button', { name: 'Fiche initiative (accueil)' }).click();
      await expectText(page.locator('.toasts'), 'fiche initiative');
      const initiative = await waitUntil(() => {
        try {
          return pdfText(env, 'initiative-');
        } catch {
          return '';
        }
      }, 'le PDF de la fiche initiative n’a pas été écrit');
      assert(initiative.includes(n0) && initiative.includes(`Fiche initiative — EDAS ${EDAS}`), `fiche initiative inattendue : ${initiative.slice(0, 300)}`);

      await bar.getByRole('button', { name: 'Préparer la fiche' }).click();
      const dialog = sheetDialog(page);
      await expectText(dialog.locator('#sheet-title'), 'Préparer une fiche d’orientation');
      assert(await dialog.getByLabel(/Personne non enregistrée/).isChecked(), '« Personne non enregistrée » n’est pas choisie par défaut');
      assert(!(await dialog.locator('#prep-health').isChecked()), 'la case « informations de santé » est cochée par défaut');
      await expectText(dialog.locator('.prep-services'), n1);
      await expectText(dialog.locator('.prep-services'), n0);
      await axe(page, 'Préparation de la fiche');
      await dialog.getByRole('button', { name: 'Préparer la fiche' }).click();
      const sheet = preview(page);
      await expectText(sheet, `1. ${n1}`);
      await expectText(sheet, `2. ${n0}`);
      assert(!(await sheet.innerText()).includes('Pour :'), 'la fiche d’une personne non enregistrée porte un nom');
      await expectText(dialog, 'Pour Personne non enregistrée');
      // The preview breaks the pages where the PDF does.
      await dialog.getByRole('button', { name: 'Ouvrir pour imprimer' }).click();
      await expectText(dialog.locator('.give'), 'La fiche a-t-elle été remise à la personne ?');
      const printed = await waitUntil(() => {
        try {
          const pages = pdfPages(env, 'fiche-');
          return pages.some((p) => p.includes(`2. ${n0}`)) ? pages : null;
        } catch {
          return null;
        }
      }, 'le PDF de la fiche de l’accueil n’a pas été écrit');
      const shown = await sheet.locator('.page').allInnerTexts();
      const flat = shown.map((p) => p.replace(/\s+/g, ' '));
      assert(shown.length === printed.length, `l’aperçu a ${shown.length} page(s), le PDF ${printed.length}`);
      for (const want of [`1. ${n1}`, `2. ${n0}`, 'Votre fiche d’orientation', 'Votre interlocuteur']) {
        assert(pageOf(flat, want) === pageOf(printed, want), `« ${want} » est page ${pageOf(flat, want) + 1} de l’aperçu, page ${pageOf(printed, want) + 1} du PDF`);
      }
      await expectText(sheet.locator('.page').last(), `Page ${printed.length} sur ${printed.length}`);

      await dialog.getByRole('button', { name: 'Marquer comme remise' }).click();
      await waitUntil(async () => (await statuses(page)).every((s) => s.endsWith('Remise')), async () => `statuts après remise : ${await statuses(page)}`);
      await dialog.getByRole('button', { name: 'Fermer' }).first().click();
      assert((await page.getByRole('region', { name: /Fiche en préparation/ }).count()) === 0, 'le panier n’est pas vidé après la fiche');

      // Reopened from « Fiches récentes », to print again.
      await page.keyboard.press('Alt+5');
      const row = page.locator('#panel-arevoir table.recent tbody tr').first();
      await expectText(row, 'Personne non enregistrée');
      await expectText(row, n1);
      await row.getByRole('button', { name: /^Rouvrir la fiche/ }).click();
      await expectText(preview(page), `2. ${n0}`);
      assert((await statuses(page)).every((s) => s.endsWith('Remise')), 'les statuts de la fiche rouverte ne sont pas « Remise »');
      assert((await dialog.locator('.give').count()) === 0, '« Marquer comme remise » est proposé pour une fiche déjà remise');
      await shot(page, env, '12-fiche-rouverte');
    },
  },
  {
    name: 'fiche depuis l’Annuaire pour une personne choisie dans la liste des dossiers : brouillon dans son dossier, rouverte de là',
    async run({ page, env }) {
      assert(chosen.length === 2, 'le test de l’entretien n’a pas préparé de fiche');
      await search(page, chosen[0]);
      await page.locator('#results-list [role="option"]').first().click();
      const detail = page.locator('.col-detail');
      await expectText(detail.locator('h2'), chosen[0]);
      await detail.getByRole('button', { name: 'Ajouter à la fiche' }).click();
      await page.getByRole('region', { name: /Fiche en préparation/ }).getByRole('button', { name: 'Préparer la fiche' }).click();
      const dialog = sheetDialog(page);
      await dialog.getByLabel(/Une personne suivie/).check();
      await dialog.locator('#prep-usager-search').fill(NAME);
      await dialog.getByRole('radiogroup', { name: 'Dossier de la personne' }).getByLabel(NAME).check();
      await shot(page, env, '13-preparation-dossier');
      await dialog.getByRole('button', { name: 'Préparer la fiche' }).click();
      await expectText(preview(page), `Pour : ${NAME}`);
      await expectText(preview(page), chosen[0]);
      assert(!(await preview(page).innerText()).includes('1. '), 'une fiche d’une seule initiative la numérote');
      await dialog.getByRole('button', { name: 'Fermer' }).first().click();

      // Not handed over: a draft in the person's file, its sheet reopened from there.
      await openUsager(page, NAME);
      const refs = panel(page).locator('section', { has: page.locator('#ref-title') });
      const sheet = refs.locator('li.sheet').first();
      await expectText(sheet.locator('.badge'), 'Brouillon');
      await expectText(sheet, chosen[0]);
      assert((await refs.locator('li.sheet').count()) === 2, 'le dossier ne montre pas deux fiches');
      await sheet.getByRole('button', { name: /^Voir la fiche/ }).click();
      await expectText(preview(page), `Pour : ${NAME}`);
      await expectText(dialog.locator('.give'), 'Remise à la personne');
    },
  },
];
