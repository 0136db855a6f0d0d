// Plain data types of the Go seam, derived from the generated Wails models so that a change on
// the Go side shows up here at compile time. The generated classes carry helper methods
// (convertValues); what crosses the seam is plain JSON, so the methods are stripped.
import type { app, directory, domain, geo, grid, interviews, referrals, sheet, syncclient, vocab } from '../../wailsjs/go/models';

type IsAny<T> = 0 extends 1 & T ? true : false;

/** Data<T> is T without its methods, deeply: the JSON shape of a generated model. */
export type Data<T> =
  IsAny<T> extends true
    ? T
    : T extends (infer U)[]
      ? Data<U>[]
      : T extends object
        ? { [K in keyof T as T[K] extends (...args: never[]) => unknown ? never : K]: Data<T[K]> }
        : T;

export type SearchQuery = Data<domain.SearchQuery>;
export type SearchResult = Data<domain.SearchResult>;
export type Hit = Data<domain.Hit>;
export type Facets = Data<domain.Facets>;
export type Freshness = Data<domain.Freshness>;
export type Note = Data<domain.Note>;
export type Service = Data<domain.Service>;
export type Structure = Data<domain.Structure>;
export type Location = Data<domain.Location>;
export type ImportReport = Data<domain.ImportReport>;
export type Rejection = Data<domain.Rejection>;
export type Detail = Data<directory.Detail>;
export type Hours = Data<directory.Hours>;
export type Label = Data<directory.Label>;
export type Proposal = Data<directory.Proposal>;
export type Status = Data<app.Status>;
export type Reference = Data<app.Reference>;
export type Info = Data<app.Info>;
export type Commune = Data<geo.Commune>;
export type Category = Data<vocab.Category>;
export type Term = Data<vocab.Term>;

// ---- Usager files and interviews ------------------------------------------------------------
// Go's time.Time arrives as an RFC 3339 string and its pointers as null: the generated models
// say `any` and `?:` for them, so these types say what really crosses the seam.

/** An RFC 3339 timestamp as Go sends it (« 2026-03-12T10:04:05.123Z »). */
export type Timestamp = string;

type Times<T, K extends keyof T> = Omit<T, K> & { [P in K]: Timestamp };
type NullableTimes<T, K extends keyof T> = Omit<T, K> & { [P in K]: Timestamp | null };

export type AnswerValue = Data<domain.AnswerValue>;
export type Answer = Omit<Times<Data<domain.Answer>, 'answered_at'>, 'worker_rating'> & { worker_rating: number | null };
export type AnswerChange = Omit<Times<Data<domain.AnswerChange>, 'answered_at' | 'replaced_at'>, 'worker_rating'> & { worker_rating: number | null };
export type Grid = Data<domain.Grid>;
export type GridDomain = Data<domain.GridDomain>;
export type Question = Data<domain.Question>;
export type QuestionOption = Data<domain.Option>;
export type Scale = Data<domain.Scale>;
export type GridInfo = Data<domain.GridInfo>;
export type DomainProgress = Data<grid.DomainProgress>;
export type Interview = NullableTimes<Times<Data<domain.Interview>, 'started_at'>, 'completed_at'>;
export type InterviewItem = NullableTimes<Times<Data<interviews.InterviewItem>, 'started_at'>, 'completed_at'>;
export type JourneyPoint = Omit<Times<Data<interviews.JourneyPoint>, 'at'>, 'worker_rating'> & { worker_rating: number | null };
export type DomainJourney = Omit<Data<interviews.DomainJourney>, 'points' | 'first' | 'latest'> & {
  points: JourneyPoint[];
  first: JourneyPoint | null;
  latest: JourneyPoint | null;
};
export type Usager = Omit<NullableTimes<Times<Data<domain.Usager>, 'last_contact_at'>, 'consent_at'>, 'birth_year'> & { birth_year: number | null };
export type UsagerSummary = NullableTimes<Times<Data<domain.UsagerSummary>, 'last_contact_at'>, 'last_interview_at'>;
export type UsagerInput = Omit<Data<interviews.UsagerInput>, 'birth_year'> & { birth_year: number | null };
/** A usager's file (interviews.File): identity, interviews oldest first, distance travelled. */
export type UsagerFile = Omit<Data<interviews.File>, 'usager' | 'interviews' | 'journey'> & {
  usager: Usager;
  interviews: InterviewItem[];
  journey: DomainJourney[];
};
/**
 * An answer a colleague gave on another desk to the same question without seeing the one on
 * screen (sync): both are kept until someone answers the question again.
 */
export type ConflictingAnswer = Omit<Times<Data<domain.ConflictingAnswer>, 'answered_at'>, 'worker_rating'> & { worker_rating: number | null };
/** An interview as the interview screen shows it (interviews.View). */
export type InterviewView = Omit<Data<interviews.View>, 'interview' | 'answers' | 'previous' | 'previous_at' | 'history' | 'conflicts'> & {
  interview: Interview;
  answers: Record<string, Answer>;
  previous: Record<string, Answer>;
  previous_at: Timestamp | null;
  history: AnswerChange[];
  /** question id → the other desks' answers in conflict with the one in answers. */
  conflicts: Record<string, ConflictingAnswer[]>;
};
export type Need = Omit<Data<domain.Need>, 'self_assessment' | 'worker_rating'> & { self_assessment: number | null; worker_rating: number | null };
export type Suggestion = Data<domain.Suggestion>;

// ---- Referral sheets and their follow-up ------------------------------------------------------

/** The desk's settings: the worker and the EDAS printed on sheets, the default follow-up delay. */
export type Settings = Data<domain.Settings>;
/** A code with its French label (a status, a non-recours reason). */
export type Code = Data<app.Code>;
/** Referral statuses, non-recours reasons and the allowed transitions (Referrals.Vocabulary). */
export type ReferralVocabulary = Data<app.ReferralVocabulary>;
/** One step of a referral's history. */
export type ReferralChange = Times<Data<domain.ReferralChange>, 'at'>;
/** A referral as the screens list it (referrals.Item): one service, its status and history. */
export type ReferralItem = Omit<Times<Data<referrals.Item>, 'created_at'>, 'history'> & { history: ReferralChange[] };
/** What the worker chose for a new sheet. */
export type PrepareInput = Data<referrals.PrepareInput>;
/** A printed sheet's layout (internal/sheet): what the PDF is drawn from, and the preview too. */
export type SheetDocument = Omit<Times<Data<sheet.Document>, 'date'>, 'blocks'> & { blocks: SheetBlock[] };
export type SheetBlock = Omit<Data<sheet.Block>, 'kind' | 'blocks'> & { kind: SheetBlockKind; blocks?: SheetBlock[] };
export type SheetPage = Data<sheet.Page>;
export type SheetRunning = Data<sheet.Running>;
export type SheetQR = Data<sheet.QR>;
/** A sheet with its referrals and its layout (referrals.SheetView). */
export type SheetView = Omit<Data<referrals.SheetView>, 'referrals' | 'document'> & { referrals: ReferralItem[]; document: SheetDocument };

/** Kinds of blocks of a sheet (sheet.Kind*). */
export type SheetBlockKind = 'heading' | 'paragraph' | 'field' | 'qr' | 'rule' | 'group';

/** Referral statuses (domain.Referral*). */
export type ReferralStatus = 'brouillon' | 'remise' | 'realisee' | 'non-recours' | 'annulee';

/** What the screen shows before opening a file. */
export type ConsentInfo = Data<app.ConsentInfo>;

/** Question types of a grid (domain.Q*). */
export type QuestionType = 'choix-unique' | 'choix-multiples' | 'oui-non' | 'nombre' | 'texte-court' | 'texte-long' | 'echelle';

/** Interview statuses (domain.Interview*). */
export type InterviewStatus = 'en-cours' | 'termine';

/** Where a record came from (domain.Origin). */
export type Origin = 'import' | 'demo' | 'proposition' | '';

/** Freshness levels (domain.Fresh*). */
export type FreshnessLevel = 'a-jour' | 'a-verifier' | 'ancienne' | 'inconnue';

/** Opening state of a service on a weekday (domain.Day*); "" when no day was asked. */
export type OpenState = 'ouvert' | 'ferme' | 'certaines-semaines' | 'inconnu' | '';

/** Import formats (datainclusion.Format). */
export type ImportFormat = 'auto' | 'di-json' | 'csv';
/** Export formats. */
export type ExportFormat = 'di-json' | 'csv';

// ---- Sync with the central server (Paramètres → Synchronisation, the header's status) -----------

/** Phases of a sync (syncclient.Phase*): sending the desk's changes, then receiving the server's. */
export type SyncPhase = 'push' | 'pull';
/** Where a sync stands (syncclient.Progress, the sync:progress event); total is 0 when unknown. */
export type SyncProgress = Omit<Data<syncclient.Progress>, 'phase'> & { phase: SyncPhase | string };
/** A change of this desk the server refused, with its reason in French (domain.SyncRejection). */
export type SyncRejection = Times<Data<domain.SyncRejection>, 'at'>;
/** What one sync moved and how it ended (syncclient.Report, the sync:completed event). */
export type SyncReport = Omit<Times<Data<syncclient.Report>, 'started_at'>, 'rejected'> & { rejected: SyncRejection[] };
/** The desk's enrolment and sync state (app.SyncStatus, the sync:status event). */
export type SyncStatus = Omit<
  Data<app.SyncStatus>,
  'last_sync_at' | 'last_error_at' | 'next_attempt_at' | 'progress' | 'rejections' | 'last_report'
> & {
  last_sync_at: Timestamp | null;
  last_error_at: Timestamp | null;
  next_attempt_at: Timestamp | null;
  progress: SyncProgress | null;
  rejections: SyncRejection[];
  last_report: SyncReport | null;
};

/** Payload of the import:progress event (domain.ImportProgress). */
export interface ImportProgress {
  phase: 'lecture' | 'enregistrement' | 'indexation' | string;
  done: number;
  total: number; // 0 when unknown
}
