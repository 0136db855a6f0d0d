// (j) The desk's sync screens, on the real backend: the header's status on a desk never enrolled;
// Paramètres → Synchronisation and its enrolment form; a bad address and a bad code refused in
// French; « Signaler une erreur » in the Annuaire, whose report waits as one more change to send.
// When scripts/e2e.sh started a passerelle-server (SYNC_SERVER_URL), a real enrolment with a code
// from its command line, the first sync, the header turning to « Synchronisé », the report found
// among the server's suggestions, then the device revoked by the administrator (the red notice,
// the form again) and enrolled anew.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { assert, axe, expectText, search, waitUntil } from './helpers.mjs';

const exec = promisify(execFile);

const server = {
  url: process.env.SYNC_SERVER_URL ?? '',
  bin: process.env.SYNC_SERVER_BIN ?? '',
  dataDir: process.env.SYNC_SERVER_DATA_DIR ?? '',
};
const SITE = 'EDAS de Nanterre';
const REPORT = `Le téléphone ne répond plus (signalé par l’essai ${Date.now().toString(36)}).`;

/** admin runs a passerelle-server administration command on the running server's data and reads its JSON. */
async function admin(...args) {
  const { stdout } = await exec(server.bin, [...args, '--json', '--data-dir', server.dataDir], { timeout: 20_000 });
  return JSON.parse(stdout);
}

let siteID = '';

/** newCode prints a fresh enrolment code for the test's site (created once). */
async function newCode() {
  if (!siteID) siteID = (await admin('site', 'add', '--name', SITE)).id;
  return (await admin('enroll', '--site', siteID)).code;
}

async function shot(page, env, name, locator) {
  const file = path.join(env.out, `j-sync-${name}.png`);
  await (locator ?? page).screenshot({ path: file });
  return file;
}

const indicator = (page) => page.locator('.topbar .sync-ind');
const indicatorText = (page) => indicator(page).locator('.text');
const settings = (page) => page.getByRole('dialog', { name: 'Paramètres' });
const syncSection = (page) => settings(page).locator('#sync-section');

/** openSync opens Paramètres at Synchronisation from the header's status, as a worker would. */
async function openSync(page) {
  await indicator(page).click();
  await syncSection(page).waitFor({ state: 'visible' });
  await waitUntil(() => page.evaluate(() => document.activeElement?.id === 'settings-sync'), 'le focus n’est pas sur le titre « Synchronisation »');
}

async function closeSettings(page) {
  await page.keyboard.press('Escape');
  await waitUntil(async () => !(await settings(page).isVisible()), 'Échap ne ferme pas les paramètres');
}

/** pending reads « 3 modifications en attente d’envoi » in the sync section (0 for « Aucune »). */
async function pending(page) {
  const s = (await syncSection(page).locator('#sync-pending').innerText()).replace(/\s/g, '');
  if (s.startsWith('Aucune')) return 0;
  const m = /^(\d+)modifications?/.exec(s);
  assert(m, `nombre de modifications en attente illisible : « ${s} »`);
  return Number(m[1]);
}

/** enrol fills the enrolment form and sends it. */
async function enrol(page, url, code) {
  const sec = syncSection(page);
  await sec.locator('#sync-server').fill(url);
  await sec.locator('#sync-code').fill(code);
  await sec.getByRole('button', { name: 'Inscrire ce poste' }).click();
}

/** enrolError waits for the French error of the enrolment form and returns it. */
async function enrolError(page, pattern, field) {
  const err = syncSection(page).locator('#sync-enrol-error');
  const text = await expectText(err, pattern);
  if (field) {
    await waitUntil(async () => (await syncSection(page).locator(`#${field}`).getAttribute('aria-invalid')) === 'true', `le champ ${field} n’est pas marqué en erreur`);
  }
  return text;
}

export const tests = [
  {
    name: 'poste jamais inscrit : « Non synchronisé » dans l’en-tête, qui ouvre Paramètres → Synchronisation ; adresse et code refusés en français ; axe',
    async run({ page, env }) {
      await expectText(indicatorText(page), 'Non synchronisé');
      await shot(page, env, '1-entete-non-synchronise', page.locator('.topbar'));
      await openSync(page);
      const sec = syncSection(page);
      await expectText(sec, 'Ce poste n’est pas encore synchronisé');
      await sec.getByLabel('Adresse du serveur').waitFor();
      await sec.getByLabel('Code d’inscription').waitFor();

      // Addresses Go refuses before any request: not https, plain http to another machine.
      await enrol(page, 'ftp://synchro.exemple.fr', 'MX8C-6HSM-X796-YBS3');
      await enrolError(page, 'L’adresse du serveur doit commencer par https://', 'sync-server');
      await waitUntil(() => page.evaluate(() => document.activeElement?.id === 'sync-server'), 'le focus ne revient pas sur l’adresse refusée');
      await enrol(page, 'http://synchro.exemple.fr', 'MX8C-6HSM-X796-YBS3');
      await enrolError(page, /circuleraient en clair/, 'sync-server');
      // No code at all.
      await enrol(page, 'http://127.0.0.1:9', '');
      await enrolError(page, 'Indiquez le code d’inscription', 'sync-code');
      // Nobody answers at that address.
      await enrol(page, 'http://127.0.0.1:9', 'MX8C-6HSM-X796-YBS3');
      await enrolError(page, /ne répond pas/, 'sync-server');
      if (server.url) {
        // The server's own answers: a code that cannot be one, a code it never printed.
        await enrol(page, server.url, 'ABCD-EFGH');
        await enrolError(page, 'Code d’inscription mal formé', 'sync-code');
        await enrol(page, server.url, 'MX8C-6HSM-X796-YBS3');
        await enrolError(page, 'Code d’inscription inconnu', 'sync-code');
      }
      await axe(page, 'Paramètres → Synchronisation (erreur d’inscription)');
      await shot(page, env, '2-parametres-inscription-erreur');
      await closeSettings(page);
      await expectText(indicatorText(page), 'Non synchronisé');
    },
  },
  {
    name: '« Signaler une erreur » : dialogue (Échap, message vide refusé), envoi, message ; une modification de plus en attente d’envoi',
    async run({ page }) {
      await openSync(page);
      const before = await pending(page);
      await closeSettings(page);

      await search(page, 'epicerie');
      await page.locator('#results-list [role="option"]').first().click();
      const pane = page.locator('.col-detail');
      await expectText(pane.locator('h2'), /\S/);
      const button = pane.getByRole('button', { name: 'Signaler une erreur' });
      await button.click();
      const dialog = page.getByRole('dialog', { name: 'Signaler une erreur' });
      await dialog.waitFor({ state: 'visible' });
      await waitUntil(() => page.evaluate(() => document.activeElement?.id === 'report-message'), 'le focus n’est pas dans le message');
      await page.keyboard.press('Escape');
      await waitUntil(async () => !(await dialog.isVisible()), 'Échap ne ferme pas le signalement');
      await waitUntil(() => page.evaluate(() => document.activeElement?.textContent?.trim() === 'Signaler une erreur'), 'le focus ne revient pas au bouton « Signaler une erreur »');

      await button.click();
      await dialog.waitFor({ state: 'visible' });
      await dialog.getByRole('button', { name: 'Envoyer' }).click();
      await expectText(dialog.locator('.field-error'), 'le message est vide');
      await axe(page, 'Signaler une erreur (message vide)');
      await dialog.getByLabel('Qu’est-ce qui est inexact ?').fill(REPORT);
      await dialog.getByRole('button', { name: 'Envoyer' }).click();
      await expectText(page.locator('.toasts'), 'Signalement enregistré : il partira à la prochaine synchronisation.');
      await waitUntil(async () => !(await dialog.isVisible()), 'le signalement reste ouvert après l’envoi');

      await openSync(page);
      await waitUntil(async () => (await pending(page)) === before + 1, async () => `attendu ${before + 1} modification(s) en attente, vu ${await pending(page)}`);
      if (before === 0) await expectText(syncSection(page).locator('#sync-pending'), '1 modification en attente d’envoi');
      await closeSettings(page);
    },
  },
  {
    name: 'inscription réelle (code du serveur), première synchronisation, « Synchronisé » dans l’en-tête, signalement reçu par le serveur ; poste retiré puis réinscrit',
    timeout: 150_000,
    async run({ page, env }) {
      if (!server.url) {
        throw new Error('pas de passerelle-server (SYNC_SERVER_URL) : scripts/e2e.sh le lance, « make server » le construit');
      }
      await openSync(page);
      await enrol(page, server.url, (await newCode()).toLowerCase()); // typed in lower case: the server reads it all the same
      await expectText(page.locator('.toasts'), `Ce poste est inscrit pour l’EDAS « ${SITE} »`);
      // Enrolled, the desk drops the fictitious demo directory: the département's one comes.
      await waitUntil(async () => !(await page.locator('.statusline').innerText()).includes('Données de démonstration'),
        'la démonstration est encore annoncée après l’inscription');
      const sec = syncSection(page);
      await expectText(sec.locator('.facts'), SITE);
      await expectText(sec.locator('.facts'), server.url);
      await expectText(sec.locator('#sync-last'), /à l’instant|il y a \d+ min/, 60_000);
      await expectText(sec.locator('#sync-pending'), 'Aucune modification en attente d’envoi', 30_000);
      await expectText(sec.locator('#sync-next'), /à \d+ h \d\d|dans un instant/);
      await sec.getByRole('button', { name: 'Synchroniser maintenant' }).click();
      await expectText(sec.locator('#sync-outcome'), /^Synchronisation terminée/, 30_000);
      await axe(page, 'Paramètres → Synchronisation (inscrit)');
      const sectionShot = await shot(page, env, '3-parametres-synchronisation', sec);
      await closeSettings(page);
      await expectText(indicatorText(page), /^Synchronisé (à l’instant|il y a \d+ min)$/, 30_000);
      await shot(page, env, '4-entete-synchronise', page.locator('.topbar'));
      console.log(`     captures : ${sectionShot}`);

      // The report left with the sync: the curators see it on the server.
      const suggestions = await admin('suggestion', 'list');
      assert(JSON.stringify(suggestions).includes(REPORT), 'le signalement n’est pas parmi les suggestions du serveur');

      // The administrator revokes the device: the next sync says so, in red, with the form again.
      const devices = await admin('device', 'list');
      const mine = devices.filter((d) => d.site_id === siteID && !d.revoked_at);
      assert(mine.length === 1, `attendu un poste inscrit pour le site, vu ${mine.length}`);
      await admin('device', 'revoke', mine[0].id);
      await openSync(page);
      await sec.getByRole('button', { name: 'Synchroniser maintenant' }).click();
      await expectText(sec.locator('.revoked'), 'Ce poste a été retiré par l’administrateur : inscrivez-le à nouveau avec un nouveau code', 30_000);
      await waitUntil(async () => (await sec.locator('#sync-server').inputValue()) === server.url, 'l’adresse du serveur n’est pas proposée de nouveau');
      await axe(page, 'Paramètres → Synchronisation (poste retiré)');
      await shot(page, env, '5-poste-retire', sec);
      await closeSettings(page);
      await expectText(indicatorText(page), 'Poste retiré');

      // Enrolled anew with a new code: synced again.
      await openSync(page);
      await sec.locator('#sync-code').fill(await newCode());
      await sec.getByRole('button', { name: 'Inscrire ce poste' }).click();
      await expectText(sec.locator('.facts'), SITE);
      await expectText(sec.locator('#sync-last'), /à l’instant|il y a \d+ min/, 60_000);
      await closeSettings(page);
      await expectText(indicatorText(page), /^Synchronisé/, 30_000);

      // The specs that follow (z-demo) start from a desk with its demo directory: bring it back.
      await page.evaluate(() => window.go.app.Directory.LoadDemo());
      await expectText(page.locator('.statusline'), 'Données de démonstration', 30_000);
    },
  },
];
