// The one seam between the screens and Go: every bound method of app.Directory, app.Imports,
// app.Usagers, app.Interviews, app.Referrals, app.Settings, app.Sync and app.Shell, typed, with rejections
// turned into ApiError {code, message}. Only src/api/ imports the generated wailsjs/ bindings;
// components import this module.
import * as DirectoryGo from '../../wailsjs/go/app/Directory';
import * as ImportsGo from '../../wailsjs/go/app/Imports';
import * as InterviewsGo from '../../wailsjs/go/app/Interviews';
import * as ReferralsGo from '../../wailsjs/go/app/Referrals';
import * as SettingsGo from '../../wailsjs/go/app/Settings';
import * as ShellGo from '../../wailsjs/go/app/Shell';
import * as SyncGo from '../../wailsjs/go/app/Sync';
import * as UsagersGo from '../../wailsjs/go/app/Usagers';
import { BrowserOpenURL, ClipboardSetText } from '../../wailsjs/runtime/runtime';
import type {
  AnswerValue,
  ConsentInfo,
  Detail,
  GridInfo,
  Hit,
  InterviewView,
  Need,
  Suggestion,
  UsagerFile,
  UsagerInput,
  UsagerSummary,
  ExportFormat,
  ImportFormat,
  ImportReport,
  Info,
  Note,
  Proposal,
  PrepareInput,
  Reference,
  ReferralItem,
  ReferralVocabulary,
  SearchQuery,
  Settings,
  SheetBlock,
  SheetView,
  SearchResult,
  Status,
  SyncReport,
  SyncStatus,
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

function normalizeHit(h: Hit): Hit {
  return { ...h, why: arr(h.why), thematiques: arr(h.thematiques), modes_accueil: arr(h.modes_accueil), week: arr(h.week) };
}

function normalizeResult(r: SearchResult): SearchResult {
  const f = r.facets ?? ({} as SearchResult['facets']);
  return {
    total: r.total ?? 0,
    remote: r.remote ?? 0,
    hits: arr(r.hits).map(normalizeHit),
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

/**
 * reportError sends the directory's curators a worker's report of an error in a service
 * (« Signaler une erreur »): it waits in the outbox and leaves with the next sync. Rejects:
 * invalid (empty or too long message), not_found (unknown service), unavailable.
 */
export function reportError(serviceUUID: string, message: string): Promise<void> {
  return call(() => DirectoryGo.ReportError(serviceUUID, message));
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

// ---- Usagers (the usager files) -------------------------------------------------------------

function normalizeFile(f: UsagerFile): UsagerFile {
  return {
    ...f,
    usager: { ...f.usager, birth_year: f.usager.birth_year ?? null, consent_at: f.usager.consent_at ?? null },
    interviews: arr(f.interviews).map((i) => ({ ...i, completed_at: i.completed_at ?? null })),
    journey: arr(f.journey).map((j) => ({ ...j, points: arr(j.points), first: j.first ?? null, latest: j.latest ?? null })),
  };
}

/** listUsagers returns the files whose name contains query ("" for all), most recent contact first. */
export function listUsagers(query: string): Promise<UsagerSummary[]> {
  return call(() => UsagersGo.List(query) as unknown as Promise<UsagerSummary[] | null>).then(arr);
}

/** getUsager returns a person's file with its interviews and distance travelled. Rejects: not_found. */
export function getUsager(uuid: string): Promise<UsagerFile> {
  return call(() => UsagersGo.Get(uuid) as unknown as Promise<UsagerFile>).then(normalizeFile);
}

/** createUsager opens a file with the person's consent. Rejects: invalid (French, every problem listed). */
export function createUsager(input: UsagerInput): Promise<UsagerFile> {
  return call(() => UsagersGo.Create(input as never) as unknown as Promise<UsagerFile>).then(normalizeFile);
}

/** updateUsager changes a file's fields (the consent stays). Rejects: invalid, not_found. */
export function updateUsager(uuid: string, input: UsagerInput): Promise<UsagerFile> {
  return call(() => UsagersGo.Update(uuid, input as never) as unknown as Promise<UsagerFile>).then(normalizeFile);
}

/** deleteUsager erases a file at the person's request. Rejects: not_found. */
export function deleteUsager(uuid: string): Promise<void> {
  return call(() => UsagersGo.Delete(uuid));
}

/** consentInfo returns the consent wording read to the person and the household situations. */
export function consentInfo(): Promise<ConsentInfo> {
  return call(() => UsagersGo.Consent() as unknown as Promise<ConsentInfo>).then((c) => ({ ...c, households: arr(c.households) }));
}

// ---- Interviews (the interview grid) -------------------------------------------------------

function normalizeView(v: InterviewView): InterviewView {
  return {
    ...v,
    interview: { ...v.interview, completed_at: v.interview.completed_at ?? null },
    grid: {
      ...v.grid,
      domains: arr(v.grid.domains).map((d) => ({
        ...d,
        thematiques: arr(d.thematiques),
        categories: arr(d.categories),
        questions: arr(d.questions).map((q) => ({ ...q, options: arr(q.options) })),
      })),
    },
    answers: v.answers ?? {},
    previous: v.previous ?? {},
    previous_at: v.previous_at ?? null,
    visible: v.visible ?? {},
    progress: arr(v.progress),
    history: arr(v.history),
    conflicts: Object.fromEntries(
      Object.entries(v.conflicts ?? {})
        .map(([qid, list]) => [qid, arr(list).map((c) => ({ ...c, worker_rating: c.worker_rating ?? null }))] as const)
        .filter(([, list]) => list.length > 0),
    ),
  };
}

/**
 * startInterview starts an interview with the default grid, or returns the one in progress (to
 * resume it). Sensitive answers are not sent. Rejects: not_found.
 */
export function startInterview(usagerUUID: string): Promise<InterviewView> {
  return call(() => InterviewsGo.Start(usagerUUID) as unknown as Promise<InterviewView>).then(normalizeView);
}

/** getInterview returns an interview; sensitive answers only when withSensitive. Rejects: not_found. */
export function getInterview(uuid: string, withSensitive: boolean): Promise<InterviewView> {
  return call(() => InterviewsGo.Get(uuid, withSensitive) as unknown as Promise<InterviewView>).then(normalizeView);
}

/**
 * saveAnswer saves one answer the moment it is given (an empty value clears it) and returns the
 * fresh view. On a completed interview it is a correction. Rejects: invalid (French), not_found.
 */
export function saveAnswer(uuid: string, questionID: string, value: AnswerValue, workerRating: number | null, withSensitive: boolean): Promise<InterviewView> {
  return call(() => InterviewsGo.Answer(uuid, questionID, value as never, workerRating, withSensitive) as unknown as Promise<InterviewView>).then(normalizeView);
}

/** completeInterview freezes the interview. Rejects: invalid (required questions listed), conflict, not_found. */
export function completeInterview(uuid: string): Promise<InterviewView> {
  return call(() => InterviewsGo.Complete(uuid) as unknown as Promise<InterviewView>).then(normalizeView);
}

/** setCurrentDomain records the domain the worker opened. Rejects: invalid, not_found. */
export function setCurrentDomain(uuid: string, domainID: string): Promise<void> {
  return call(() => InterviewsGo.SetCurrentDomain(uuid, domainID));
}

/** setNextContact plans the next meeting (YYYY-MM-DD, "" to clear). Rejects: invalid, not_found. */
export function setNextContact(uuid: string, date: string): Promise<void> {
  return call(() => InterviewsGo.SetNextContact(uuid, date));
}

/** needs returns what the interview reveals, per domain. Rejects: not_found. */
export function needs(uuid: string): Promise<Need[]> {
  return call(() => InterviewsGo.Needs(uuid) as unknown as Promise<Need[] | null>).then((list) =>
    arr(list).map((n) => ({
      ...n,
      thematiques: arr(n.thematiques),
      categories: arr(n.categories),
      publics: arr(n.publics),
      words: arr(n.words),
      self_assessment: n.self_assessment ?? null,
      worker_rating: n.worker_rating ?? null,
    })),
  );
}

/** suggestions ranks directory services for the interview's needs, ticked ones marked. Rejects: not_found. */
export function suggestions(uuid: string): Promise<Suggestion[]> {
  return call(() => InterviewsGo.Suggestions(uuid) as unknown as Promise<Suggestion[] | null>).then((list) =>
    arr(list).map((s) => ({ ...s, hit: normalizeHit(s.hit), domains: arr(s.domains) })),
  );
}

/** selectSuggestion ticks or unticks a suggestion to propose it to the person. Rejects: not_found. */
export function selectSuggestion(uuid: string, serviceUUID: string, selected: boolean, why: string, domainID: string): Promise<void> {
  return call(() => InterviewsGo.Select(uuid, serviceUUID, selected, why, domainID));
}

/** grids lists the stored grid versions. */
export function grids(): Promise<GridInfo[]> {
  return call(() => InterviewsGo.Grids() as unknown as Promise<GridInfo[] | null>).then(arr);
}

/** importGrid asks for a grid file and imports it; null when cancelled. Rejects: invalid (every problem), conflict. */
export function importGrid(): Promise<GridInfo | null> {
  return call(() => InterviewsGo.ImportGrid() as unknown as Promise<GridInfo | null>).then((g) => g ?? null);
}

// ---- Referral sheets and their follow-up (« À revoir ») --------------------------------------

function normalizeItem(it: ReferralItem): ReferralItem {
  return { ...it, history: arr(it.history) };
}

function normalizeBlock(b: SheetBlock): SheetBlock {
  return {
    ...b,
    lines: arr(b.lines),
    qrs: arr(b.qrs),
    blocks: arr(b.blocks).map(normalizeBlock),
  };
}

function normalizeSheet(v: SheetView): SheetView {
  return {
    ...v,
    referrals: arr(v.referrals).map(normalizeItem),
    document: { ...v.document, blocks: arr(v.document?.blocks).map(normalizeBlock) },
  };
}

/**
 * prepareSheet creates a sheet's referrals as drafts (from services, or an interview's ticked
 * suggestions when serviceUUIDs is empty) and returns its preview. Rejects: invalid (no service,
 * unknown one, message too long, delay out of range), not_found (usager, interview).
 */
export function prepareSheet(input: PrepareInput): Promise<SheetView> {
  return call(() => ReferralsGo.Prepare(input as never) as unknown as Promise<SheetView>).then(normalizeSheet);
}

/** getSheet returns a sheet with its preview. Rejects: not_found. */
export function getSheet(sheetUUID: string): Promise<SheetView> {
  return call(() => ReferralsGo.Sheet(sheetUUID) as unknown as Promise<SheetView>).then(normalizeSheet);
}

/** markGiven records that the sheet was handed over: its drafts become « remise ». Rejects: not_found. */
export function markGiven(sheetUUID: string): Promise<SheetView> {
  return call(() => ReferralsGo.MarkGiven(sheetUUID) as unknown as Promise<SheetView>).then(normalizeSheet);
}

/** saveSheetPDF asks where to save the sheet and writes it; "" when cancelled. Rejects: not_found, invalid. */
export function saveSheetPDF(sheetUUID: string): Promise<string> {
  return call(() => ReferralsGo.SavePDF(sheetUUID));
}

/** A PDF written in the data folder, and whether the system's viewer opened it. */
export type PDFFile = { path: string; opened: boolean };

/** openSheetPDF writes the sheet in the data folder and opens it in the PDF viewer. Rejects: not_found. */
export function openSheetPDF(sheetUUID: string): Promise<PDFFile> {
  return call(() => ReferralsGo.OpenPDF(sheetUUID));
}

/** initiativePDF writes a service's « fiche initiative » and opens it in the PDF viewer. Rejects: not_found. */
export function initiativePDF(serviceUUID: string): Promise<PDFFile> {
  return call(() => ReferralsGo.InitiativePDF(serviceUUID));
}

/** pdfMessage says where a PDF is and whether it opened, in French. */
export function pdfMessage(f: PDFFile, what: string): string {
  return f.opened
    ? `${what} est ouverte dans le lecteur PDF : imprimez-la depuis celui-ci. Fichier : ${f.path}`
    : `${what} est enregistrée, mais aucun lecteur PDF n’a pu s’ouvrir : ouvrez le fichier ${f.path} pour l’imprimer.`;
}

/**
 * setReferralStatus records a step of a referral (remise, realisee, non-recours with a reason,
 * annulee). Rejects: conflict (transition not allowed), invalid, not_found.
 */
export function setReferralStatus(uuid: string, status: string, reason = '', reasonText = '', note = ''): Promise<ReferralItem> {
  return call(() => ReferralsGo.SetStatus(uuid, status, reason, reasonText, note) as unknown as Promise<ReferralItem>).then(normalizeItem);
}

/** setFollowUp changes when to ask how a referral went (YYYY-MM-DD). Rejects: invalid, not_found. */
export function setFollowUp(uuid: string, date: string): Promise<void> {
  return call(() => ReferralsGo.SetFollowUp(uuid, date));
}

/** dueReferrals lists the referrals given whose follow-up has come, oldest first. */
export function dueReferrals(): Promise<ReferralItem[]> {
  return call(() => ReferralsGo.Due() as unknown as Promise<ReferralItem[] | null>).then((l) => arr(l).map(normalizeItem));
}

/** referralsOf lists a person's referrals, most recent first. */
export function referralsOf(usagerUUID: string): Promise<ReferralItem[]> {
  return call(() => ReferralsGo.OfUsager(usagerUUID) as unknown as Promise<ReferralItem[] | null>).then((l) => arr(l).map(normalizeItem));
}

/** recentSheets lists the latest sheets prepared on the desk (their first referral each). */
export function recentSheets(): Promise<ReferralItem[]> {
  return call(() => ReferralsGo.RecentSheets() as unknown as Promise<ReferralItem[] | null>).then((l) => arr(l).map(normalizeItem));
}

let vocabulary: Promise<ReferralVocabulary> | null = null;

/** referralVocabulary returns the statuses, the non-recours reasons and the transitions (asked once). */
export function referralVocabulary(): Promise<ReferralVocabulary> {
  vocabulary ??= call(() => ReferralsGo.Vocabulary()).then((v) => ({
    statuses: arr(v.statuses),
    reasons: arr(v.reasons),
    transitions: Object.fromEntries(Object.entries(v.transitions ?? {}).map(([k, t]) => [k, arr(t)])),
  }));
  vocabulary.catch(() => (vocabulary = null)); // asked again next time
  return vocabulary;
}

/** getSettings returns the desk's settings (defaults when never saved). */
export function getSettings(): Promise<Settings> {
  return call(() => SettingsGo.Get());
}

/** saveSettings checks and stores the settings. Rejects: invalid (French, every problem listed). */
export function saveSettings(s: Settings): Promise<Settings> {
  return call(() => SettingsGo.Save(s as never));
}

// ---- Sync with the central server ------------------------------------------------------------

/** normalizeSyncReport turns Go's null list of refused changes into an empty one. */
export function normalizeSyncReport(r: SyncReport): SyncReport {
  return { ...r, rejected: arr(r.rejected) };
}

/** normalizeSyncStatus turns Go's nulls and missing pointers into empty lists and nulls. */
export function normalizeSyncStatus(s: SyncStatus): SyncStatus {
  return {
    ...s,
    last_sync_at: s.last_sync_at ?? null,
    last_error_at: s.last_error_at ?? null,
    next_attempt_at: s.next_attempt_at ?? null,
    progress: s.progress ?? null,
    rejections: arr(s.rejections),
    last_report: s.last_report ? normalizeSyncReport(s.last_report) : null,
  };
}

/** syncStatus returns the desk's enrolment and sync state. Rejects: invalid (no sync on this desk). */
export function syncStatus(): Promise<SyncStatus> {
  return call(() => SyncGo.Status() as unknown as Promise<SyncStatus>).then(normalizeSyncStatus);
}

/**
 * enroll enrols the desk at a sync server with the administrator's single-use code and starts a
 * first sync in the background; returns the new state. Rejects (French messages): invalid
 * (address or code malformed, plain http to another machine, not a Passerelle server),
 * not_found (unknown code), conflict (code used or expired, or the desk holds another EDAS's
 * files), rate_limited, unavailable (the server cannot be reached).
 */
export function enroll(serverURL: string, code: string): Promise<SyncStatus> {
  return call(() => SyncGo.Enroll(serverURL, code) as unknown as Promise<SyncStatus>).then(normalizeSyncStatus);
}

/**
 * syncNow runs a sync at once (« Synchroniser maintenant ») and returns what it moved. Rejects:
 * unauthorized (not enrolled), revoked, forbidden, gap, too_large, rate_limited, unavailable.
 */
export function syncNow(): Promise<SyncReport> {
  return call(() => SyncGo.SyncNow() as unknown as Promise<SyncReport>).then(normalizeSyncReport);
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
