// Keyboard shortcuts of the whole window.

export type Shortcut = 'focus-search' | 'help' | 'tab-1' | 'tab-2' | 'tab-3' | 'tab-4' | 'tab-5' | 'new-file' | 'settings';

/**
 * The list the « ? » dialog shows: each entry lists alternatives (« ↓ » or « ↑ »), each
 * alternative the keys pressed together (« Ctrl » + « K »).
 */
export const SHORTCUTS: { keys: string[][]; what: string }[] = [
  { keys: [['/'], ['Ctrl', 'K']], what: 'Aller à la recherche (Ctrl+K même depuis un champ)' },
  { keys: [['Échap']], what: 'Vider la recherche, fermer une fenêtre' },
  { keys: [['↓'], ['↑']], what: 'Choisir une initiative dans les résultats' },
  { keys: [['Page ↓'], ['Page ↑']], what: 'Avancer ou reculer de dix résultats' },
  { keys: [['Début'], ['Fin']], what: 'Premier ou dernier résultat (dans la liste)' },
  { keys: [['Entrée']], what: 'Ouvrir la fiche de l’initiative choisie' },
  { keys: [['Alt', '1']], what: 'Onglet Annuaire' },
  { keys: [['Alt', '2']], what: 'Onglet Usagers' },
  { keys: [['Alt', '3']], what: 'Onglet Importer / exporter' },
  { keys: [['Alt', '4']], what: 'Onglet Proposer une initiative' },
  { keys: [['Alt', '5']], what: 'Onglet À revoir (orientations à suivre)' },
  { keys: [['Alt', '0'], ['Ctrl', ',']], what: 'Paramètres (vos coordonnées sur les fiches)' },
  { keys: [['Alt', 'N']], what: 'Nouveau dossier d’usager' },
  { keys: [['Alt', '→'], ['Ctrl', 'Page ↓']], what: 'Entretien : domaine suivant' },
  { keys: [['Alt', '←'], ['Ctrl', 'Page ↑']], what: 'Entretien : domaine précédent' },
  { keys: [['1…5']], what: 'Entretien : donner la note sur l’échelle choisie' },
  { keys: [['?']], what: 'Afficher cette aide' },
];

/** isEditable says whether keys typed on the element are text (a slash there is a slash). */
export function isEditable(el: EventTarget | null): boolean {
  if (!(el instanceof HTMLElement)) return false;
  if (el.isContentEditable) return true;
  if (el instanceof HTMLTextAreaElement) return !el.readOnly;
  if (el instanceof HTMLInputElement) {
    return !['checkbox', 'radio', 'button', 'submit', 'reset', 'range', 'color', 'file'].includes(el.type);
  }
  return false;
}

/** shortcutOf returns the window shortcut a key press means, or null. */
export function shortcutOf(e: Pick<KeyboardEvent, 'key' | 'code' | 'ctrlKey' | 'metaKey' | 'altKey' | 'shiftKey' | 'target'>): Shortcut | null {
  if ((e.ctrlKey || e.metaKey) && !e.altKey && (e.key === 'k' || e.key === 'K')) return 'focus-search';
  if ((e.ctrlKey || e.metaKey) && !e.altKey && e.key === ',') return 'settings';
  if (e.altKey && !e.ctrlKey && !e.metaKey) {
    // e.code: Alt+1 types other characters on some layouts (AZERTY gives « & » without Shift).
    const digit = /^Digit([0-5])$/.exec(e.code)?.[1] ?? /^Numpad([0-5])$/.exec(e.code)?.[1] ?? (/^[0-5]$/.test(e.key) ? e.key : null);
    if (digit === '0') return 'settings';
    if (digit) return `tab-${digit}` as Shortcut;
    if (e.code === 'KeyN' || e.key === 'n' || e.key === 'N') return 'new-file';
  }
  if (e.ctrlKey || e.metaKey || e.altKey || isEditable(e.target)) return null;
  if (e.key === '/') return 'focus-search';
  if (e.key === '?') return 'help';
  return null;
}
