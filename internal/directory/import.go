package directory

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"sync"
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
	progress = serialized(progress)
	report := domain.ImportReport{Rejected: []domain.Rejection{}}

	// 1. Read and check every file; nothing is written yet.
	files, read := d.decodeAll(sources, format, progress)
	type placed struct {
		file string
		pos  int
	}
	var (
		batch    = domain.ImportBatch{Origin: origin}
		svPlaces []placed
		seen     = map[string]placed{} // record UUID → first place
	)
	// Records are large structs: size the batch once rather than let append copy it over and over.
	var nst, nsv int
	for _, f := range files {
		nst, nsv = nst+len(f.Structures), nsv+len(f.Services)
	}
	batch.Structures = make([]domain.Structure, 0, nst)
	batch.Services = make([]domain.Service, 0, nsv)
	svPlaces = make([]placed, 0, nsv)
	seen = make(map[string]placed, nst+nsv)
	dup := func(uuid string, here placed) (string, bool) {
		if first, ok := seen[uuid]; ok {
			return fmt.Sprintf("identifiant déjà présent dans %s (position %d)", first.file, first.pos), true
		}
		seen[uuid] = here
		return "", false
	}
	for i, f := range files {
		name := sources[i].Name
		if f.err != nil {
			d.log.Warn("import: file unreadable", "file", name, "err", f.err)
			report.Rejected = append(report.Rejected, domain.Rejection{File: name, Position: -1, Reason: domain.ErrorMessage(f.err)})
			continue
		}
		report.Rejected = append(report.Rejected, f.Rejected...)
		for j := range f.Structures {
			st := &f.Structures[j]
			here := placed{name, f.StructurePositions[j]}
			if reason, isDup := dup(st.UUID, here); isDup {
				report.Rejected = append(report.Rejected, domain.Rejection{File: name, Position: here.pos, ID: st.ID, Reason: reason})
				continue
			}
			st.Origin = origin
			batch.Structures = append(batch.Structures, *st)
		}
		for j := range f.Services {
			sv := &f.Services[j]
			here := placed{name, f.ServicePositions[j]}
			if reason, isDup := dup(sv.UUID, here); isDup {
				report.Rejected = append(report.Rejected, domain.Rejection{File: name, Position: here.pos, ID: sv.ID, Reason: reason})
				continue
			}
			sv.Origin = origin
			batch.Services = append(batch.Services, *sv)
			svPlaces = append(svPlaces, here)
		}
		files[i] = decoded{} // let the garbage collector have what is no longer needed
	}

	// 2. A service must belong to a structure of this import or of the stored directory.
	inBatch := make(map[string]bool, len(batch.Structures))
	for _, st := range batch.Structures {
		inBatch[st.UUID] = true
	}
	stored := map[string]bool{}
	kept := batch.Services[:0]
	for i := range batch.Services {
		sv := &batch.Services[i]
		stUUID := domain.StructureUUIDOf(sv)
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
		kept = append(kept, *sv)
	}
	batch.Services = kept
	sortRejections(report.Rejected)

	// 3. Write everything valid in one transaction. The search index is updated at the same time
	// on the other core (the store is single-threaded); should the write fail, the index is
	// rebuilt from the store, so the two never disagree.
	if len(batch.Structures)+len(batch.Services) > 0 {
		indexed := make(chan struct{})
		go func() {
			defer close(indexed)
			d.index.Upsert(batch.Structures, batch.Services)
		}()
		counts, err := d.store.ApplyImport(ctx, batch, func(p domain.ImportProgress) {
			p.Phase = "enregistrement"
			progress.Report(p)
		})
		select {
		case <-indexed:
		default:
			progress.Report(domain.ImportProgress{Phase: "indexation", Done: 0, Total: len(batch.Services)})
			<-indexed
		}
		if err != nil {
			if lerr := d.load(context.WithoutCancel(ctx)); lerr != nil {
				d.log.Error("import: reload index after a failed write", "err", lerr)
			}
			return report, fmt.Errorf("import: %w", err)
		}
		report.ImportCounts = counts
	}
	d.log.Info("import done", "files", len(sources), "read", read, "imported", report.Imported,
		"updated", report.Updated, "unchanged", report.Unchanged, "rejected", len(report.Rejected),
		"took", time.Since(start))
	return report, nil
}

// decoded is one file after reading: its records, or why it could not be read.
type decoded struct {
	datainclusion.Parsed
	err error
}

// decodeAll reads the files, two at a time (each file also spreads its records over the
// cores), and reports the records read so far across all of them.
func (d *Directory) decodeAll(sources []Source, format datainclusion.Format, progress domain.ProgressFunc) ([]decoded, int) {
	out := make([]decoded, len(sources))
	counts := make([]int, len(sources))
	var mu sync.Mutex
	var wg sync.WaitGroup
	sem := make(chan struct{}, 2)
	for i, src := range sources {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			out[i].Parsed, out[i].err = d.decode(src, format, func(n int) {
				mu.Lock()
				counts[i] = n
				total := 0
				for _, c := range counts {
					total += c
				}
				mu.Unlock()
				progress.Report(domain.ImportProgress{Phase: "lecture", Done: total})
			})
		}()
	}
	wg.Wait()
	read := 0
	for _, f := range out {
		read += f.Read
	}
	return out, read
}

// serialized makes a progress function safe to call from several goroutines.
func serialized(f domain.ProgressFunc) domain.ProgressFunc {
	if f == nil {
		return nil
	}
	var mu sync.Mutex
	return func(p domain.ImportProgress) {
		mu.Lock()
		defer mu.Unlock()
		f(p)
	}
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
