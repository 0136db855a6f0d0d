// (h) The usager file and the interview grid, on the real backend: a file opened with consent
// (Go refuses it without), an interview filled in part, the page reloaded and the interview
// resumed where it stopped, the health answers out of the page until their domain is opened,
// the required questions listed before completion, the needs and suggestions, two ticked and
// still ticked after a reload, and the distance travelled after a second interview.
import path from 'node:path';
import { assert, axe, choose, expectDomain, expectText, question, saved, scale, usagersPanel as panel, waitForApp, waitUntil } from './helpers.mjs';

const NAME = `E2E ${Date.now().toString(36).toUpperCase()}`;
const SECRET = 'C’est difficile'; // a health answer (sante-moral)

/** shot saves a capture of a step worth looking at, next to the end-state ones. */
async function shot(page, env, name) {
  await page.screenshot({ path: path.join(env.out, `h-interview-${name}.png`) });
}

/** openFile goes to the Usagers tab and opens the file of the test's person. */
async function openFile(page) {
  await page.keyboard.press('Alt+2');
  const list = panel(page);
  await list.locator('#usager-search').fill(NAME);
  await list.getByRole('button', { name: NAME, exact: true }).click();
  await expectText(list.locator('h1'), NAME);
}

async function pageHasSecret(page) {
  return page.evaluate((s) => document.body.innerHTML.includes(s), SECRET);
}

export const tests = [
  {
    name: 'nouveau dossier : Go refuse sans accord (rien n’est perdu), puis l’ouvre avec ; axe liste et dossier',
    async run({ page, env }) {
      await page.keyboard.press('Alt+2');
      await expectText(panel(page).locator('h1'), 'Usagers');
      await axe(page, 'Liste des usagers');
      await page.keyboard.press('Alt+n');
      const form = panel(page);
      await expectText(form.locator('h1'), 'Nouveau dossier');
      await expectText(form.locator('.consent'), 'À lire à la personne');
      await expectText(form.locator('.consent'), 'J’accepte que l’EDAS conserve ce dossier');
      await form.locator('#u-name').fill(NAME);
      await form.locator('#u-year').fill('1979');
      await form.locator('#u-commune').fill('nanterre');
      await form.locator('#u-commune').press('Enter');
      await form.locator('#u-household').selectOption('seul');
      await form.getByRole('button', { name: 'Ouvrir le dossier' }).click();
      const summary = form.locator('.error-summary');
      await expectText(summary, 'Un dossier ne peut être ouvert qu’avec l’accord de la personne');
      await waitUntil(() => page.evaluate(() => document.activeElement?.classList.contains('error-summary')), 'le résumé des erreurs n’a pas le focus');
      assert((await form.locator('#u-name').inputValue()) === NAME, 'le nom saisi a été perdu');
      assert((await form.locator('#u-year').inputValue()) === '1979', 'l’année saisie a été perdue');
      await shot(page, env, '1-refus-sans-accord');
      await summary.getByRole('link').first().click();
      await waitUntil(() => page.evaluate(() => document.activeElement?.id === 'u-consent'), 'le lien de l’erreur ne mène pas à la case d’accord');
      await page.keyboard.press('Space');
      await form.getByRole('button', { name: 'Ouvrir le dossier' }).click();
      await expectText(form.locator('h1'), NAME);
      await expectText(form.locator('.identity'), 'Nanterre');
      await expectText(form.locator('.identity'), 'Vit seul·e');
      await expectText(form.locator('.consent'), /Accord donné le .* Conservé jusqu’au/);
      await axe(page, 'Dossier');
      await shot(page, env, '2-dossier');
      // Back to the list: the new file is there.
      await form.getByRole('navigation', { name: 'Fil d’Ariane' }).getByRole('button', { name: 'Usagers' }).click();
      await expectText(form.locator('table.files'), NAME);
      await shot(page, env, '0-liste');
    },
  },
  {
    name: 'entretien : réponses enregistrées, page rechargée, reprise au bon domaine ; la santé hors de la page tant qu’elle n’est pas ouverte',
    timeout: 120_000,
    async run({ page, env }) {
      await openFile(page);
      await panel(page).getByRole('button', { name: 'Nouvel entretien' }).click();
      await expectText(panel(page).locator('h1'), `Entretien avec ${NAME}`);
      await expectDomain(page, 'Situation et ressources');
      await expectText(panel(page).locator('.iv-progress'), '0 domaine sur 10');

      // A health answer, in its domain: the calm notice is there.
      await panel(page).getByRole('navigation', { name: 'Domaines de l’entretien' }).getByRole('button', { name: /Santé/ }).click();
      await expectDomain(page, 'Santé');
      await expectText(panel(page).locator('.sensitive-note'), 'Réponses facultatives, gardées à part, jamais imprimées sans votre accord');
      await choose(page, 'sante-moral', SECRET);
      await shot(page, env, '3-sante');

      // Liens: a scale (keys 1–5 too), a yes/no that reveals a question, a multiple choice, a text.
      await panel(page).getByRole('navigation', { name: 'Domaines de l’entretien' }).getByRole('button', { name: /Liens sociaux/ }).click();
      await expectDomain(page, 'Liens sociaux et isolement');
      await waitUntil(async () => !(await pageHasSecret(page)), 'la réponse de santé reste dans la page après avoir quitté le domaine');
      await scale(page, 'liens-auto', 4);
      await page.keyboard.press('2'); // the focused scale takes the key
      await waitUntil(() => question(page, 'liens-auto').locator('input[data-group="person"][value="2"]').isChecked(), 'la touche 2 ne donne pas la note 2');
      await saved(page, 'liens-auto');
      assert((await question(page, 'liens-aide').count()) === 0, 'la question conditionnelle est affichée trop tôt');
      await choose(page, 'liens-soutien', 'Non');
      await question(page, 'liens-aide').waitFor({ state: 'visible' });
      await choose(page, 'liens-aide', 'Un lieu pour se poser et discuter');
      await choose(page, 'liens-aide', 'Une activité à plusieurs, dehors, comme jardiner');
      await question(page, 'liens-envie').locator('input').pressSequentially('Jardiner avec des voisins', { delay: 15 });
      await saved(page, 'liens-envie');
      await expectText(panel(page).locator('.iv-progress'), /[12] domaines? sur 10/);
      await shot(page, env, '4-liens');

      // Reload: everything comes back from Go.
      await page.reload();
      await waitForApp(page);
      await page.keyboard.press('Alt+2');
      const row = panel(page).locator('table.files tr', { hasText: NAME });
      await expectText(row, 'Entretien en cours');
      await shot(page, env, '4b-liste-en-cours');
      await openFile(page);
      await panel(page).getByRole('button', { name: /^Reprendre l’entretien du/ }).click();
      await expectDomain(page, 'Liens sociaux et isolement'); // where it stopped
      await shot(page, env, '4c-reprise');
      assert(await question(page, 'liens-auto').locator('input[data-group="person"][value="2"]').isChecked(), 'la note 2 n’est pas revenue');
      assert(await question(page, 'liens-soutien').locator('input[value="non"]').isChecked(), 'le « Non » n’est pas revenu');
      assert(await question(page, 'liens-aide').locator('input[value="se-poser"]').isChecked(), 'le premier choix n’est pas revenu');
      assert(await question(page, 'liens-aide').locator('input[value="jardiner"]').isChecked(), 'le second choix n’est pas revenu');
      const text = await question(page, 'liens-envie').locator('input').inputValue();
      assert(text === 'Jardiner avec des voisins', `le texte revenu est « ${text} »`);

      // The health answer is not in the page until its domain is opened, and leaves with it.
      assert(!(await pageHasSecret(page)), 'la réponse de santé est dans la page avant d’ouvrir le domaine');
      await panel(page).getByRole('navigation', { name: 'Domaines de l’entretien' }).getByRole('button', { name: /Santé/ }).click();
      await expectDomain(page, 'Santé');
      await waitUntil(() => question(page, 'sante-moral').locator('input[value="difficile"]').isChecked(), 'la réponse de santé n’est pas chargée à l’ouverture du domaine');
      await page.keyboard.press('Alt+ArrowLeft');
      await expectDomain(page, 'Réseau et emploi');
      await waitUntil(async () => !(await pageHasSecret(page)), 'la réponse de santé reste dans la page après Alt+←');
      await axe(page, 'Entretien');
    },
  },
  {
    name: 'terminer : questions obligatoires listées avec liens, domaines au clavier, besoins et suggestions, deux cochées qui le restent',
    timeout: 150_000,
    async run({ page, env }) {
      await openFile(page);
      await panel(page).getByRole('button', { name: /^Reprendre l’entretien du/ }).click();
      // It reopens on the last domain the worker opened (Alt+← from Santé, at the end of the
      // previous test), not merely the last one answered.
      await expectDomain(page, 'Réseau et emploi');

      // Go refuses to complete and lists what is missing, each a link to its question.
      await panel(page).locator('.iv-head').getByRole('button', { name: 'Terminer l’entretien' }).click();
      const summary = panel(page).locator('.error-summary');
      await expectText(summary, /questions obligatoires attendent une réponse/);
      await expectText(summary, 'Pour vos ressources et votre budget, où en êtes-vous aujourd’hui ?');
      await shot(page, env, '5-questions-obligatoires');
      await summary.getByRole('link', { name: 'Pour vos ressources et votre budget, où en êtes-vous aujourd’hui ?' }).click();
      await expectDomain(page, 'Situation et ressources');
      await waitUntil(() => page.evaluate(() => !!document.activeElement?.closest('#q-situation-auto')), 'le lien ne mène pas à la question');

      // Situation, with the keyboard: a note by its key, then Alt+→ to the next domain.
      await page.keyboard.press('3');
      await saved(page, 'situation-auto');
      await choose(page, 'situation-emploi', 'Je cherche un travail');
      await page.keyboard.press('Alt+ArrowRight');
      await expectDomain(page, 'Liens sociaux et isolement');
      await page.keyboard.press('Control+PageDown');
      await expectDomain(page, 'Réseau et emploi');
      await scale(page, 'reseau-auto', 2);
      await page.keyboard.press('Alt+ArrowRight');
      await expectDomain(page, 'Santé');
      await page.keyboard.press('Alt+ArrowRight');
      await expectDomain(page, 'Alimentation');
      await scale(page, 'alimentation-auto', 2);
      await panel(page).getByRole('button', { name: 'Domaine suivant →' }).click();
      await expectDomain(page, 'Logement');
      await scale(page, 'logement-auto', 3);
      await choose(page, 'logement-situation', 'Locataire');
      await question(page, 'logement-foyer').locator('input').fill('2');
      await saved(page, 'logement-foyer');
      await page.keyboard.press('Alt+ArrowRight');
      await expectDomain(page, 'Mobilité');
      await scale(page, 'mobilite-auto', 4);
      await page.keyboard.press('Alt+ArrowRight');
      await expectDomain(page, 'Numérique');
      await scale(page, 'numerique-auto', 4);
      await page.keyboard.press('Alt+ArrowRight');
      await expectDomain(page, 'Ce que vous aimeriez donner');
      await scale(page, 'donner-auto', 3);
      await page.keyboard.press('Alt+ArrowRight');
      await expectDomain(page, 'Ce que vous attendez des services publics');
      await scale(page, 'attentes-auto', 2);
      await expectText(summary, 'Toutes les questions obligatoires ont une réponse');

      // Next meeting.
      const next = new Date(Date.now() + 21 * 86400_000).toISOString().slice(0, 10);
      await panel(page).locator('#iv-next').fill(next);
      await expectText(panel(page).locator('#iv-next-status'), 'Enregistré');

      await panel(page).locator('.finish').getByRole('button', { name: 'Terminer l’entretien' }).click();
      await expectText(page.locator('.toasts'), 'Entretien terminé');
      const needs = panel(page).locator('.needs');
      await expectText(needs.locator('#needs-title'), 'Besoins et suggestions');
      await expectText(needs.locator('.need-list'), 'Liens sociaux et isolement');
      await expectText(needs.locator('.need-list'), '« Jardiner avec des voisins »');
      assert(!(await pageHasSecret(page)), 'les besoins montrent la santé sans qu’on l’ait demandé');
      await shot(page, env, '6a-besoins');
      const suggestions = needs.locator('.sugg-list > li');
      await suggestions.first().waitFor({ state: 'visible', timeout: 30_000 });
      const n = await suggestions.count();
      assert(n >= 2, `moins de deux suggestions (${n})`);
      const names = await needs.locator('.sugg-name').allInnerTexts();
      await suggestions.nth(0).locator('label.pick').click();
      await suggestions.nth(1).locator('label.pick').click();
      await expectText(needs.locator('.ticked-count'), '2 à proposer à la personne');
      await shot(page, env, '6-besoins-suggestions');
      await axe(page, 'Besoins et suggestions');

      // Reload: still ticked, in the interview and on the file.
      await page.reload();
      await waitForApp(page);
      await openFile(page);
      await expectText(panel(page).locator('#sel-title').locator('..'), names[0]);
      await expectText(panel(page).locator('#sel-title').locator('..'), names[1]);
      await panel(page).getByRole('button', { name: /^Voir l’entretien du/ }).click();
      await expectText(panel(page).locator('.iv-head'), 'Terminé');
      await panel(page).getByRole('button', { name: 'Besoins et suggestions' }).first().click();
      await suggestions.first().waitFor({ state: 'visible', timeout: 30_000 });
      for (const name of names.slice(0, 2)) {
        const item = needs.locator('.sugg-list > li', { has: page.locator('.sugg-name', { hasText: name }) });
        assert(await item.locator('input[type="checkbox"]').isChecked(), `« ${name} » n’est plus cochée après rechargement`);
      }
      await expectText(needs.locator('.ticked-count'), '2 à proposer à la personne');

      // « Voir la fiche » opens the service in the Annuaire.
      await needs.locator('.sugg-list > li').first().getByRole('button', { name: /^Voir la fiche/ }).click();
      await expectText(page.getByRole('tab', { selected: true }), 'Annuaire');
      await expectText(page.locator('.col-detail h2'), names[0]);
    },
  },
  {
    name: 'correction après la fin, puis un deuxième entretien : « La dernière fois » et la distance parcourue',
    timeout: 120_000,
    async run({ page, env }) {
      await openFile(page);
      // A correction of the completed interview is said so, and its former value kept.
      await panel(page).getByRole('button', { name: /^Voir l’entretien du/ }).click();
      await panel(page).getByRole('navigation', { name: 'Domaines de l’entretien' }).getByRole('button', { name: /Mobilité/ }).click();
      await expectDomain(page, 'Mobilité');
      await question(page, 'mobilite-auto').getByRole('button', { name: /^Corriger/ }).click();
      await question(page, 'mobilite-auto').locator('label.scale-btn:has(input[data-group="person"][value="3"])').click();
      await expectText(question(page, 'mobilite-auto').locator('.status'), 'Correction enregistrée');
      await expectText(question(page, 'mobilite-auto').locator('.history'), 'Avant correction : 4 sur 5');
      await shot(page, env, '7-correction');

      // A second interview: the first one's answers beside the questions.
      await panel(page).getByRole('navigation', { name: 'Fil d’Ariane' }).getByRole('button', { name: NAME }).click();
      await expectText(panel(page).locator('#journey-title').locator('..'), 'apparaîtra après un deuxième entretien');
      await panel(page).getByRole('button', { name: 'Nouvel entretien' }).click();
      await expectText(panel(page).locator('.iv-head'), 'En cours');
      await panel(page).getByRole('navigation', { name: 'Domaines de l’entretien' }).getByRole('button', { name: /Liens sociaux/ }).click();
      await expectText(question(page, 'liens-auto').locator('.previous'), /La dernière fois \(.+\) : 2 sur 5/);
      await scale(page, 'liens-auto', 4);
      await panel(page).getByRole('navigation', { name: 'Domaines de l’entretien' }).getByRole('button', { name: /Logement/ }).click();
      await scale(page, 'logement-auto', 2);
      await shot(page, env, '8-suivi-derniere-fois');
      await axe(page, 'Entretien (suivi)');

      await panel(page).getByRole('navigation', { name: 'Fil d’Ariane' }).getByRole('button', { name: NAME }).click();
      const chart = panel(page).locator('.journey');
      await chart.waitFor({ state: 'visible' });
      const liens = chart.locator('.chart .row', { hasText: 'Liens sociaux et isolement' });
      await expectText(liens, 'en hausse de 2');
      assert((await liens.locator('.line.up').count()) === 1, 'pas de flèche verte pour les liens');
      const logement = chart.locator('.chart .row', { hasText: 'Logement' });
      await expectText(logement, 'en baisse de 1');
      assert((await logement.locator('.line.down').count()) === 1, 'pas de flèche orange pour le logement');
      const table = await chart.locator('table').innerText();
      assert(/Liens sociaux et isolement\s+2 sur 5, le .+\s+4 sur 5, le .+\s+en hausse de 2/.test(table), `le tableau pour les lecteurs d’écran ne dit pas la hausse : ${table}`);
      await panel(page).locator('#journey-title').locator('..').screenshot({ path: path.join(env.out, 'h-interview-9-distance-parcourue.png') });
      await axe(page, 'Dossier avec la distance parcourue');
    },
  },
  {
    name: 'les grilles d’entretien dans Importer / exporter',
    async run({ page, env }) {
      await page.keyboard.press('Alt+3');
      const grids = page.locator('#panel-import section', { has: page.locator('#grids-title') });
      await expectText(grids, 'Grille EDAS');
      await expectText(grids, 'en usage');
      await expectText(grids, 'fournie avec Passerelle');
      await grids.screenshot({ path: path.join(env.out, 'h-interview-grilles.png') });
    },
  },
  {
    name: 'supprimer le dossier à la demande de la personne',
    async run({ page, env }) {
      await openFile(page);
      await panel(page).getByRole('button', { name: 'Supprimer le dossier' }).click();
      const dialog = page.getByRole('dialog');
      await expectText(dialog, `Supprimer le dossier de ${NAME} ?`);
      await expectText(dialog, 'ses 2 entretiens et toutes leurs réponses, santé comprise');
      await dialog.getByRole('button', { name: 'Supprimer le dossier' }).click();
      await expectText(page.locator('.toasts'), 'Dossier supprimé');
      await panel(page).locator('#usager-search').fill(NAME);
      await expectText(panel(page), `Aucun dossier ne correspond à « ${NAME} »`);
    },
  },
];
