// Every answer of an interview is saved the moment it is given: a click at once, a text ~500 ms
// after typing stops (and at once on blur or when the worker leaves the domain). Saves run one
// after the other, in the order given, so that the views Go returns (visibility, progress) arrive
// in order too and a late one never undoes a newer answer. Until Go confirms a value, the value
// given here is the one to show: nothing typed or clicked flickers back while a save is under way.
import type { AnswerValue } from '../api';

/** What was given for one question: the person's answer and, beside a scale, the worker's rating. */
export interface Given {
  value: AnswerValue;
  rating: number | null;
}

export type SaveState = 'pending' | 'saving' | 'saved' | 'error';

/** The save state of one question, with the value given here while Go has not confirmed it. */
export interface QuestionSave {
  state: SaveState;
  message?: string; // French, when state is "error"
  given?: Given; // the value to show instead of the stored one
}

export interface SaverHooks<V> {
  /** save sends one answer to Go and returns the fresh view. */
  save(questionID: string, value: AnswerValue, rating: number | null): Promise<V>;
  /** saved receives each view, in the order the answers were given. */
  saved?(view: V, questionID: string): void;
  /** changed reports the save state of a question. */
  changed?(questionID: string, s: QuestionSave): void;
}

export class AnswerSaver<V> {
  private queue: Promise<void> = Promise.resolve();
  private given = new Map<string, Given>();
  private timers = new Map<string, ReturnType<typeof setTimeout>>();
  private version = new Map<string, number>();

  constructor(
    private hooks: SaverHooks<V>,
    private delay = 500,
  ) {}

  /** give saves an answer now (a note, an option, a box ticked). */
  give(questionID: string, value: AnswerValue, rating: number | null = null): Promise<void> {
    this.stopTimer(questionID);
    this.given.set(questionID, { value, rating });
    return this.enqueue(questionID);
  }

  /** type records typed text (or a number being typed); it is saved once typing pauses. */
  type(questionID: string, value: AnswerValue, rating: number | null = null): void {
    this.stopTimer(questionID);
    this.given.set(questionID, { value, rating });
    // A newer value is on its way: a save already queued for this question must not send the older one.
    this.bump(questionID);
    this.timers.set(
      questionID,
      setTimeout(() => {
        this.timers.delete(questionID);
        void this.enqueue(questionID);
      }, this.delay),
    );
    this.report(questionID, 'pending');
  }

  /** flush saves a question's waiting text now (on blur); resolves once it is saved. */
  flush(questionID: string): Promise<void> {
    if (this.timers.has(questionID)) {
      this.stopTimer(questionID);
      return this.enqueue(questionID);
    }
    return this.queue;
  }

  /** flushAll saves every waiting text now (before leaving a domain or the interview). */
  flushAll(): Promise<void> {
    for (const id of [...this.timers.keys()]) {
      this.stopTimer(id);
      void this.enqueue(id);
    }
    return this.queue;
  }

  /** givenFor returns the value given here that Go has not confirmed yet, if any. */
  givenFor(questionID: string): Given | undefined {
    return this.given.get(questionID);
  }

  /** waiting says whether some answer (of the given questions, or any) is not yet confirmed. */
  waiting(questionIDs?: Iterable<string>): boolean {
    const ids = questionIDs ? [...questionIDs] : [...this.given.keys(), ...this.timers.keys()];
    return ids.some((id) => this.given.has(id) || this.timers.has(id));
  }

  /**
   * forget drops what is kept of these questions (after flushAll: the sensitive answers of a
   * domain the worker left must not stay in the page). A waiting text is dropped unsaved, so
   * flush first.
   */
  forget(questionIDs: Iterable<string>): void {
    for (const id of questionIDs) {
      this.stopTimer(id);
      this.given.delete(id);
      this.bump(id);
    }
  }

  private stopTimer(id: string) {
    const t = this.timers.get(id);
    if (t !== undefined) clearTimeout(t);
    this.timers.delete(id);
  }

  private bump(id: string): number {
    const v = (this.version.get(id) ?? 0) + 1;
    this.version.set(id, v);
    return v;
  }

  private report(id: string, state: SaveState, message?: string) {
    this.hooks.changed?.(id, { state, message, given: this.given.get(id) });
  }

  private enqueue(id: string): Promise<void> {
    const mine = this.bump(id);
    this.report(id, 'pending');
    this.queue = this.queue.then(async () => {
      const g = this.given.get(id);
      // Forgotten, or a newer value of the question is queued or typed: only the newest is sent.
      if (!g || this.version.get(id) !== mine) return;
      this.report(id, 'saving');
      try {
        const view = await this.hooks.save(id, g.value, g.rating);
        const latest = this.version.get(id) === mine && !this.timers.has(id);
        if (latest) this.given.delete(id);
        this.hooks.saved?.(view, id);
        this.report(id, latest ? 'saved' : 'pending');
      } catch (e) {
        // The value stays shown with Go's reason, for the worker to correct it.
        this.report(id, 'error', e instanceof Error ? e.message : String(e));
      }
    });
    return this.queue;
  }
}
