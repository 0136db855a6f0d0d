// Pure helpers of the Importer / exporter screen.
import type { ImportFormat, ImportReport, Rejection } from '../api';
import { fold } from './communes';
import { formatNumber } from './format';

/**
 * parsePaths reads the file field: one path per line, or several quoted paths on a line (as
 * Windows' « Copier en tant que chemin d’accès » writes them). Blank lines and duplicates go.
 */
export function parsePaths(text: string): string[] {
  const out: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    const quoted = [...line.matchAll(/"([^"]+)"|'([^']+)'/g)].map((m) => (m[1] ?? m[2]).trim());
    const parts = quoted.length > 0 ? quoted : [line.trim()];
    for (const p of parts) if (p && !out.includes(p)) out.push(p);
  }
  return out;
}

/** appendPaths adds paths to the field's text, one per line, without repeating those present. */
export function appendPaths(text: string, paths: string[]): string {
  const have = parsePaths(text);
  const add = paths.map((p) => p.trim()).filter((p) => p && !have.includes(p));
  if (add.length === 0) return text;
  const base = text.replace(/\s+$/, '');
  return (base ? base + '\n' : '') + add.join('\n');
}

/** rejectionKind says how a rejection's position reads: a CSV line or a JSON record number. */
function isCSV(file: string, format: ImportFormat): boolean {
  if (format === 'csv') return true;
  if (format === 'di-json') return false;
  return /\.(csv|txt|tsv)$/i.test(file);
}

/**
 * positionLabel: « ligne 12 » for CSV (Go gives the line), « n° 3 » for JSON (Go gives the
 * 0-based index: the worker counts from 1), « fichier entier » for -1.
 */
export function positionLabel(r: Pick<Rejection, 'file' | 'position'>, format: ImportFormat = 'auto'): string {
  if (r.position < 0) return 'fichier entier';
  if (isCSV(r.file, format)) return `ligne ${formatNumber(r.position)}`;
  if (format === 'di-json' || /\.json$/i.test(r.file)) return `n° ${formatNumber(r.position + 1)}`;
  return `position ${formatNumber(r.position)}`;
}

/** baseName returns the file name of a path (either separator). */
export function baseName(path: string): string {
  return path.split(/[\\/]/).pop() || path;
}

/** filterRejections keeps the rejections whose file, position, identifier or reason contain the text. */
export function filterRejections(list: Rejection[], text: string, format: ImportFormat = 'auto'): Rejection[] {
  const q = fold(text);
  if (!q) return list;
  return list.filter((r) => fold([r.file, positionLabel(r, format), r.id, r.reason].join(' ')).includes(q));
}

/** reportSummary: « 2 nouveaux, 0 mis à jour, 5 inchangés, 1 rejeté ». */
export function reportSummary(rep: ImportReport): string {
  const n = (v: number, one: string, many: string) => `${formatNumber(v)} ${v > 1 ? many : one}`;
  return [
    n(rep.imported, 'nouveau', 'nouveaux'),
    n(rep.updated, 'mis à jour', 'mis à jour'),
    n(rep.unchanged, 'inchangé', 'inchangés'),
    n(rep.rejected.length, 'rejeté', 'rejetés'),
  ].join(', ');
}

/** reportText is the report as plain text, for the clipboard (a message, a ticket). */
export function reportText(rep: ImportReport, files: string[], format: ImportFormat = 'auto', when = new Date()): string {
  const lines = [
    `Import Passerelle du ${when.toLocaleDateString('fr-FR')} à ${when.toLocaleTimeString('fr-FR', { hour: '2-digit', minute: '2-digit' })}`,
    `Fichiers : ${files.join(', ') || '—'}`,
    `Résultat : ${reportSummary(rep)}.`,
  ];
  if (rep.rejected.length > 0) {
    lines.push('', 'Enregistrements rejetés :');
    for (const r of rep.rejected) {
      const id = r.id ? ` [${r.id}]` : '';
      lines.push(`- ${baseName(r.file)}, ${positionLabel(r, format)}${id} : ${r.reason}`);
    }
  }
  return lines.join('\n') + '\n';
}

/** phaseLabel: the French words of an import phase. */
export function phaseLabel(phase: string): string {
  switch (phase) {
    case 'lecture':
      return 'Lecture des fichiers';
    case 'enregistrement':
      return 'Enregistrement dans l’annuaire';
    case 'indexation':
      return 'Indexation pour la recherche';
    default:
      return 'Import en cours';
  }
}

/** progressText: « Enregistrement dans l’annuaire : 1 200 sur 5 000 ». */
export function progressText(p: { phase: string; done: number; total: number }): string {
  const label = phaseLabel(p.phase);
  if (p.total > 0) return `${label} : ${formatNumber(p.done)} sur ${formatNumber(p.total)}`;
  if (p.done > 0) return `${label} : ${formatNumber(p.done)} enregistrements`;
  return `${label}…`;
}
