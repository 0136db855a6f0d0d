// The interview screen's logic: one domain per page, which domain to open, the progress, the
// keyboard moves between domains, what is still required before « Terminer », and keeping the
// sensitive answers (health) out of the page state unless their domain is open.
import type { Grid, GridDomain, InterviewView, Question } from '../api';
import { SCALE } from './answers';

/** openingDomain is where an interview opens: where the worker left it, else the first domain. */
export function openingDomain(grid: Pick<Grid, 'domains'>, current: string): string {
  return grid.domains.some((d) => d.id === current) ? current : (grid.domains[0]?.id ?? '');
}

/** domainOf returns a grid domain by id. */
export function domainOf(grid: Pick<Grid, 'domains'>, id: string): GridDomain | undefined {
  return grid.domains.find((d) => d.id === id);
}

/** shownQuestions returns a domain's questions the answers so far show (View.visible). */
export function shownQuestions(d: Pick<GridDomain, 'questions'>, visible: Record<string, boolean>): Question[] {
  return d.questions.filter((q) => visible[q.id] !== false);
}

/** domainsDone says « 4 domaines sur 10 ». */
export function domainsDoneLabel(done: number, total: number): string {
  return `${done} domaine${done > 1 ? 's' : ''} sur ${total}`;
}

/** progressSummary counts the domains done (View.progress). */
export function progressSummary(progress: { done: boolean }[]): { done: number; total: number; label: string } {
  const done = progress.filter((p) => p.done).length;
  return { done, total: progress.length, label: domainsDoneLabel(done, progress.length) };
}

/** A required question still without answer, with its domain (for « Terminer »). */
export interface Missing {
  domain: string;
  domainTitle: string;
  question: string;
  label: string;
}

/**
 * missingRequired lists the shown required questions without answer, in the grid's order: the
 * rule Go applies when it refuses to complete an interview, here to link to each question.
 */
export function missingRequired(view: Pick<InterviewView, 'grid' | 'answers' | 'visible'>, given: (id: string) => boolean = () => false): Missing[] {
  const out: Missing[] = [];
  for (const d of view.grid.domains) {
    for (const q of d.questions) {
      if (q.required && view.visible[q.id] !== false && !view.answers[q.id] && !given(q.id)) {
        out.push({ domain: d.id, domainTitle: d.title, question: q.id, label: q.label });
      }
    }
  }
  return out;
}

/** sensitiveQuestions returns the ids of the questions of the grid's sensitive domains. */
export function sensitiveQuestions(grid: Pick<Grid, 'domains'>): Set<string> {
  return new Set(grid.domains.filter((d) => d.sensitive).flatMap((d) => d.questions.map((q) => q.id)));
}

/**
 * withoutSensitive returns the view without the sensitive answers, their previous values and
 * their history: what the page keeps while no sensitive domain is open.
 */
export function withoutSensitive(view: InterviewView): InterviewView {
  const ids = sensitiveQuestions(view.grid);
  if (ids.size === 0) return view;
  const keep = <T>(m: Record<string, T>) => Object.fromEntries(Object.entries(m).filter(([id]) => !ids.has(id)));
  return {
    ...view,
    answers: keep(view.answers),
    previous: keep(view.previous),
    history: view.history.filter((h) => !ids.has(h.question_id)),
    conflicts: keep(view.conflicts),
    with_sensitive: false,
  };
}

export type DomainMove = 'next' | 'previous';

/** domainMove returns the move a key press asks for: Alt+→ / Alt+←, Ctrl+Page↓ / Ctrl+Page↑. */
export function domainMove(e: Pick<KeyboardEvent, 'key' | 'altKey' | 'ctrlKey' | 'metaKey' | 'shiftKey'>): DomainMove | null {
  if (e.shiftKey || e.metaKey) return null;
  if (e.altKey && !e.ctrlKey) {
    if (e.key === 'ArrowRight') return 'next';
    if (e.key === 'ArrowLeft') return 'previous';
  }
  if (e.ctrlKey && !e.altKey) {
    if (e.key === 'PageDown') return 'next';
    if (e.key === 'PageUp') return 'previous';
  }
  return null;
}

/** stepDomain returns the domain after (or before) current; it stops at both ends (null there). */
export function stepDomain(ids: string[], current: string, move: DomainMove): string | null {
  const i = ids.indexOf(current);
  if (i < 0) return ids[0] ?? null;
  const j = move === 'next' ? i + 1 : i - 1;
  return j >= 0 && j < ids.length ? ids[j] : null;
}

/**
 * scaleKey returns the note a key press gives on a focused scale (1–5), else null. The key's
 * position counts too: on AZERTY the digits need Shift, and « & » is where « 1 » is.
 */
export function scaleKey(e: Pick<KeyboardEvent, 'key' | 'code' | 'altKey' | 'ctrlKey' | 'metaKey'>): number | null {
  if (e.altKey || e.ctrlKey || e.metaKey) return null;
  const d = /^[1-5]$/.test(e.key) ? e.key : (/^(?:Digit|Numpad)([1-5])$/.exec(e.code ?? '')?.[1] ?? '');
  const n = Number(d);
  return d && SCALE.includes(n as (typeof SCALE)[number]) ? n : null;
}

/** questionAnchor is the id of a question's block on the page (links from « Terminer »). */
export function questionAnchor(questionID: string): string {
  return `q-${questionID}`;
}

/**
 * keepSensitive returns next with the sensitive answers of shown, when next came without them
 * (a save sent before the worker opened the sensitive domain answers after it): the open
 * domain's answers must not vanish from the screen.
 */
export function keepSensitive(next: InterviewView, shown: InterviewView | null): InterviewView {
  if (next.with_sensitive || !shown?.with_sensitive) return next;
  const ids = sensitiveQuestions(next.grid);
  const pick = <T>(m: Record<string, T>) => Object.fromEntries(Object.entries(m).filter(([id]) => ids.has(id)));
  return {
    ...next,
    answers: { ...next.answers, ...pick(shown.answers) },
    previous: { ...next.previous, ...pick(shown.previous) },
    history: [...next.history, ...shown.history.filter((h) => ids.has(h.question_id))],
    conflicts: { ...next.conflicts, ...pick(shown.conflicts) },
    with_sensitive: true,
  };
}
