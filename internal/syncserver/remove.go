package syncserver

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/edas92/passerelle/internal/domain"
)

// RemovedRecord is a directory record a removal turned into a tombstone.
type RemovedRecord struct {
	Kind string `json:"kind"` // domain.KindStructure or domain.KindService
	ID   string `json:"id"`   // its data·inclusion identifier (source--id)
	UUID string `json:"uuid"`
	// With is, for a service removed because its structure was, the structure's identifier.
	With string `json:"with,omitempty"`
}

// RemoveReport says what RemoveDirectory did.
type RemoveReport struct {
	// Removed are the records now deleted, services before their structure (the order of their
	// versions: a desk never holds a live service of a deleted structure).
	Removed []RemovedRecord `json:"removed"`
	// AlreadyRemoved are the identifiers given whose records were already deleted: nothing to do.
	AlreadyRemoved []string `json:"already_removed"`
}

// removeScanPage is the page size of the scan for a structure's services.
var removeScanPage = 1000 // a variable: a test scans in pages of one

// RemoveDirectory withdraws directory records from every desk: each identifier (data·inclusion
// "source--id") names a published structure or service, which becomes a tombstone that flows
// down like any change; a structure takes its published services with it. Everything is
// removed in one transaction, or nothing: EINVALID for an identifier that is not of the form
// source--id, ENOTFOUND (listing them) for identifiers the server never published. An
// identifier already removed is reported, not refused, so that a script may run the same
// removal twice. A later import of the same record publishes it again.
func (s *Server) RemoveDirectory(ctx context.Context, ids []string) (RemoveReport, error) {
	start := time.Now()
	var clean []string
	for _, id := range ids {
		id = strings.TrimSpace(id)
		if !strings.Contains(id, "--") || strings.HasPrefix(id, "--") || strings.HasSuffix(id, "--") {
			return RemoveReport{}, domain.Errorf(domain.EINVALID, "Identifiant « %s » incomplet : un identifiant data·inclusion s’écrit source--id (par exemple cd92--epicerie-la-cle).", id)
		}
		if !slices.Contains(clean, id) {
			clean = append(clean, id)
		}
	}
	if len(clean) == 0 {
		return RemoveReport{}, domain.Errorf(domain.EINVALID, "Indiquez au moins un identifiant de structure ou de service à retirer.")
	}

	// Which structures are to go: their services are found by a scan of the directory, outside
	// the write transaction (a scan of 100,000 services must not hold the lock the desks' pushes
	// wait for). A service published between the scan and the removal would stay; the removal
	// checks again, inside the transaction, every record it writes.
	var structures []string
	err := s.store.InTx(ctx, func(tx domain.ServerTx) error {
		structures = structures[:0]
		for _, id := range clean {
			rec, found, err := tx.Record(ctx, domain.KindStructure, domain.RecordUUID(domain.KindStructure, "", id))
			if err != nil {
				return err
			}
			if found && !rec.Deleted {
				structures = append(structures, rec.UUID)
			}
		}
		return nil
	})
	if err != nil {
		return RemoveReport{}, fmt.Errorf("remove directory: %w", err)
	}
	children := map[string][]dirRef{} // structure UUID → its live services
	if len(structures) > 0 {
		if children, err = s.servicesOf(ctx, structures); err != nil {
			return RemoveReport{}, fmt.Errorf("remove directory: %w", err)
		}
	}

	var rep RemoveReport
	err = s.store.InTx(ctx, func(tx domain.ServerTx) error {
		rep = RemoveReport{Removed: []RemovedRecord{}, AlreadyRemoved: []string{}}
		var unknown []string
		var services, structs []RemovedRecord
		taken := map[string]bool{} // kind/uuid already listed
		for _, id := range clean {
			known := false
			for _, kind := range []string{domain.KindService, domain.KindStructure} {
				uuid := domain.RecordUUID(kind, "", id)
				rec, found, err := tx.Record(ctx, kind, uuid)
				if err != nil {
					return err
				}
				if !found || rec.Site != "" {
					continue
				}
				known = true
				if rec.Deleted || taken[kind+"/"+uuid] {
					continue
				}
				taken[kind+"/"+uuid] = true
				r := RemovedRecord{Kind: kind, ID: id, UUID: uuid}
				if kind == domain.KindService {
					services = append(services, r)
					continue
				}
				structs = append(structs, r)
				for _, sv := range children[uuid] {
					if taken[domain.KindService+"/"+sv.uuid] {
						continue
					}
					taken[domain.KindService+"/"+sv.uuid] = true
					services = append(services, RemovedRecord{Kind: domain.KindService, ID: sv.id, UUID: sv.uuid, With: id})
				}
			}
			if !known {
				unknown = append(unknown, id)
			}
		}
		if len(unknown) > 0 {
			return domain.Errorf(domain.ENOTFOUND, "Identifiant(s) inconnu(s) du serveur, rien n’a été retiré : %s.", strings.Join(unknown, ", "))
		}
		for _, id := range clean {
			if !slices.ContainsFunc(services, func(r RemovedRecord) bool { return r.ID == id }) &&
				!slices.ContainsFunc(structs, func(r RemovedRecord) bool { return r.ID == id }) {
				rep.AlreadyRemoved = append(rep.AlreadyRemoved, id)
			}
		}
		for _, r := range append(services, structs...) {
			removed, err := s.tombstone(ctx, tx, r)
			if err != nil {
				return err
			}
			if removed {
				rep.Removed = append(rep.Removed, r)
			}
		}
		return nil
	})
	if err != nil {
		if domain.ErrorCode(err) == domain.ENOTFOUND {
			return RemoveReport{}, err
		}
		return RemoveReport{}, fmt.Errorf("remove directory: %w", err)
	}
	s.log.Info("directory records removed", "asked", len(clean), "removed", len(rep.Removed),
		"already_removed", len(rep.AlreadyRemoved), "took", time.Since(start))
	return rep, nil
}

// tombstone deletes a live global record, stamped after its last write. A service found by the
// scan that has since changed structure or gone is left alone (removed false).
func (s *Server) tombstone(ctx context.Context, tx domain.ServerTx, r RemovedRecord) (bool, error) {
	rec, found, err := tx.Record(ctx, r.Kind, r.UUID)
	if err != nil {
		return false, fmt.Errorf("read %s %s: %w", r.Kind, r.UUID, err)
	}
	if !found || rec.Deleted || rec.Site != "" {
		return false, nil
	}
	if r.With != "" {
		ref, ok := serviceRef(rec)
		if !ok || ref.structure != domain.RecordUUID(domain.KindStructure, "", r.With) {
			return false, nil
		}
	}
	seen := []string{rec.DeletedAt}
	for _, f := range rec.Fields {
		seen = append(seen, f.HLC)
	}
	if _, err := tx.PutRecord(ctx, domain.SyncRecord{Kind: r.Kind, UUID: r.UUID, Deleted: true, DeletedAt: s.hlcNow(seen...)}); err != nil {
		return false, fmt.Errorf("remove %s %s: %w", r.Kind, r.UUID, err)
	}
	return true, nil
}

// dirRef is a published service as the removal sees it.
type dirRef struct {
	uuid, id  string // its UUID and data·inclusion identifier
	structure string // its structure's UUID
}

// serviceRef reads the identifiers of a service record's data·inclusion object.
func serviceRef(rec domain.SyncRecord) (dirRef, bool) {
	f, ok := rec.Fields[FieldData]
	if !ok {
		return dirRef{}, false
	}
	var v struct {
		ID          string `json:"id"`
		Source      string `json:"source"`
		StructureID string `json:"structure_id"`
	}
	if err := json.Unmarshal(f.V, &v); err != nil || v.StructureID == "" {
		return dirRef{}, false
	}
	return dirRef{uuid: rec.UUID, id: domain.QualifiedID(v.Source, v.ID),
		structure: domain.RecordUUID(domain.KindStructure, v.Source, v.StructureID)}, true
}

// servicesOf scans the published directory for the live services of the given structures. The
// scan reads the global records only (a pull of no site), page by page; should the housekeeping
// raise the tombstone floor meanwhile, it starts again.
func (s *Server) servicesOf(ctx context.Context, structures []string) (map[string][]dirRef, error) {
	for attempt := 0; ; attempt++ {
		out := map[string][]dirRef{}
		var cursor, since int64
		for {
			page, err := s.store.Pull(ctx, "", cursor, since, removeScanPage)
			if domain.ErrorCode(err) == domain.ERESYNC && attempt < 3 {
				break
			} else if err != nil {
				return nil, fmt.Errorf("scan services: %w", err)
			}
			for _, rec := range page.Changes {
				if rec.Kind != domain.KindService || rec.Deleted || rec.Site != "" {
					continue
				}
				if ref, ok := serviceRef(rec); ok && slices.Contains(structures, ref.structure) {
					out[ref.structure] = append(out[ref.structure], ref)
				}
			}
			cursor, since = page.Cursor, page.Since
			if !page.More {
				return out, nil
			}
		}
	}
}
