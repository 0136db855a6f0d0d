// Package demo provides Passerelle's demo directory: fictitious collaborative initiatives of the
// Hauts-de-Seine that a new desk loads on its first launch, so that a social worker (or a tester)
// sees a living directory at once; and a generator of large realistic directories for benchmarks.
//
// The embedded files are written by `go generate` from the curated specifications of
// internal/demo/curated; a test fails when they drift apart.
package demo

import (
	_ "embed"
	"time"

	"github.com/edas92/passerelle/internal/demo/internal/fiction"
)

//go:generate go run ./gen

var (
	//go:embed data/structures.json
	structuresJSON []byte
	//go:embed data/services.json
	servicesJSON []byte
)

// ReferenceDate is the fixed day both the embedded demo and Generate date their records from
// (2026-11-01, UTC): date_maj values are spread before it so that every freshness level shows.
// Tests that check freshness should measure from it, not from time.Now.
var ReferenceDate time.Time = fiction.Reference

// Files returns the embedded demo directory as data·inclusion v1 JSON: the contents of
// structures.json and services.json (arrays of records of source domain.DemoSource, with the
// passerelle_* extension fields). The slices are shared: callers must not modify them. It
// cannot fail.
func Files() (structures, services []byte) {
	return structuresJSON, servicesJSON
}
