// Plain data types of the Go seam, derived from the generated Wails models so that a change on
// the Go side shows up here at compile time. The generated classes carry helper methods
// (convertValues); what crosses the seam is plain JSON, so the methods are stripped.
import type { app, directory, domain, geo, vocab } from '../../wailsjs/go/models';

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

/** Payload of the import:progress event (domain.ImportProgress). */
export interface ImportProgress {
  phase: 'lecture' | 'enregistrement' | 'indexation' | string;
  done: number;
  total: number; // 0 when unknown
}
