package app

import (
	"path/filepath"
	"strings"
	"time"

	"github.com/edas92/passerelle/internal/datainclusion"
	"github.com/edas92/passerelle/internal/directory"
	"github.com/edas92/passerelle/internal/domain"
)

// Imports is the Import / Export screen.
type Imports struct {
	core *core
	dir  *directory.Directory
}

// ChooseFiles opens the system's file chooser and returns the chosen paths (none when cancelled).
func (im *Imports) ChooseFiles() ([]string, error) {
	return im.core.rt.OpenFiles(im.core.context(), "Choisir les fichiers à importer")
}

// Import reads, checks and stores the files (format "auto", "di-json" or "csv"); progress is sent
// as EventImportProgress events, and EventDirectoryChanged follows when something changed.
// Bad records are in the report, not in the error. Errors: invalid (no file, unknown format).
func (im *Imports) Import(paths []string, format string) (domain.ImportReport, error) {
	ctx := im.core.context()
	var clean []string
	for _, p := range paths {
		if p = strings.TrimSpace(p); p != "" {
			clean = append(clean, p)
		}
	}
	if len(clean) == 0 {
		return domain.ImportReport{}, domain.Errorf(domain.EINVALID, "Choisissez au moins un fichier à importer.")
	}
	f := datainclusion.Format(format)
	if format == "" {
		f = datainclusion.FormatAuto
	}
	if f != datainclusion.FormatAuto && f != datainclusion.FormatDIJSON && f != datainclusion.FormatCSV {
		return domain.ImportReport{}, domain.Errorf(domain.EINVALID, "Format inconnu « %s ».", format)
	}
	if err := im.core.waitLoaded(ctx); err != nil {
		return domain.ImportReport{}, err
	}
	sources := make([]directory.Source, len(clean))
	for i, p := range clean {
		sources[i] = directory.FileSource(p)
	}
	// Progress events at most ten times a second: the window stays responsive on 100,000 records.
	var last time.Time
	var lastPhase string
	progress := func(p domain.ImportProgress) {
		if p.Phase == lastPhase && time.Since(last) < 100*time.Millisecond {
			return
		}
		last, lastPhase = time.Now(), p.Phase
		im.core.emit(EventImportProgress, p)
	}
	rep, err := im.dir.Import(ctx, sources, f, domain.OriginImport, progress)
	if err != nil {
		return rep, err
	}
	if rep.Imported+rep.Updated > 0 {
		im.core.emit(EventDirectoryChanged)
	}
	return rep, nil
}

// Export asks where to write and exports the directory: "di-json" (a folder receives
// structures.json and services.json) or "csv" (one file). Returns the written paths, none when
// the worker cancelled. Errors: invalid.
func (im *Imports) Export(format string) ([]string, error) {
	ctx := im.core.context()
	var out string
	var err error
	switch datainclusion.Format(format) {
	case datainclusion.FormatDIJSON:
		out, err = im.core.rt.OpenDirectory(ctx, "Choisir le dossier de l’export data·inclusion")
	case datainclusion.FormatCSV:
		out, err = im.core.rt.SaveFile(ctx, "Enregistrer l’export CSV", "annuaire-passerelle.csv")
	default:
		return nil, domain.Errorf(domain.EINVALID, "Format d’export inconnu « %s ».", format)
	}
	if err != nil || out == "" {
		return nil, err
	}
	return im.ExportTo(format, out)
}

// ExportTo exports the directory to a folder (di-json) or a file (csv) given by path.
// Errors: invalid (unknown format, folder not writable).
func (im *Imports) ExportTo(format, path string) ([]string, error) {
	if format == string(datainclusion.FormatCSV) && filepath.Ext(path) == "" {
		path += ".csv"
	}
	return im.dir.Export(im.core.context(), datainclusion.Format(format), path)
}
