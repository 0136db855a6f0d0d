import { describe, expect, it } from 'vitest';
import type { DomainJourney } from '../api';
import { AXIS, hasDistance, journeyRows, rowTitle, trendLabel, xOf } from './journey';

const pt = (value: number, at: string) => ({ interview_uuid: at, at: `${at}T10:00:00Z`, value, worker_rating: null });
function journey(domain: string, ...values: [number, string][]): DomainJourney {
  const points = values.map(([v, at]) => pt(v, at));
  return { domain, title: domain.toUpperCase(), sensitive: false, points, first: points[0], latest: points[points.length - 1] };
}

describe('xOf', () => {
  it('spreads 1 to 5 evenly between the paddings', () => {
    expect(xOf(1)).toBe(AXIS.pad);
    expect(xOf(5)).toBe(AXIS.width - AXIS.pad);
    expect(xOf(3)).toBe(AXIS.width / 2);
    expect(xOf(9)).toBe(xOf(5)); // clamped
  });
});

describe('journeyRows', () => {
  const rows = journeyRows([
    journey('liens', [2, '2025-03-12'], [3, '2025-09-01'], [4, '2026-02-03']),
    journey('logement', [4, '2025-03-12'], [2, '2026-02-03']),
    journey('numerique', [3, '2025-03-12'], [3, '2026-02-03']),
    journey('sante', [1, '2026-02-03']),
  ]);

  it('goes from the first self-assessment to the latest', () => {
    expect(rows.map((r) => [r.domain, r.first.value, r.latest.value, r.trend, r.delta])).toEqual([
      ['liens', 2, 4, 'up', 2],
      ['logement', 4, 2, 'down', -2],
      ['numerique', 3, 3, 'same', 0],
      ['sante', 1, 1, 'same', 0],
    ]);
    expect(rows[0].first.at).toBe('12 mars 2025');
    expect(rows[0].latest.at).toBe('3 février 2026');
  });

  it('draws the arrow from the first dot’s edge, its tip on the latest dot’s edge', () => {
    const up = rows[0].arrow!;
    expect(up.x1).toBe(xOf(2) + AXIS.r);
    expect(up.x2).toBe(xOf(4) - AXIS.r - AXIS.head);
    expect(up.head.split(' ')[0]).toBe(`${xOf(4) - AXIS.r},${AXIS.y}`);
    const down = rows[1].arrow!;
    expect(down.x1).toBe(xOf(4) - AXIS.r);
    expect(down.x2).toBe(xOf(2) + AXIS.r + AXIS.head);
    expect(down.head.split(' ')[0]).toBe(`${xOf(2) + AXIS.r},${AXIS.y}`);
    expect(rows[2].arrow).toBeNull();
  });

  it('says the change in words, with the dates in the tooltip', () => {
    expect(rows.map(trendLabel)).toEqual(['en hausse de 2', 'en baisse de 2', 'stable', 'une seule évaluation']);
    expect(rowTitle(rows[0])).toBe('LIENS : 2 sur 5 le 12 mars 2025, 4 sur 5 le 3 février 2026 (en hausse de 2)');
  });

  it('means something from a second interview on', () => {
    expect(hasDistance([journey('sante', [1, '2026-02-03'])])).toBe(false);
    expect(hasDistance([journey('liens', [2, '2025-03-12'], [4, '2026-02-03'])])).toBe(true);
    expect(journeyRows([])).toEqual([]);
  });
});
