// How the result list reads a hit.
import type { Hit, Origin } from '../api';

/** splitRemote puts the hits offered on site first and, in a proximity search, the remote-only ones apart. */
export function splitRemote<T extends Pick<Hit, 'remote'>>(hits: T[], proximity: boolean): { local: T[]; remote: T[] } {
  if (!proximity) return { local: hits, remote: [] };
  return { local: hits.filter((h) => !h.remote), remote: hits.filter((h) => h.remote) };
}
