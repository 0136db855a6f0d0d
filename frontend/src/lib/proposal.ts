// The « Proposer une initiative » form: its state, the Proposal sent to Go, and Go's message
// split into a readable list.
import type { Proposal } from '../api';
import type { CommuneValue } from './query';

export interface ProposalForm {
  nom: string;
  structureNom: string;
  description: string;
  categorie: string;
  thematiques: string[];
  themesTouched: boolean; // the worker changed the thématiques: the category no longer sets them
  publics: string[];
  frais: '' | 'gratuit' | 'payant';
  fraisPrecisions: string;
  modes: string[];
  adresse: string;
  commune: CommuneValue | null;
  telephone: string;
  courriel: string;
  siteWeb: string;
  horaires: string;
  conditions: string;
  contact: string;
  peutDonner: boolean;
  transport: string;
}

export function emptyProposal(): ProposalForm {
  return {
    nom: '', structureNom: '', description: '', categorie: '', thematiques: [], themesTouched: false,
    publics: [], frais: '', fraisPrecisions: '', modes: ['en-presentiel'], adresse: '', commune: null,
    telephone: '', courriel: '', siteWeb: '', horaires: '', conditions: '', contact: '',
    peutDonner: false, transport: '',
  };
}

/** Examples of opening hours in the OpenStreetMap syntax, offered as one-click fills. */
export const HOURS_EXAMPLES = [
  { value: 'Mo-Fr 09:00-12:00,14:00-17:00', label: 'du lundi au vendredi, 9 h–12 h et 14 h–17 h' },
  { value: 'Tu,Th 14:00-18:00', label: 'mardi et jeudi, 14 h–18 h' },
  { value: 'Sa 10:00-12:00; PH off', label: 'samedi 10 h–12 h, fermé les jours fériés' },
];

/** toProposal builds what Directory.Propose receives (Go trims and checks everything again). */
export function toProposal(f: ProposalForm): Proposal {
  const t = (s: string) => s.trim();
  return {
    nom: t(f.nom),
    structure_nom: t(f.structureNom),
    description: t(f.description),
    categorie: f.categorie,
    thematiques: [...f.thematiques],
    publics: [...f.publics],
    frais: f.frais,
    frais_precisions: t(f.fraisPrecisions),
    modes_accueil: [...f.modes],
    adresse: t(f.adresse),
    commune: f.commune ? f.commune.code || t(f.commune.text) : '',
    telephone: t(f.telephone),
    courriel: t(f.courriel),
    site_web: t(f.siteWeb),
    horaires: t(f.horaires),
    conditions_acces: t(f.conditions),
    contact_nom_prenom: t(f.contact),
    peut_donner: f.peutDonner,
    acces_transport: t(f.transport),
  };
}

/**
 * splitProblems turns Go's « La proposition ne peut pas être enregistrée : a ; b ; c. » into its
 * introduction and the list of problems (repeated ones once), each starting with a capital.
 */
export function splitProblems(message: string): { intro: string; problems: string[] } {
  const i = message.indexOf(' : ');
  if (i < 0) return { intro: message, problems: [] };
  const intro = message.slice(0, i).trim() + '.';
  const rest = message.slice(i + 3).trim().replace(/\.$/, '');
  const problems: string[] = [];
  for (const p of rest.split(' ; ')) {
    const s = p.trim();
    if (!s) continue;
    const cap = s.charAt(0).toUpperCase() + s.slice(1);
    if (!problems.includes(cap)) problems.push(cap);
  }
  return { intro, problems };
}

// Go names the faulty field at the start of each problem (« courriel : … »); this is where each
// field is on the form.
const FIELD_IDS: [RegExp, string][] = [
  [/^nom\b/i, 'p-nom'],
  [/^description\b/i, 'p-desc'],
  [/^t[ée]l[ée]phone\b/i, 'p-tel'],
  [/^courriel\b/i, 'p-mail'],
  [/^site_web\b/i, 'p-site'],
  [/^horaires/i, 'p-horaires'],
  [/^(complement_)?adresse\b/i, 'p-adresse'],
  [/^frais_precisions\b/i, 'p-frais-prec'],
  [/^conditions_acces\b/i, 'p-cond'],
  [/^contact_nom_prenom\b/i, 'p-contact'],
  [/^(passerelle_)?acces_transport\b/i, 'p-transport'],
  [/^cat[ée]gorie\b/i, 'p-cat-first'],
  [/commune|code postal|code insee/i, 'p-commune'],
];

/** problemField returns the id of the form field a problem is about, or null. */
export function problemField(problem: string): string | null {
  for (const [re, id] of FIELD_IDS) if (re.test(problem.trim())) return id;
  return null;
}
