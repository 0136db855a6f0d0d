package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// TestRun checks that the generator program, run now, writes exactly the files the demo package
// embeds: a change to the curated directory without `go generate` fails here.
func TestRun(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "data")
	if err := run(dir); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"structures.json", "services.json"} {
		t.Run(name, func(t *testing.T) {
			got, err := os.ReadFile(filepath.Join(dir, name))
			if err != nil {
				t.Fatal(err)
			}
			committed, err := os.ReadFile(filepath.Join("..", "data", name))
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, committed) {
				t.Errorf("internal/demo/data/%s is stale: run `go generate ./internal/demo`", name)
			}
		})
	}
}
