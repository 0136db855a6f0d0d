package directory

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"time"

	"github.com/edas92/passerelle/internal/datainclusion"
	"github.com/edas92/passerelle/internal/domain"
)

// Source is one file to import: a name for the report and a way to open it.
type Source struct {
	Name string
	Open func() (io.ReadCloser, error)
}

// FileSource is a file on disk, reported under its path.
func FileSource(path string) Source {
	return Source{Name: path, Open: func() (io.ReadCloser, error) { return os.Open(path) }}
}

// BytesSource is content already in memory (the embedded demo directory).
func BytesSource(name string, b []byte) Source {
	return Source{Name: name, Open: func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(b)), nil }}
}

// Import reads, checks and stores directory files in one transaction. Invalid records are
// rejected with their file, position and a French reason, never changed; a file that cannot be
// read at all contributes nothing (one rejection with position -1). Structures are taken from
// every file before services, so a structures file and its services file can be given in any
// order. Importing the same files again changes nothing. The returned error is for failures of
// the desk itself (storage); bad input is reported in the report.
func (d *Directory) Import(ctx context.Context, sources []Source, format datainclusion.Format, origin domain.Origin, progress domain.ProgressFunc) (domain.ImportReport, error) {
	d.writes.Lock()
	defer d.writes.Unlock()
	start := time.Now()
	report := domain.ImportReport{Rejected: []domain.Rejection{}}

	// 1. Read and check every file; nothing is written yet.
	type placed struct {
		file string
		pos  int
	}
	var (
		batch    = domain.ImportBatch{Origin: origin}
		svPlaces []placed
		seen     = map[string]placed{} // kind + qualified id → first place
		read     int
	)
	dup := func(kind, source, id string, here placed) (string, bool) {
		key := kind + ":" + domain.QualifiedID(source, id)
		if first, ok := seen[key]; ok {
			return fmt.Sprintf("identifiant déjà présent dans %s (position %d)", first.file, first.pos), true
		}
		seen[key] = here
		return "", false
	}
	for _, src := range sources {
		parsed, err := d.decode(src, format, func(n int) {
			progress.Report(domain.ImportProgress{Phase: "lecture", Done: read + n})
		})
		if err != nil {
			d.log.Warn("import: file unreadable", "file", src.Name, "err", err)
			report.Rejected = append(report.Rejected, domain.Rejection{
				File: src.Name, Position: -1, Reason: domain.ErrorMessage(err)})
			continue
		}
		read += parsed.Read
		report.Rejected = append(report.Rejected, parsed.Rejected...)
		for i, st := range parsed.Structures {
			here := placed{src.Name, parsed.StructurePositions[i]}
			if reason, isDup := dup(domain.KindStructure, st.Source, st.ID, here); isDup {
				report.Rejected = append(report.Rejected, domain.Rejection{File: here.file, Position: here.pos, ID: st.ID, Reason: reason})
				continue
			}
			batch.Structures = append(batch.Structures, st)
		}
		for i, sv := range parsed.Services {
			here := placed{src.Name, parsed.ServicePositions[i]}
			if reason, isDup := dup(domain.KindService, sv.Source, sv.ID, here); isDup {
				report.Rejected = append(report.Rejected, domain.Rejection{File: here.file, Position: here.pos, ID: sv.ID, Reason: reason})
				continue
			}
			batch.Services = append(batch.Services, sv)
			svPlaces = append(svPlaces, here)
		}
	}

	// 2. A service must belong to a structure of this import or of the stored directory.
	inBatch := make(map[string]bool, len(batch.Structures))
	for _, st := range batch.Structures {
		inBatch[st.UUID] = true
	}
	stored := map[string]bool{}
	kept := batch.Services[:0]
	for i, sv := range batch.Services {
		stUUID := domain.StructureUUIDOf(&sv)
		if !inBatch[stUUID] {
			known, ok := stored[stUUID]
			if !ok {
				_, err := d.store.Structure(ctx, stUUID)
				switch domain.ErrorCode(err) {
				case "":
					known = true
				case domain.ENOTFOUND:
				default:
					return report, fmt.Errorf("import: look up structure: %w", err)
				}
				stored[stUUID] = known
			}
			if !known {
				report.Rejected = append(report.Rejected, domain.Rejection{
					File: svPlaces[i].file, Position: svPlaces[i].pos, ID: sv.ID,
					Reason: fmt.Sprintf("structure_id : la structure « %s » est inconnue (importez son fichier de structures avec celui-ci)", sv.StructureID)})
				continue
			}
		}
		kept = append(kept, sv)
	}
	batch.Services = kept
	sortRejections(report.Rejected)

	// 3. Write everything valid in one transaction, then follow in the index.
	if len(batch.Structures)+len(batch.Services) > 0 {
		counts, err := d.store.ApplyImport(ctx, batch, func(p domain.ImportProgress) {
			p.Phase = "enregistrement"
			progress.Report(p)
		})
		if err != nil {
			return report, fmt.Errorf("import: %w", err)
		}
		report.ImportCounts = counts
		if counts.Imported+counts.Updated > 0 {
			total := len(batch.Services)
			progress.Report(domain.ImportProgress{Phase: "indexation", Done: 0, Total: total})
			d.index.Upsert(batch.Structures, batch.Services)
			progress.Report(domain.ImportProgress{Phase: "indexation", Done: total, Total: total})
		}
	}
	d.log.Info("import done", "files", len(sources), "read", read, "imported", report.Imported,
		"updated", report.Updated, "unchanged", report.Unchanged, "rejected", len(report.Rejected),
		"took", time.Since(start))
	return report, nil
}

func (d *Directory) decode(src Source, format datainclusion.Format, progress func(int)) (datainclusion.Parsed, error) {
	rc, err := src.Open()
	if err != nil {
		d.log.Warn("import: open", "file", src.Name, "err", err)
		return datainclusion.Parsed{}, domain.Errorf(domain.EINVALID, "Impossible d’ouvrir le fichier %s.", filepath.Base(src.Name))
	}
	defer rc.Close()
	return datainclusion.Decode(rc, src.Name, datainclusion.Options{Format: format, Progress: progress})
}

func sortRejections(rs []domain.Rejection) {
	sort.SliceStable(rs, func(i, j int) bool {
		if rs[i].File != rs[j].File {
			return rs[i].File < rs[j].File
		}
		return rs[i].Position < rs[j].Position
	})
}

// Export writes the live directory: data·inclusion v1 JSON as structures.json and services.json
// in dir (FormatDIJSON), or one CSV file at path (FormatCSV). Records are ordered by identifier.
// Files are written next to their destination and renamed, so a failed export never leaves a
// half-written file behind.
func (d *Directory) Export(ctx context.Context, format datainclusion.Format, out string) ([]string, error) {
	sts, svs, err := d.store.LoadDirectory(ctx)
	if err != nil {
		return nil, fmt.Errorf("export: %w", err)
	}
	sort.Slice(sts, func(i, j int) bool { return sts[i].ID < sts[j].ID })
	sort.Slice(svs, func(i, j int) bool { return svs[i].ID < svs[j].ID })
	switch format {
	case datainclusion.FormatDIJSON:
		if err := os.MkdirAll(out, 0o755); err != nil {
			return nil, domain.Errorf(domain.EINVALID, "Impossible de créer le dossier %s.", out)
		}
		a, b := filepath.Join(out, "structures.json"), filepath.Join(out, "services.json")
		if err := writeAtomic(a, func(w io.Writer) error { return datainclusion.EncodeStructures(w, sts) }); err != nil {
			return nil, err
		}
		if err := writeAtomic(b, func(w io.Writer) error { return datainclusion.EncodeServices(w, svs) }); err != nil {
			return nil, err
		}
		return []string{a, b}, nil
	case datainclusion.FormatCSV:
		if err := writeAtomic(out, func(w io.Writer) error { return datainclusion.EncodeCSV(w, sts, svs) }); err != nil {
			return nil, err
		}
		return []string{out}, nil
	}
	return nil, domain.Errorf(domain.EINVALID, "Format d’export inconnu « %s » : di-json ou csv.", format)
}

func writeAtomic(path string, write func(io.Writer) error) error {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return domain.Errorf(domain.EINVALID, "Impossible d’écrire dans le dossier %s.", filepath.Dir(path))
	}
	defer os.Remove(f.Name())              // no-op after the rename
	if err := f.Chmod(0o644); err != nil { // an export is meant to be shared
		f.Close()
		return fmt.Errorf("export %s: %w", path, err)
	}
	if err := write(f); err != nil {
		f.Close()
		return fmt.Errorf("export %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("export %s: %w", path, err)
	}
	if err := os.Rename(f.Name(), path); err != nil {
		return fmt.Errorf("export %s: %w", path, err)
	}
	return nil
}
