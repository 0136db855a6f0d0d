package sqlite

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/edas92/passerelle/internal/datainclusion"
	"github.com/edas92/passerelle/internal/domain"
	"github.com/edas92/passerelle/internal/hlc"
	"github.com/edas92/passerelle/internal/syncmerge"

	driver "modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// Applying a pull: each pulled record of the work is merged with what the desk knows of it
// (syncmerge.MergeRemote: per field the higher HLC, deletes win, a local change not yet pushed
// stays), the merged state is kept in sync_record and sync_field, and then written into the
// desk's own tables, the way the desk's own writes would have: a usager tombstone erasing the
// file like DeleteUsager, and so on. The directory and the grids are the server's alone: their
// pulled state is the truth, written like an import (the worker's notes stay) or like SaveGrid,
// and only their version and tombstone are kept, in sync_record (sync_directory.go). What comes
// from the server is not sent back: the rows then hold exactly the merged fields, and tracking
// finds nothing to send — but a local field that won the merge is still in the outbox, and a
// consequence of the desk's own state (an interview pulled for a file erased here) is sent, so
// that every desk ends with the server's data.

// Fields of the directory and grid records (syncserver.FieldData, syncserver.FieldContent).
const (
	fieldData    = "data"
	fieldContent = "content"
)

// What became of a pulled record.
const (
	applied       = 0 // written into the desk's tables (or nothing to write)
	waitingParent = 1 // its parent is not on the desk yet: kept, written when it comes
	unappliable   = 2 // the desk's tables cannot hold it (an invalid value): kept, not written
)

// errUnappliable marks a record whose values the desk's tables refuse.
var errUnappliable = errors.New("record cannot be written")

// isConstraint reports whether err is SQLite refusing a row (CHECK, NOT NULL, UNIQUE, foreign
// key): the record is at fault, not the database.
func isConstraint(err error) bool {
	var se *driver.Error
	return errors.As(err, &se) && se.Code()&0xff == sqlite3.SQLITE_CONSTRAINT
}

// ApplyPull merges one pulled page into the desk and stores its cursor, in one transaction: the
// page is applied wholly or not at all. Per field the newer HLC wins and a local change not yet
// pushed is kept (and stays in the outbox); a tombstone deletes as the desk's own delete would
// (a usager's erases the file); the directory's records are written like an import, keeping the
// worker's notes. A record whose parent has not come yet (an interview before its usager, a
// service before its structure) is kept and written at the end of a later pull that brings the
// parent. An answer pulled with conflicts keeps them (AnswerConflicts). The desk's clock moves
// past every HLC pulled. After ResetCursor, the page with More false ends the resync: the synced
// records the full pull did not bring are removed, except those with a change waiting in the
// outbox.
//
// Several pages may be applied together as one (their records in order, the last one's cursor
// and More): a record they hold twice is written in its later, current state. The directory's
// records are written without change-log rows (nothing reads them: the server's versions are the
// directory's history, and the search index is rebuilt from the tables).
//
// It returns what the page changed: the caller refreshes the search index when Directory > 0.
// Its errors carry no domain code: a record the desk cannot write is kept aside, not refused.
func (db *DB) ApplyPull(ctx context.Context, page domain.PullResult) (domain.PullApplied, error) {
	// What needs no database is done before the write transaction: it holds the desk's one
	// writer, which the worker's own saves wait for.
	items := preparePull(page.Changes)
	var res domain.PullApplied
	err := db.inWrite(ctx, func(tx *sql.Tx) error {
		s := db.newSyncTx(ctx, tx)
		defer s.close()
		a := &applier{s: s, sheets: map[string]bool{}, histories: map[string]bool{}, page: &dirPage{s: s},
			records: &recordQueue{}}
		// Local changes get their stamps before anything is merged with them.
		if err := s.flush(); err != nil {
			return err
		}
		if err := a.run(items); err != nil {
			return err
		}
		resync, err := getMeta(ctx, tx, metaResync)
		if err != nil {
			return err
		}
		if resync == "1" && !page.More {
			if err := a.removeUnseen(); err != nil {
				return err
			}
			if err := setMeta(ctx, tx, metaResync, "0"); err != nil {
				return err
			}
		}
		if err := a.renumberSheets(); err != nil {
			return err
		}
		if err := a.renumberHistories(); err != nil {
			return err
		}
		if err := s.flush(); err != nil {
			return err
		}
		if err := setMeta(ctx, tx, metaCursor, strconv.FormatInt(page.Cursor, 10)); err != nil {
			return err
		}
		// The cursor and the since of its pull go together: a first sync cut half-way goes on
		// at the next sync, even from a cursor below the server's tombstone floor.
		since := int64(0)
		if page.More {
			since = page.Since
		}
		if err := setMeta(ctx, tx, metaSince, strconv.FormatInt(since, 10)); err != nil {
			return err
		}
		a.res.Records = len(page.Changes)
		res = a.res
		return s.saveClock()
	})
	if err != nil {
		return domain.PullApplied{}, fmt.Errorf("apply pull: %w", err)
	}
	return res, nil
}

// applier writes the records of one pull.
type applier struct {
	s         *syncTx
	res       domain.PullApplied
	sheets    map[string]bool // sheets that received new referrals: their order is set again
	histories map[string]bool // referrals that received new steps: their order is set again
	page      *dirPage        // the page's directory records as stored
	records   *recordQueue    // sync_record rows of server records, written at the end of run
}

// pullItem is a record to write: one of the page (remote set), or one kept from an earlier
// pull that waits for its parent.
type pullItem struct {
	kind, uuid string
	remote     *domain.SyncRecord
	dir        *dirRecord
}

// dirRecord is a directory record decoded from its data·inclusion JSON, and encoded as the
// desk's tables store it.
type dirRecord struct {
	st      *domain.Structure
	sv      *domain.Service
	enc     encoded
	invalid bool
}

// preparePull lists the records of a page to write, the directory's decoded. A page holds one
// state of a record, but pages applied together may hold two: the later one, the current state,
// is written.
func preparePull(changes []domain.SyncRecord) []pullItem {
	items := make([]pullItem, 0, len(changes))
	at := make(map[mark]int, len(changes))
	for i := range changes {
		c := &changes[i]
		if !syncmerge.Pulled(c.Kind) || c.UUID == "" {
			continue // not for desks (or of a later protocol): nothing to write
		}
		if j, ok := at[mark{c.Kind, c.UUID}]; ok {
			items[j].remote = c
			continue
		}
		at[mark{c.Kind, c.UUID}] = len(items)
		items = append(items, pullItem{kind: c.Kind, uuid: c.UUID, remote: c})
	}
	// The directory records are decoded in one go, with the rules of an import.
	var (
		dirIdx []int
		values []json.RawMessage
		uuids  []string
	)
	for i, it := range items {
		if (it.kind == domain.KindStructure || it.kind == domain.KindService) && !it.remote.Deleted {
			dirIdx = append(dirIdx, i)
			values = append(values, it.remote.Fields[fieldData].V)
			uuids = append(uuids, it.uuid)
		}
	}
	for j, d := range decodeDirectory(values, uuids) {
		items[dirIdx[j]].dir = &d
	}
	return items
}

func (a *applier) run(items []pullItem) error {
	inPage := make(map[mark]bool, len(items))
	for _, it := range items {
		inPage[mark{it.kind, it.uuid}] = true
	}
	// The records waiting for their parent come too: the page may bring it.
	if err := a.s.query(`SELECT kind, uuid FROM sync_record WHERE pending = 1`, nil, func(r scanner) error {
		var m mark
		if err := r.Scan(&m.kind, &m.uuid); err != nil {
			return err
		}
		if !inPage[m] {
			items = append(items, pullItem{kind: m.kind, uuid: m.uuid})
		}
		return nil
	}); err != nil {
		return fmt.Errorf("read waiting records: %w", err)
	}
	slices.SortStableFunc(items, func(x, y pullItem) int { return kindRank(x.kind) - kindRank(y.kind) })
	if err := a.page.load(items); err != nil {
		return err
	}
	for i := range items {
		if err := a.apply(&items[i]); err != nil {
			return fmt.Errorf("%s %s: %w", items[i].kind, items[i].uuid, err)
		}
	}
	if err := a.records.flush(a.s); err != nil {
		return fmt.Errorf("record: %w", err)
	}
	return nil
}

// decodeChunk is the fewest directory records decoded on one core: a page of 1,000 services is
// decoded on two.
const decodeChunk = 500

// decodeDirectory decodes data·inclusion records (nil for a missing one) with the import's
// validation, and encodes each valid one, with its uuid, as the desk's tables store it. Large
// batches are shared among the cores: the desk's database is written on one.
func decodeDirectory(values []json.RawMessage, uuids []string) []dirRecord {
	out := make([]dirRecord, len(values))
	chunks := min(runtime.GOMAXPROCS(0), len(values)/decodeChunk)
	if chunks <= 1 {
		decodeRecords(values, uuids, out)
		return out
	}
	var wg sync.WaitGroup
	for c := range chunks {
		lo, hi := c*len(values)/chunks, (c+1)*len(values)/chunks
		wg.Go(func() { decodeRecords(values[lo:hi], uuids[lo:hi], out[lo:hi]) })
	}
	wg.Wait()
	return out
}

// decodeRecords decodes values into out (as long), in one datainclusion.Decode call.
func decodeRecords(values []json.RawMessage, uuids []string, out []dirRecord) {
	if len(values) == 0 {
		return
	}
	var buf bytes.Buffer
	buf.WriteByte('[')
	for i, v := range values {
		if i > 0 {
			buf.WriteByte(',')
		}
		if len(bytes.TrimSpace(v)) == 0 {
			buf.WriteString("null") // rejected as "not an object", in its place
			continue
		}
		buf.Write(v)
	}
	buf.WriteByte(']')
	p, err := datainclusion.Decode(&buf, "synchronisation", datainclusion.Options{Format: datainclusion.FormatDIJSON})
	if err != nil {
		for i := range out {
			out[i].invalid = true
		}
		return
	}
	for i := range p.Structures {
		out[p.StructurePositions[i]].st = &p.Structures[i]
	}
	for i := range p.Services {
		out[p.ServicePositions[i]].sv = &p.Services[i]
	}
	for _, r := range p.Rejected {
		if r.Position >= 0 && r.Position < len(out) {
			out[r.Position].invalid = true
		}
	}
	for i := range out {
		d := &out[i]
		var err error
		switch {
		case d.invalid:
			continue
		case d.st != nil:
			d.enc, err = encodeRecord(uuids[i], d.st.Source, d.st.ID, d.st, d.st.Extra)
		case d.sv != nil:
			d.enc, err = encodeRecord(uuids[i], d.sv.Source, d.sv.ID, d.sv, d.sv.Extra)
		}
		d.invalid = err != nil
	}
}

// apply merges one record and writes it.
func (a *applier) apply(it *pullItem) error {
	s := a.s
	work := isWorkKind(it.kind)
	var (
		local localRecord
		err   error
	)
	if work || it.remote == nil {
		if local, err = s.loadLocal(it.kind, it.uuid); err != nil {
			return err
		}
	}
	var merged domain.SyncRecord
	if it.remote != nil {
		if err := a.observe(it.remote); err != nil {
			return err
		}
		if work {
			lr, err := local.record(it.kind, it.uuid)
			if err != nil {
				return err
			}
			merged = syncmerge.MergeRemote(lr, local.found, *it.remote)
		} else {
			// The directory and the grids are the server's alone: its state is the truth, a
			// record it removed and published again included.
			merged = *it.remote
			merged.Fields = maps.Clone(it.remote.Fields)
		}
		if work {
			a.res.Work++
			if merged.Deleted && !local.tomb {
				a.res.Removed++
			}
		}
	} else {
		if merged, err = local.record(it.kind, it.uuid); err != nil {
			return err
		}
		if !work && !merged.Deleted {
			// A directory record kept while it waited: decode it now.
			d := decodeDirectory([]json.RawMessage{merged.Fields[fieldData].V}, []string{merged.UUID})[0]
			it.dir = &d
		}
	}
	status, err := a.materialise(merged, it.dir)
	if err != nil {
		return err
	}
	if err := a.store(merged, local, it.remote != nil, status); err != nil {
		return err
	}
	if work && status == applied && !merged.Deleted {
		return a.fillMissing(merged)
	}
	return nil
}

// fillMissing records, for the fields a pulled record lacks, the value its row took (a
// default), at the lowest HLC: the row then matches what the desk knows and nothing is sent
// back, and any real write of those fields wins over them.
func (a *applier) fillMissing(merged domain.SyncRecord) error {
	missing := false
	for _, name := range syncmerge.Fields(merged.Kind) {
		if _, ok := merged.Fields[name]; !ok {
			missing = true
			break
		}
	}
	if !missing {
		return nil
	}
	cur, err := a.s.readCurrent(merged.Kind, merged.UUID)
	if err != nil || cur.state != rowLive {
		return err
	}
	for name, v := range cur.fields {
		if _, ok := merged.Fields[name]; ok {
			continue
		}
		if err := a.s.putField(merged.Kind, merged.UUID, name, v, ""); err != nil {
			return err
		}
	}
	return nil
}

// observe moves the clock past every HLC of a pulled record.
func (a *applier) observe(r *domain.SyncRecord) error {
	for _, f := range r.Fields {
		if err := a.s.observe(f.HLC); err != nil {
			return err
		}
	}
	for _, c := range r.Conflicts {
		if err := a.s.observe(c.HLC); err != nil {
			return err
		}
	}
	return a.s.observe(r.DeletedAt)
}

// store keeps the merged state of a record. Directory and grid values are not kept once written
// into their tables (storeServer); the values of the work always are (tracking compares rows
// with them).
func (a *applier) store(merged domain.SyncRecord, local localRecord, pulled bool, status int) error {
	if !isWorkKind(merged.Kind) {
		return a.storeServer(merged, pulled, status)
	}
	s := a.s
	var deleted, conflicts sql.NullString
	if merged.Deleted {
		deleted = sql.NullString{String: merged.DeletedAt, Valid: true}
	}
	if len(merged.Conflicts) > 0 && !merged.Deleted {
		b, err := json.Marshal(merged.Conflicts)
		if err != nil {
			return fmt.Errorf("encode conflicts: %w", err)
		}
		conflicts = sql.NullString{String: string(b), Valid: true}
	}
	if !pulled {
		// A record that waited: only its fate changes.
		if _, err := s.exec(`UPDATE sync_record SET pending = ? WHERE kind = ? AND uuid = ?`,
			status, merged.Kind, merged.UUID); err != nil {
			return fmt.Errorf("record: %w", err)
		}
		return nil
	}
	if _, err := s.exec(`INSERT INTO sync_record (kind, uuid, deleted, version, conflicts, pending, seen)
		VALUES (?, ?, ?, ?, ?, ?, 1)
		ON CONFLICT (kind, uuid) DO UPDATE SET deleted = excluded.deleted, version = max(version, excluded.version),
		conflicts = excluded.conflicts, pending = excluded.pending, seen = 1`,
		merged.Kind, merged.UUID, deleted, merged.Version, conflicts, status); err != nil {
		return fmt.Errorf("record: %w", err)
	}
	if merged.Deleted {
		if local.found {
			if _, err := s.exec(`DELETE FROM sync_field WHERE kind = ? AND uuid = ?`, merged.Kind, merged.UUID); err != nil {
				return fmt.Errorf("record fields: %w", err)
			}
		}
		return nil
	}
	for name, f := range merged.Fields {
		if old, ok := local.fields[name]; ok && old.HLC == f.HLC && bytes.Equal(old.V, f.V) {
			continue
		}
		v := f.V
		if v == nil {
			v = jsonNull
		}
		if err := s.putField(merged.Kind, merged.UUID, name, v, f.HLC); err != nil {
			return err
		}
	}
	return nil
}

// storeServer keeps what the desk needs of a directory record or a grid: its version and
// tombstone (sync_record, queued and written at the end of the page), and its fields only while
// it waits to be written into its table. They are the server's alone, never pushed, and written
// whole: no per-field clock is needed to merge them.
func (a *applier) storeServer(merged domain.SyncRecord, pulled bool, status int) error {
	s := a.s
	if !pulled {
		// A record that waited: only its fate changes, and its fields go once it is written.
		// (The records that waited are not among the page's: no queued row is about them.)
		if _, err := s.exec(`UPDATE sync_record SET pending = ? WHERE kind = ? AND uuid = ?`,
			status, merged.Kind, merged.UUID); err != nil {
			return fmt.Errorf("record: %w", err)
		}
		if status != applied {
			return nil
		}
		if _, err := s.exec(`DELETE FROM sync_field WHERE kind = ? AND uuid = ?`, merged.Kind, merged.UUID); err != nil {
			return fmt.Errorf("record fields: %w", err)
		}
		return nil
	}
	var deleted sql.NullString
	if merged.Deleted {
		deleted = sql.NullString{String: merged.DeletedAt, Valid: true}
	}
	a.records.add(recordRow{kind: merged.Kind, uuid: merged.UUID, deleted: deleted, version: merged.Version, pending: status})
	m := mark{merged.Kind, merged.UUID}
	prev, known := a.page.synced[m]
	a.page.synced[m] = status
	if known && prev != applied {
		// Only a record that waited has fields kept.
		if _, err := s.exec(`DELETE FROM sync_field WHERE kind = ? AND uuid = ?`, merged.Kind, merged.UUID); err != nil {
			return fmt.Errorf("record fields: %w", err)
		}
	}
	if status == applied || merged.Deleted {
		return nil
	}
	for name, f := range merged.Fields {
		v := f.V
		if v == nil {
			v = jsonNull
		}
		if err := s.putField(merged.Kind, merged.UUID, name, v, f.HLC); err != nil {
			return err
		}
	}
	return nil
}

// materialise writes a merged record into the desk's tables and says what became of it.
func (a *applier) materialise(rec domain.SyncRecord, dir *dirRecord) (int, error) {
	switch rec.Kind {
	case domain.KindStructure:
		return a.applyStructure(rec, dir)
	case domain.KindService:
		return a.applyService(rec, dir)
	case domain.KindGrid:
		return a.applyGrid(rec)
	}
	var fn func(domain.SyncRecord) (int, error)
	switch rec.Kind {
	case domain.KindUsager:
		fn = a.applyUsager
	case domain.KindInterview:
		fn = a.applyInterview
	case domain.KindAnswer:
		fn = a.applyAnswer
	case domain.KindSelection:
		fn = a.applySelection
	case domain.KindReferral:
		fn = a.applyReferral
	case kindReferralEvent:
		fn = a.applyEvent
	default:
		return applied, nil
	}
	// A record is written wholly or not at all: one refused statement rolls back its others.
	if _, err := a.s.exec(`SAVEPOINT sync_record_write`); err != nil {
		return 0, err
	}
	status, err := fn(rec)
	if errors.Is(err, errUnappliable) || isConstraint(err) {
		status, err = unappliable, nil
		if _, rerr := a.s.exec(`ROLLBACK TO sync_record_write`); rerr != nil {
			return 0, rerr
		}
	}
	if _, rerr := a.s.exec(`RELEASE sync_record_write`); rerr != nil && err == nil {
		err = rerr
	}
	return status, err
}

// renumberSheets orders the sheets that received referrals from a pull as they were made: by
// the HLC of each referral's creation (its sheet_uuid field, written once), which is the same on
// every desk, whatever order the referrals arrived in.
func (a *applier) renumberSheets() error {
	for _, sheet := range slices.Sorted(maps.Keys(a.sheets)) {
		if _, err := a.s.exec(`WITH ordered AS (
				SELECT r.uuid, row_number() OVER (ORDER BY coalesce(f.hlc, ''), r.position, r.uuid) - 1 AS pos
				FROM referral AS r LEFT JOIN sync_field AS f
					ON f.kind = 'referral' AND f.uuid = r.uuid AND f.field = 'sheet_uuid'
				WHERE r.sheet_uuid = ?1)
			UPDATE referral SET position = (SELECT pos FROM ordered WHERE ordered.uuid = referral.uuid)
			WHERE sheet_uuid = ?1`, sheet); err != nil {
			return fmt.Errorf("order sheet %s: %w", sheet, err)
		}
	}
	return nil
}

// renumberHistories orders the history of the referrals that received steps from a pull by
// their date, then their uuid: two desks that each added a step offline then hold the same
// history in the same order.
func (a *applier) renumberHistories() error {
	for _, referral := range slices.Sorted(maps.Keys(a.histories)) {
		var olds []int64
		if err := a.s.query(`SELECT e.seq FROM referral_event AS e
			LEFT JOIN sync_event AS m ON m.referral_uuid = e.referral_uuid AND m.seq = e.seq
			WHERE e.referral_uuid = ? ORDER BY e.at, coalesce(m.uuid, ''), e.seq`, []any{referral}, func(r scanner) error {
			var seq int64
			if err := r.Scan(&seq); err != nil {
				return err
			}
			olds = append(olds, seq)
			return nil
		}); err != nil {
			return fmt.Errorf("read history of %s: %w", referral, err)
		}
		sorted := true
		for i, old := range olds {
			sorted = sorted && old == int64(i+1)
		}
		if sorted {
			continue
		}
		// Out of the way first (sequences are unique and at least 1), then in their places.
		const shift = 1 << 30
		for _, table := range []string{"referral_event", "sync_event"} {
			if _, err := a.s.exec(`UPDATE `+table+` SET seq = seq + ? WHERE referral_uuid = ?`, shift, referral); err != nil {
				return fmt.Errorf("order history of %s: %w", referral, err)
			}
		}
		for i, old := range olds {
			for _, table := range []string{"referral_event", "sync_event"} {
				if _, err := a.s.exec(`UPDATE `+table+` SET seq = ? WHERE referral_uuid = ? AND seq = ?`,
					i+1, referral, old+shift); err != nil {
					return fmt.Errorf("order history of %s: %w", referral, err)
				}
			}
		}
	}
	return nil
}

// removeUnseen ends a full resync: the synced records the server no longer holds (it dropped
// their tombstones, so the full pull did not bring them) are removed from the desk as a
// tombstone would remove them, children first, and forgotten — but those with a change waiting
// in the outbox stay, for the server to receive it.
func (a *applier) removeUnseen() error {
	var gone []mark
	if err := a.s.query(`SELECT kind, uuid FROM sync_record AS r WHERE seen = 0
		AND NOT EXISTS (SELECT 1 FROM sync_outbox AS o WHERE o.kind = r.kind AND o.uuid = r.uuid)`, nil,
		func(r scanner) error {
			var m mark
			if err := r.Scan(&m.kind, &m.uuid); err != nil {
				return err
			}
			gone = append(gone, m)
			return nil
		}); err != nil {
		return fmt.Errorf("read unseen records: %w", err)
	}
	slices.SortStableFunc(gone, func(x, y mark) int {
		if c := kindRank(y.kind) - kindRank(x.kind); c != 0 {
			return c
		}
		return strings.Compare(x.uuid, y.uuid)
	})
	for _, m := range gone {
		// The directory's removals are counted as they change rows.
		if _, err := a.materialise(domain.SyncRecord{Kind: m.kind, UUID: m.uuid, Deleted: true}, nil); err != nil {
			return fmt.Errorf("remove %s %s: %w", m.kind, m.uuid, err)
		}
		if isWorkKind(m.kind) {
			a.res.Work++
			a.res.Removed++
		}
		for _, table := range []string{"sync_field", "sync_record"} {
			if _, err := a.s.exec(`DELETE FROM `+table+` WHERE kind = ? AND uuid = ?`, m.kind, m.uuid); err != nil {
				return fmt.Errorf("forget %s %s: %w", m.kind, m.uuid, err)
			}
		}
	}
	return nil
}

// AnswerConflicts returns the answers colleagues gave to the questions of an interview without
// seeing the one the desk shows (two people answered differently offline): each with its
// question, value, worker's rating, the desk that gave it and when, by question then oldest
// first. They stay until a person answers the question again (SaveAnswer), which settles it on
// every desk. Sensitive questions are included: the caller shows them only where it shows the
// health answers. ENOTFOUND when the interview is unknown.
func (db *DB) AnswerConflicts(ctx context.Context, interviewUUID string) ([]domain.ConflictingAnswer, error) {
	var list []domain.ConflictingAnswer
	err := db.inRead(ctx, func(tx *sql.Tx) error {
		if err := interviewExists(ctx, tx, interviewUUID); err != nil {
			return err
		}
		// uuids of this interview's answers sort between "uuid:" and "uuid;" (';' follows ':').
		rows, err := tx.QueryContext(ctx, `SELECT uuid, conflicts FROM sync_record
			WHERE kind = 'answer' AND uuid > ? AND uuid < ? AND conflicts IS NOT NULL AND deleted IS NULL ORDER BY uuid`,
			interviewUUID+":", interviewUUID+";")
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var key, enc string
			if err := rows.Scan(&key, &enc); err != nil {
				return err
			}
			var cs []domain.AnswerConflict
			if err := json.Unmarshal([]byte(enc), &cs); err != nil {
				return fmt.Errorf("decode conflicts of %s: %w", key, err)
			}
			_, q, _ := splitPair(key)
			for _, c := range cs {
				ca := domain.ConflictingAnswer{QuestionID: q, Device: c.Device}
				if st, err := hlc.Parse(c.HLC); err == nil {
					ca.AnsweredAt = time.UnixMilli(st.Millis).UTC()
				}
				var av answerValue
				if len(c.Value) > 0 && json.Unmarshal(c.Value, &av) == nil && len(av.Value) > 0 {
					if err := json.Unmarshal(av.Value, &ca.Value); err != nil {
						return fmt.Errorf("decode conflict of %s: %w", key, err)
					}
					ca.WorkerRating = av.WorkerRating
				}
				list = append(list, ca)
			}
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("answer conflicts of %s: %w", interviewUUID, err)
	}
	return list, nil
}
