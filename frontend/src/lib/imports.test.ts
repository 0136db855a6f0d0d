import { describe, expect, it } from 'vitest';
import type { ImportReport } from '../api';
import { appendPaths, baseName, filterRejections, parsePaths, positionLabel, progressText, reportSummary, reportText } from './imports';

describe('positionLabel', () => {
  it.each([
    [{ file: '/tmp/annuaire.csv', position: 12 }, 'auto', 'ligne 12'],
    [{ file: 'C:\\Données\\ANNUAIRE.CSV', position: 3 }, 'auto', 'ligne 3'],
    [{ file: '/tmp/services.json', position: 0 }, 'auto', 'n° 1'],
    [{ file: '/tmp/services.json', position: 2 }, 'auto', 'n° 3'],
    [{ file: '/tmp/export', position: 2 }, 'di-json', 'n° 3'],
    [{ file: '/tmp/export', position: 2 }, 'csv', 'ligne 2'],
    [{ file: '/tmp/export', position: 2 }, 'auto', 'position 2'],
    [{ file: '/tmp/services.json', position: -1 }, 'auto', 'fichier entier'],
    [{ file: '/tmp/a.csv', position: -1 }, 'csv', 'fichier entier'],
  ] as const)('%o (%s) → « %s »', (r, format, want) => {
    expect(positionLabel(r, format)).toBe(want);
  });
});

describe('parsePaths', () => {
  it('reads one path per line, drops blanks and repeats', () => {
    expect(parsePaths(' /a/b.csv \n\n/c d/e.json\r\n/a/b.csv\n')).toEqual(['/a/b.csv', '/c d/e.json']);
  });
  it('reads several quoted paths on a line (Windows « Copier en tant que chemin d’accès »)', () => {
    expect(parsePaths('"C:\\Mes documents\\a.csv" "C:\\b.json"')).toEqual(['C:\\Mes documents\\a.csv', 'C:\\b.json']);
  });
  it('appends dropped files without repeating', () => {
    expect(appendPaths('/a.csv\n', ['/a.csv', '/b.json'])).toBe('/a.csv\n/b.json');
    expect(appendPaths('', ['/b.json'])).toBe('/b.json');
    expect(appendPaths('/a.csv', ['/a.csv'])).toBe('/a.csv');
  });
  it('names a file by its base name', () => {
    expect(baseName('C:\\x\\y.csv')).toBe('y.csv');
    expect(baseName('/x/y.json')).toBe('y.json');
  });
});

const report: ImportReport = {
  imported: 3,
  updated: 1,
  unchanged: 0,
  rejected: [
    { file: '/tmp/annuaire.csv', position: 3, id: 'cd92--x', reason: 'date_maj : « hier » n’est pas une date réelle' },
    { file: '/tmp/services.json', position: 0, id: '', reason: 'nom : obligatoire' },
  ],
};

describe('report', () => {
  it('sums up in French', () => {
    expect(reportSummary(report)).toBe('3 nouveaux, 1 mis à jour, 0 inchangé, 2 rejetés');
  });
  it('filters rejections on any column, accents aside', () => {
    expect(filterRejections(report.rejected, 'DATE reelle')).toHaveLength(1);
    expect(filterRejections(report.rejected, 'ligne 3')[0].id).toBe('cd92--x');
    expect(filterRejections(report.rejected, 'n° 1')[0].reason).toBe('nom : obligatoire');
    expect(filterRejections(report.rejected, '')).toHaveLength(2);
    expect(filterRejections(report.rejected, 'rien de tel')).toHaveLength(0);
  });
  it('copies as text with every rejection', () => {
    const text = reportText(report, ['/tmp/annuaire.csv', '/tmp/services.json'], 'auto', new Date(2026, 2, 14, 9, 5));
    expect(text).toContain('Import Passerelle du 14/03/2026 à 09:05');
    expect(text).toContain('Résultat : 3 nouveaux, 1 mis à jour, 0 inchangé, 2 rejetés.');
    expect(text).toContain('- annuaire.csv, ligne 3 [cd92--x] : date_maj : « hier » n’est pas une date réelle');
    expect(text).toContain('- services.json, n° 1 : nom : obligatoire');
  });
  it('writes the progress of each phase', () => {
    expect(progressText({ phase: 'enregistrement', done: 1200, total: 5000 })).toBe('Enregistrement dans l’annuaire : 1\u202f200 sur 5\u202f000');
    expect(progressText({ phase: 'lecture', done: 5000, total: 0 })).toBe('Lecture des fichiers : 5\u202f000 enregistrements');
    expect(progressText({ phase: 'indexation', done: 0, total: 0 })).toBe('Indexation pour la recherche…');
  });
});
