// The distance travelled chart: per life area, the person's first self-assessment (a dot) and
// an arrow to the latest one, on a 1–5 axis. This module computes the drawing; JourneyChart
// draws it in SVG, with a table for screen readers.
import type { DomainJourney, JourneyPoint } from '../api';
import { formatDate } from './format';

/** The drawing box of one row (SVG user units). */
export interface Axis {
  width: number;
  height: number;
  pad: number; // room left and right of 1 and 5, for the dots and their labels
  y: number; // the axis line
  r: number; // dot radius
  head: number; // arrowhead length
}

export const AXIS: Axis = { width: 360, height: 46, pad: 22, y: 28, r: 7, head: 9 };

/** xOf places a note (1–5) on the axis. */
export function xOf(v: number, a: Axis = AXIS): number {
  const t = (Math.min(5, Math.max(1, v)) - 1) / 4;
  return round(a.pad + t * (a.width - 2 * a.pad));
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}

export type Trend = 'up' | 'down' | 'same';

export interface ChartPoint {
  value: number;
  at: string; // « 12 mars 2026 »
  x: number;
}

/** One life area of the chart. */
export interface JourneyRow {
  domain: string;
  title: string;
  first: ChartPoint;
  latest: ChartPoint;
  trend: Trend;
  delta: number;
  assessments: number; // how many interviews gave a self-assessment here
  /** The arrow from the first dot to the latest, its tip on the latest dot's edge; null when equal. */
  arrow: { x1: number; x2: number; head: string } | null;
}

function point(p: JourneyPoint, a: Axis): ChartPoint {
  return { value: p.value, at: formatDate(p.at), x: xOf(p.value, a) };
}

/** journeyRows computes the chart's rows, in the order of the file's journey (the grid's order). */
export function journeyRows(journey: DomainJourney[], a: Axis = AXIS): JourneyRow[] {
  const rows: JourneyRow[] = [];
  for (const j of journey) {
    const f = j.first ?? j.points[0];
    const l = j.latest ?? j.points[j.points.length - 1];
    if (!f || !l) continue;
    const first = point(f, a);
    const latest = point(l, a);
    const delta = latest.value - first.value;
    const trend: Trend = delta > 0 ? 'up' : delta < 0 ? 'down' : 'same';
    let arrow: JourneyRow['arrow'] = null;
    if (trend !== 'same') {
      const dir = trend === 'up' ? 1 : -1;
      const x1 = round(first.x + dir * a.r);
      const tip = round(latest.x - dir * a.r);
      const base = round(tip - dir * a.head);
      const half = round(a.head * 0.6);
      arrow = { x1, x2: base, head: `${tip},${a.y} ${base},${round(a.y - half)} ${base},${round(a.y + half)}` };
    }
    rows.push({ domain: j.domain, title: j.title, first, latest, trend, delta, assessments: Math.max(j.points.length, 1), arrow });
  }
  return rows;
}

/** hasDistance says whether some life area was assessed at two interviews or more (the chart means something). */
export function hasDistance(journey: DomainJourney[]): boolean {
  return journey.some((j) => j.points.length >= 2);
}

/** trendLabel says a row's change in words: « en hausse de 2 », « en baisse de 1 », « stable ». */
export function trendLabel(row: Pick<JourneyRow, 'trend' | 'delta' | 'assessments'>): string {
  if (row.assessments < 2) return 'une seule évaluation';
  if (row.trend === 'up') return `en hausse de ${row.delta}`;
  if (row.trend === 'down') return `en baisse de ${-row.delta}`;
  return 'stable';
}

/** rowTitle is the tooltip of a row: the two notes with their dates. */
export function rowTitle(row: JourneyRow): string {
  if (row.assessments < 2) return `${row.title} : ${row.first.value} sur 5 le ${row.first.at}`;
  return `${row.title} : ${row.first.value} sur 5 le ${row.first.at}, ${row.latest.value} sur 5 le ${row.latest.at} (${trendLabel(row)})`;
}
