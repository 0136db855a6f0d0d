// The worker's private note on a service is saved on its own: a moment after typing stops, when
// the field loses focus, and at once when the worker moves to another service. Nothing typed is
// lost: the latest text of every service is kept here until Go has stored it, and a detail that
// arrives with an older text is overridden by it.

export type NoteState = 'idle' | 'pending' | 'saving' | 'saved' | 'error';

export interface NoteStatus {
  uuid: string;
  state: NoteState;
  message?: string; // French, when state is "error"
}

interface Entry {
  latest: string; // what the worker typed last
  saved: string | undefined; // what Go confirmed last
  timer?: ReturnType<typeof setTimeout>;
  chain: Promise<void>; // saves of one service run one after the other
}

export class NoteSaver {
  private entries = new Map<string, Entry>();

  constructor(
    private save: (uuid: string, body: string) => Promise<unknown>,
    private onStatus: (s: NoteStatus) => void = () => {},
    private delay = 600,
  ) {}

  private entry(uuid: string, stored?: string): Entry {
    let e = this.entries.get(uuid);
    if (!e) {
      e = { latest: stored ?? '', saved: stored, chain: Promise.resolve() };
      this.entries.set(uuid, e);
    }
    return e;
  }

  /**
   * textFor returns the text to show for a service whose note Go stored as stored: the text
   * typed on this desk when there is one (Go may not have it yet, or a detail read before the
   * save may lag behind it), else the stored one.
   */
  textFor(uuid: string, stored: string): string {
    return this.entries.get(uuid)?.latest ?? stored;
  }

  /**
   * input records what the worker typed and schedules a save; stored is the note Go had when the
   * service was shown (so that typing a character and deleting it saves nothing).
   */
  input(uuid: string, body: string, stored?: string): void {
    const e = this.entry(uuid, stored);
    e.latest = body;
    if (e.timer !== undefined) clearTimeout(e.timer);
    e.timer = setTimeout(() => {
      e.timer = undefined;
      void this.run(uuid);
    }, this.delay);
    this.onStatus({ uuid, state: 'pending' });
  }

  /** flush saves a service's note now if it waits (on blur, on switching service). */
  flush(uuid: string): Promise<void> {
    const e = this.entries.get(uuid);
    if (!e) return Promise.resolve();
    if (e.timer !== undefined) {
      clearTimeout(e.timer);
      e.timer = undefined;
      return this.run(uuid);
    }
    return e.chain;
  }

  /** flushAll saves every waiting note (before the window closes). */
  flushAll(): Promise<void> {
    return Promise.all([...this.entries.keys()].map((u) => this.flush(u))).then(() => {});
  }

  /** dirty says whether some typed text is not yet confirmed by Go. */
  dirty(uuid?: string): boolean {
    const list = uuid ? [this.entries.get(uuid)].filter((e): e is Entry => !!e) : [...this.entries.values()];
    return list.some((e) => e.timer !== undefined || e.latest !== e.saved);
  }

  private run(uuid: string): Promise<void> {
    const e = this.entry(uuid);
    e.chain = e.chain.then(async () => {
      const body = e.latest;
      if (body === e.saved) {
        this.onStatus({ uuid, state: 'saved' });
        return;
      }
      this.onStatus({ uuid, state: 'saving' });
      try {
        await this.save(uuid, body);
        e.saved = body;
        this.onStatus({ uuid, state: e.latest === body && e.timer === undefined ? 'saved' : 'pending' });
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        this.onStatus({ uuid, state: 'error', message });
      }
    });
    return e.chain;
  }
}
