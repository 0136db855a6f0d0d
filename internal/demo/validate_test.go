package demo_test

import (
	"bytes"
	"testing"

	"github.com/edas92/passerelle/internal/datainclusion"
	"github.com/edas92/passerelle/internal/demo"
)

// TestFiles_ImportValidator runs the embedded demo through the import validator itself: the
// demo must import with no rejection.
func TestFiles_ImportValidator(t *testing.T) {
	t.Parallel()
	sts, svs := demo.Files()
	for name, b := range map[string][]byte{"structures.json": sts, "services.json": svs} {
		p, err := datainclusion.Decode(bytes.NewReader(b), name, datainclusion.Options{Format: datainclusion.FormatDIJSON})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for _, r := range p.Rejected {
			t.Errorf("%s position %d (%s): %s", name, r.Position, r.ID, r.Reason)
		}
		if p.Read == 0 || len(p.Rejected) > 0 {
			t.Fatalf("%s: %d read, %d rejected", name, p.Read, len(p.Rejected))
		}
	}
}

// TestGenerate_ImportValidator: generated benchmark data must be valid too, or benchmarks would
// measure the rejection path.
func TestGenerate_ImportValidator(t *testing.T) {
	t.Parallel()
	sts, svs := demo.Generate(2000, 7)
	var buf bytes.Buffer
	if err := datainclusion.EncodeStructures(&buf, sts); err != nil {
		t.Fatal(err)
	}
	p, err := datainclusion.Decode(&buf, "structures.json", datainclusion.Options{})
	if err != nil || len(p.Rejected) > 0 || len(p.Structures) != len(sts) {
		t.Fatalf("structures: err %v, %d rejected (%v)", err, len(p.Rejected), first(p.Rejected))
	}
	buf.Reset()
	if err := datainclusion.EncodeServices(&buf, svs); err != nil {
		t.Fatal(err)
	}
	p, err = datainclusion.Decode(&buf, "services.json", datainclusion.Options{})
	if err != nil || len(p.Rejected) > 0 || len(p.Services) != len(svs) {
		t.Fatalf("services: err %v, %d rejected (%v)", err, len(p.Rejected), first(p.Rejected))
	}
}

func first[T any](s []T) any {
	if len(s) == 0 {
		return nil
	}
	return s[0]
}
