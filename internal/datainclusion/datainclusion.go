// Package datainclusion reads and writes the directory's exchange formats: data·inclusion v1
// JSON (the national export files and API pages) and the département's own CSV spreadsheet
// (docs/import-formats.md). Reading validates every record against the official data·inclusion
// v1.0.8 JSON Schemas and a few common-sense rules; an invalid record is rejected with a precise
// French reason, never corrected. Writing is lossless: a decoded file exports back to the same
// records.
package datainclusion

import (
	"bufio"
	"bytes"
	"io"

	"github.com/edas92/passerelle/internal/domain"
)

// Format is the format of an import file.
type Format string

// The formats Decode reads.
const (
	FormatAuto   Format = "auto"    // sniffed from the content
	FormatDIJSON Format = "di-json" // data·inclusion v1 JSON
	FormatCSV    Format = "csv"     // the département's spreadsheet
)

// Parsed is one import file after validation.
type Parsed struct {
	Format     Format
	Structures []domain.Structure // valid records, Meta.UUID set with domain.RecordUUID
	Services   []domain.Service
	Rejected   []domain.Rejection // invalid records: position and French reason
	Read       int                // records read (valid + rejected)

	// StructurePositions and ServicePositions give where each valid record is in the file,
	// parallel to Structures and Services (same meaning as domain.Rejection.Position), so that a
	// later check (a duplicate across files, a missing structure) can point at it.
	StructurePositions []int
	ServicePositions   []int
}

// Options tune Decode.
type Options struct {
	Format   Format            // FormatAuto (or ""): sniff from the content (JSON starts with [ or {), else CSV
	Progress func(records int) // optional, called every few thousand records and once at the end
}

// progressEvery is how many records pass between two Progress calls.
const progressEvery = 5000

// utf8BOM starts files saved by Windows tools; it is skipped on reading and written on CSV export
// so that Excel opens the file as UTF-8.
var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// Decode reads and validates one file. Every valid record is returned with its UUID; every
// invalid one is listed in Rejected with its position and a French reason. err is an EINVALID
// *domain.Error (French message naming file) only when the file cannot be read at all (not
// JSON, truncated, not UTF-8, empty, unknown or missing CSV column…): then nothing from it may
// be imported and the returned Parsed is empty.
func Decode(r io.Reader, file string, opt Options) (Parsed, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	if b, _ := br.Peek(len(utf8BOM)); bytes.Equal(b, utf8BOM) {
		_, _ = br.Discard(len(utf8BOM))
	}
	first, skippedLines, err := sniff(br)
	if err == io.EOF {
		return Parsed{}, invalid(nil, "Le fichier « %s » est vide.", file)
	} else if err != nil {
		return Parsed{}, invalid(err, "Le fichier « %s » n’a pas pu être lu jusqu’au bout.", file)
	}
	format := opt.Format
	switch format {
	case FormatAuto, "":
		format = FormatCSV
		if first == '[' || first == '{' {
			format = FormatDIJSON
		}
	case FormatDIJSON, FormatCSV:
	default:
		return Parsed{}, invalid(nil, "Format d’import inconnu « %s » : choisissez data·inclusion JSON ou CSV.", string(format))
	}
	d := &decoder{file: file, progress: opt.Progress, out: Parsed{Format: format},
		structures: map[string]int{}, services: map[string]int{}}
	if format == FormatDIJSON {
		err = d.json(br)
	} else {
		err = d.csv(br, skippedLines)
	}
	if err != nil {
		return Parsed{}, err
	}
	if d.progress != nil && d.out.Read%progressEvery != 0 {
		d.progress(d.out.Read)
	}
	return d.out, nil
}

// sniff returns the first byte that is not white space, without consuming it. White space
// beyond the read buffer is consumed; the number of line breaks in it is returned so that CSV
// line numbers stay true.
func sniff(br *bufio.Reader) (byte, int, error) {
	lines := 0
	for {
		b, err := br.Peek(br.Size())
		for _, c := range b {
			switch c {
			case ' ', '\t', '\r', '\n':
			default:
				return c, lines, nil
			}
		}
		if err != nil && err != bufio.ErrBufferFull {
			return 0, 0, err
		}
		// Only a buffer of nothing but white space is consumed; count its lines.
		lines += bytes.Count(b, []byte{'\n'})
		_, _ = br.Discard(len(b))
	}
}

// decoder holds the state of one Decode call, shared by both formats.
type decoder struct {
	file     string
	progress func(int)
	out      Parsed
	// UUID → position of the first record with that identifier, to reject later duplicates.
	structures map[string]int
	services   map[string]int
}

// accept counts one more valid record read and reports progress; the caller appends it.
func (d *decoder) accept() {
	d.out.Read++
	if d.progress != nil && d.out.Read%progressEvery == 0 {
		d.progress(d.out.Read)
	}
}

// reject counts one more record read, refused with its French reason.
func (d *decoder) reject(pos int, id, reason string) {
	d.accept()
	d.out.Rejected = append(d.out.Rejected, domain.Rejection{File: d.file, Position: pos, ID: id, Reason: reason})
}

// fileError is a file-level failure: a French domain error for the user and, when there is one,
// the underlying error for the logs.
type fileError struct {
	de    *domain.Error
	cause error
}

func (e *fileError) Error() string {
	if e.cause != nil {
		return e.de.Error() + ": " + e.cause.Error()
	}
	return e.de.Error()
}

func (e *fileError) Unwrap() []error { return []error{e.de, e.cause} }

// invalid builds the EINVALID error of a file that cannot be imported.
func invalid(cause error, format string, args ...any) error {
	de := domain.Errorf(domain.EINVALID, format, args...)
	if cause == nil {
		return de
	}
	return &fileError{de: de, cause: cause}
}
