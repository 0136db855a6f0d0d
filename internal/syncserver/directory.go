package syncserver

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"time"

	"github.com/edas92/passerelle/internal/datainclusion"
	"github.com/edas92/passerelle/internal/domain"
	"github.com/edas92/passerelle/internal/grid"
)

// Fields of the global records the server publishes.
const (
	// FieldData is the one field of a structure or service record: the data·inclusion v1 JSON
	// object, as datainclusion.EncodeStructures/EncodeServices write it (every schema field,
	// the passerelle_* extension fields, and the unknown fields the file carried), so that a
	// desk decodes it with the same code as an import file.
	FieldData = "data"
	// FieldContent is the one field of a grid record: the grid as JSON (domain.Grid).
	FieldContent = "content"
)

// ImportFile is one directory file to import: a name for the report and a way to open it.
type ImportFile struct {
	Name string
	Open func() (io.ReadCloser, error)
}

// FileOnDisk is a file on disk, reported under its path.
func FileOnDisk(path string) ImportFile {
	return ImportFile{Name: path, Open: func() (io.ReadCloser, error) { return os.Open(path) }}
}

// FileBytes is content already in memory.
func FileBytes(name string, b []byte) ImportFile {
	return ImportFile{Name: name, Open: func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(b)), nil }}
}

// placedRecord is where a valid record was read, for a rejection found later.
type placedRecord struct {
	file string
	pos  int
}

// dirBatch is the valid records of an import, with where each was read.
type dirBatch struct {
	structures []domain.Structure
	stPlaces   []placedRecord
	services   []domain.Service
	svPlaces   []placedRecord
}

// ImportDirectory reads, checks and publishes directory files (data·inclusion v1 JSON or the
// département's CSV, format as datainclusion.Decode reads it) with the rules and the report of
// a desk's import: an invalid record is rejected with its file, position and French reason; a
// file that cannot be read at all gives one rejection at position -1; an identifier seen twice
// keeps its first record; a service needs its structure in these files or already published.
// The valid records are written in one transaction as global records (kind structure or
// service, field FieldData, a server HLC), which every desk pulls; an identical record is left
// untouched (no new version). A record absent from a later import is not deleted: a file may
// hold part of the directory. The returned error is for failures of the server itself.
func (s *Server) ImportDirectory(ctx context.Context, files []ImportFile, format datainclusion.Format) (domain.ImportReport, error) {
	start := time.Now()
	report := domain.ImportReport{Rejected: []domain.Rejection{}}
	var b dirBatch
	seen := map[string]placedRecord{} // record UUID → first place
	dup := func(uuid string, here placedRecord) (string, bool) {
		if first, ok := seen[uuid]; ok {
			return fmt.Sprintf("identifiant déjà présent dans %s (position %d)", first.file, first.pos), true
		}
		seen[uuid] = here
		return "", false
	}
	read := 0
	for _, f := range files {
		p, err := decodeFile(f, format)
		if err != nil {
			s.log.Warn("import: file unreadable", "file", f.Name, "err", err)
			report.Rejected = append(report.Rejected, domain.Rejection{File: f.Name, Position: -1, Reason: domain.ErrorMessage(err)})
			continue
		}
		read += p.Read
		report.Rejected = append(report.Rejected, p.Rejected...)
		for j, st := range p.Structures {
			here := placedRecord{f.Name, p.StructurePositions[j]}
			if reason, isDup := dup(st.UUID, here); isDup {
				report.Rejected = append(report.Rejected, domain.Rejection{File: f.Name, Position: here.pos, ID: st.ID, Reason: reason})
				continue
			}
			b.structures, b.stPlaces = append(b.structures, st), append(b.stPlaces, here)
		}
		for j, sv := range p.Services {
			here := placedRecord{f.Name, p.ServicePositions[j]}
			if reason, isDup := dup(sv.UUID, here); isDup {
				report.Rejected = append(report.Rejected, domain.Rejection{File: f.Name, Position: here.pos, ID: sv.ID, Reason: reason})
				continue
			}
			b.services, b.svPlaces = append(b.services, sv), append(b.svPlaces, here)
		}
	}
	counts, rejected, err := s.publishDirectory(ctx, b, false)
	if err != nil {
		return report, fmt.Errorf("import directory: %w", err)
	}
	report.ImportCounts = counts
	report.Rejected = append(report.Rejected, rejected...)
	sortRejections(report.Rejected)
	s.log.Info("directory imported", "files", len(files), "read", read, "imported", counts.Imported,
		"updated", counts.Updated, "unchanged", counts.Unchanged, "rejected", len(report.Rejected),
		"took", time.Since(start))
	return report, nil
}

func decodeFile(f ImportFile, format datainclusion.Format) (datainclusion.Parsed, error) {
	rc, err := f.Open()
	if err != nil {
		return datainclusion.Parsed{}, domain.Errorf(domain.EINVALID, "Impossible d’ouvrir le fichier %s.", filepath.Base(f.Name))
	}
	defer rc.Close()
	return datainclusion.Decode(rc, f.Name, datainclusion.Options{Format: format})
}

// publishDirectory writes a batch of valid records in one transaction and returns what it did
// and the services it refused because their structure is neither in the batch nor published.
// With strict, such a refusal writes nothing: it is returned as an EINVALID error instead.
func (s *Server) publishDirectory(ctx context.Context, b dirBatch, strict bool) (domain.ImportCounts, []domain.Rejection, error) {
	var (
		counts   domain.ImportCounts
		rejected []domain.Rejection
	)
	if len(b.structures)+len(b.services) == 0 {
		return counts, nil, nil
	}
	inBatch := make(map[string]bool, len(b.structures))
	for _, st := range b.structures {
		inBatch[st.UUID] = true
	}
	err := s.store.InTx(ctx, func(tx domain.ServerTx) error {
		counts, rejected = domain.ImportCounts{}, nil
		published := map[string]bool{}
		var keep []domain.Service
		for i := range b.services {
			sv := &b.services[i]
			stUUID := domain.StructureUUIDOf(sv)
			if !inBatch[stUUID] {
				known, ok := published[stUUID]
				if !ok {
					rec, found, err := tx.Record(ctx, domain.KindStructure, stUUID)
					if err != nil {
						return fmt.Errorf("look up structure: %w", err)
					}
					known = found && !rec.Deleted
					published[stUUID] = known
				}
				if !known {
					rejected = append(rejected, domain.Rejection{File: b.svPlaces[i].file, Position: b.svPlaces[i].pos, ID: sv.ID,
						Reason: fmt.Sprintf("structure_id : la structure « %s » est inconnue (importez son fichier de structures avec celui-ci)", sv.StructureID)})
					continue
				}
			}
			keep = append(keep, *sv)
		}
		if strict && len(rejected) > 0 {
			return domain.Errorf(domain.EINVALID, "%s", rejected[0].Reason)
		}
		for i := range b.structures {
			data, err := encodeOne(datainclusion.EncodeStructures, b.structures[i])
			if err != nil {
				return err
			}
			if err := s.putGlobal(ctx, tx, domain.KindStructure, b.structures[i].UUID, FieldData, data, &counts); err != nil {
				return err
			}
		}
		for i := range keep {
			data, err := encodeOne(datainclusion.EncodeServices, keep[i])
			if err != nil {
				return err
			}
			if err := s.putGlobal(ctx, tx, domain.KindService, keep[i].UUID, FieldData, data, &counts); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return domain.ImportCounts{}, nil, err
	}
	return counts, rejected, nil
}

// encodeOne encodes one record with a datainclusion array encoder and returns the object alone.
func encodeOne[R any](encode func(io.Writer, []R) error, r R) (json.RawMessage, error) {
	var buf bytes.Buffer
	if err := encode(&buf, []R{r}); err != nil {
		return nil, fmt.Errorf("encode record: %w", err)
	}
	b := bytes.TrimSpace(buf.Bytes())
	b = bytes.TrimSpace(bytes.TrimSuffix(bytes.TrimPrefix(b, []byte("[")), []byte("]")))
	return json.RawMessage(b), nil
}

// putGlobal writes a global record of one field unless it already holds that value, and counts
// what it did. A tombstone given a value again is a new record.
func (s *Server) putGlobal(ctx context.Context, tx domain.ServerTx, kind, uuid, field string, v json.RawMessage, counts *domain.ImportCounts) error {
	cur, found, err := tx.Record(ctx, kind, uuid)
	if err != nil {
		return fmt.Errorf("read %s %s: %w", kind, uuid, err)
	}
	old, has := cur.Fields[field]
	switch {
	case found && !cur.Deleted && has && len(cur.Fields) == 1 && sameJSON(old.V, v):
		counts.Unchanged++
		return nil
	case found && !cur.Deleted:
		counts.Updated++
	default:
		counts.Imported++
	}
	seen := []string{cur.DeletedAt}
	for _, f := range cur.Fields {
		seen = append(seen, f.HLC)
	}
	rec := domain.SyncRecord{Kind: kind, UUID: uuid,
		Fields: map[string]domain.FieldValue{field: {V: v, HLC: s.hlcNow(seen...)}}}
	if _, err := tx.PutRecord(ctx, rec); err != nil {
		return fmt.Errorf("write %s %s: %w", kind, uuid, err)
	}
	return nil
}

// sameJSON compares two JSON values as compact text (the store may give back what it was given
// with another spacing).
func sameJSON(a, b []byte) bool {
	var ca, cb bytes.Buffer
	if json.Compact(&ca, a) != nil || json.Compact(&cb, b) != nil {
		return bytes.Equal(a, b)
	}
	return bytes.Equal(ca.Bytes(), cb.Bytes())
}

func sortRejections(rs []domain.Rejection) {
	sort.SliceStable(rs, func(i, j int) bool {
		if rs[i].File != rs[j].File {
			return rs[i].File < rs[j].File
		}
		return rs[i].Position < rs[j].Position
	})
}

// GridUUID is the uuid of a published grid's record: "id@version".
func GridUUID(id string, version int) string { return fmt.Sprintf("%s@%d", id, version) }

// PublishGrid checks a grid file (grid.Parse) and publishes it to every desk: a global record of
// kind grid, uuid GridUUID, one field FieldContent holding the grid as JSON. added is false when
// that version is already published with the same content (nothing is written). EINVALID with
// grid.Parse's French message; ECONFLICT when that version is already published with another
// content — a published version never changes: give the new one a new version number.
func (s *Server) PublishGrid(ctx context.Context, file []byte) (g domain.Grid, added bool, err error) {
	g, err = grid.Parse(file)
	if err != nil {
		return domain.Grid{}, false, err
	}
	content, err := json.Marshal(g)
	if err != nil {
		return domain.Grid{}, false, fmt.Errorf("publish grid: %w", err)
	}
	uuid := GridUUID(g.ID, g.Version)
	err = s.store.InTx(ctx, func(tx domain.ServerTx) error {
		cur, found, err := tx.Record(ctx, domain.KindGrid, uuid)
		if err != nil {
			return err
		}
		if found && !cur.Deleted {
			if old, ok := cur.Fields[FieldContent]; ok && sameJSON(old.V, content) {
				added = false
				return nil
			}
			return domain.Errorf(domain.ECONFLICT, "La grille « %s » version %d est déjà publiée, avec un autre contenu : une version publiée ne change plus, donnez à celle-ci le numéro de version %d ou plus.", g.ID, g.Version, g.Version+1)
		}
		var counts domain.ImportCounts
		added = true
		return s.putGlobal(ctx, tx, domain.KindGrid, uuid, FieldContent, content, &counts)
	})
	if err != nil {
		if domain.ErrorCode(err) == domain.ECONFLICT {
			return domain.Grid{}, false, err
		}
		return domain.Grid{}, false, fmt.Errorf("publish grid: %w", err)
	}
	if added {
		s.log.Info("grid published", "grid", uuid)
	}
	return g, added, nil
}
