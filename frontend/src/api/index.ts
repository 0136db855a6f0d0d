// The one seam between the screens and Go: every bound method of app.Directory, app.Imports and
// app.Shell, typed, with rejections turned into ApiError {code, message}. Only src/api/ imports
// the generated wailsjs/ bindings; components import this module.
import * as DirectoryGo from '../../wailsjs/go/app/Directory';
import * as ImportsGo from '../../wailsjs/go/app/Imports';
import * as ShellGo from '../../wailsjs/go/app/Shell';
import { BrowserOpenURL, ClipboardSetText } from '../../wailsjs/runtime/runtime';
import type {
  Detail,
  ExportFormat,
  ImportFormat,
  ImportReport,
  Info,
  Note,
  Proposal,
  Reference,
  SearchQuery,
  SearchResult,
  Status,
} from './types';

export type * from './types';

/** Error codes of domain errors (internal/domain/errors.go), plus "unavailable" for a missing backend. */
export type ErrorCode = 'invalid' | 'not_found' | 'conflict' | 'unauthorized' | 'internal' | 'unavailable' | string;

/** ApiError is a rejected call to Go: code says what kind of failure, message is French, for the screen. */
export class ApiError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
  }
}

const UNAVAILABLE =
  'Passerelle ne répond pas : l’application n’est pas reliée à son moteur. Fermez-la et relancez-la.';
const UNEXPECTED = 'Une erreur inattendue est survenue. Réessayez ; si elle revient, signalez-la.';

function isErrorShape(v: unknown): v is { code: unknown; message: unknown } {
  return typeof v === 'object' && v !== null && 'message' in v && 'code' in v;
}

/**
 * toApiError turns whatever a bound call rejected with into an ApiError. Go's ErrorFormatter
 * sends {code, message}; some Wails paths send it as a JSON string, or a bare string; a missing
 * backend (window.go undefined) throws a TypeError.
 */
export function toApiError(e: unknown): ApiError {
  if (e instanceof ApiError) return e;
  if (isErrorShape(e) && typeof e.message === 'string' && e.message !== '') {
    return new ApiError(typeof e.code === 'string' && e.code ? e.code : 'internal', e.message);
  }
  if (typeof e === 'string') {
    const s = e.trim();
    if (s.startsWith('{')) {
      try {
        return toApiError(JSON.parse(s));
      } catch {
        // not JSON after all: fall through to a plain message
      }
    }
    return new ApiError('internal', s || UNEXPECTED);
  }
  if (e instanceof TypeError) {
    console.error('passerelle: call to Go failed', e);
    return new ApiError('unavailable', UNAVAILABLE);
  }
  console.error('passerelle: unexpected rejection', e);
  return new ApiError('internal', UNEXPECTED);
}

/** call runs a bound method and rejects only with ApiError (also when the binding itself throws). */
export async function call<T>(f: () => Promise<T>): Promise<T> {
  try {
    return await f();
  } catch (e) {
    throw toApiError(e);
  }
}

// Go's nil slices arrive as null: the screens get arrays.
function arr<T>(v: T[] | null | undefined): T[] {
  return v ?? [];
}

function normalizeResult(r: SearchResult): SearchResult {
  const f = r.facets ?? ({} as SearchResult['facets']);
  return {
    total: r.total ?? 0,
    remote: r.remote ?? 0,
    hits: arr(r.hits).map((h) => ({ ...h, why: arr(h.why), thematiques: arr(h.thematiques), modes_accueil: arr(h.modes_accueil) })),
    facets: {
      categories: f.categories ?? {},
      themes: f.themes ?? {},
      publics: f.publics ?? {},
      frais: f.frais ?? {},
      modes: f.modes ?? {},
      communes: f.communes ?? {},
      open_days: f.open_days ?? {},
      can_give: f.can_give ?? 0,
    },
  };
}

function normalizeDetail(d: Detail): Detail {
  return {
    ...d,
    thematiques: arr(d.thematiques),
    publics: arr(d.publics),
    modes_accueil: arr(d.modes_accueil),
    mobilisation: arr(d.mobilisation),
    mobilisable_par: arr(d.mobilisable_par),
    hours: { ...d.hours, sentences: arr(d.hours?.sentences), week: arr(d.hours?.week) },
  };
}

// ---- Directory (the Annuaire screen) --------------------------------------------------------

/** search runs a query; communes may be names, INSEE codes or postcodes. Rejects: invalid (French message). */
export function search(q: SearchQuery): Promise<SearchResult> {
  return call(() => DirectoryGo.Search(q)).then(normalizeResult);
}

/** detail returns everything the detail pane shows about a service. Rejects: not_found. */
export function detail(serviceUUID: string): Promise<Detail> {
  return call(() => DirectoryGo.Detail(serviceUUID)).then(normalizeDetail);
}

/** setNote saves the worker's private note on a service (empty text removes it). Rejects: not_found, invalid. */
export function setNote(serviceUUID: string, body: string): Promise<Note> {
  return call(() => DirectoryGo.SetNote(serviceUUID, body));
}

/** propose stores a proposed initiative and returns its service UUID. Rejects: invalid (every problem listed). */
export function propose(p: Proposal): Promise<string> {
  return call(() => DirectoryGo.Propose(p));
}

/** withdraw removes a proposal or demo record (restorable). Rejects: not_found, conflict. */
export function withdraw(serviceUUID: string): Promise<void> {
  return call(() => DirectoryGo.Withdraw(serviceUUID));
}

/** restore puts back a withdrawn proposal or demo record. Rejects: not_found. */
export function restore(serviceUUID: string): Promise<void> {
  return call(() => DirectoryGo.Restore(serviceUUID));
}

/** status says whether the index is built, its size and how many demo services it holds; never waits. */
export function status(): Promise<Status> {
  return call(() => DirectoryGo.Status());
}

/** removeDemo withdraws every demo record and returns how many services went. */
export function removeDemo(): Promise<number> {
  return call(() => DirectoryGo.RemoveDemo());
}

/** loadDemo loads (or restores) the demo directory and returns how many demo services it holds. */
export function loadDemo(): Promise<number> {
  return call(() => DirectoryGo.LoadDemo());
}

/** reference returns the communes and vocabularies with their French labels. */
export function reference(): Promise<Reference> {
  return call(() => DirectoryGo.Reference()).then((r) => ({
    ...r,
    communes: arr(r.communes),
    categories: arr(r.categories).map((c) => ({ ...c, thematiques: arr(c.thematiques) })),
    theme_categories: arr(r.theme_categories),
    thematiques: arr(r.thematiques),
    publics: arr(r.publics),
    frais: arr(r.frais),
    modes_accueil: arr(r.modes_accueil),
  }));
}

// ---- Imports (the Importer / exporter screen) ------------------------------------------------

/** chooseFiles opens the system's file chooser; [] when cancelled. */
export function chooseFiles(): Promise<string[]> {
  return call(() => ImportsGo.ChooseFiles()).then(arr);
}

/** importFiles reads, checks and stores files; progress comes as import:progress events. Rejects: invalid. */
export function importFiles(paths: string[], format: ImportFormat): Promise<ImportReport> {
  return call(() => ImportsGo.Import(paths, format)).then((r) => ({ ...r, rejected: arr(r.rejected) }));
}

/** exportDirectory asks where to write and exports; returns the written paths, [] when cancelled. Rejects: invalid. */
export function exportDirectory(format: ExportFormat): Promise<string[]> {
  return call(() => ImportsGo.Export(format)).then(arr);
}

/** exportTo exports to a given folder (di-json) or file (csv). Rejects: invalid. */
export function exportTo(format: ExportFormat, path: string): Promise<string[]> {
  return call(() => ImportsGo.ExportTo(format, path)).then(arr);
}

// ---- Shell -----------------------------------------------------------------------------------

/** info returns the version and the data folder. */
export function info(): Promise<Info> {
  return call(() => ShellGo.Info());
}

/** ready tells Go the directory screen is drawn with its first results (how many). */
export function ready(results: number): Promise<void> {
  return call(() => ShellGo.Ready(results));
}

/** copyText puts text on the system clipboard; false when it could not. */
export async function copyText(text: string): Promise<boolean> {
  try {
    if (await ClipboardSetText(text)) return true;
  } catch {
    // no Wails runtime (a plain browser): try the web clipboard
  }
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}

/** openURL opens a web address in the system's browser (never inside the app's window). */
export function openURL(url: string): void {
  try {
    BrowserOpenURL(url);
  } catch {
    window.open(url, '_blank', 'noopener');
  }
}
