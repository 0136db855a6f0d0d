package datainclusion

import (
	"bytes"
	"reflect"
	"testing"

	"github.com/edas92/passerelle/internal/domain"
)

// FuzzDecode checks that no input makes Decode panic, that a failure imports nothing, and that
// every accepted record has its UUID and survives export and import again. The committed corpus
// is in testdata/fuzz/FuzzDecode; run `go test -fuzz=FuzzDecode` to explore further.
func FuzzDecode(f *testing.F) {
	for _, name := range []string{"structures.json", "services.json", "guide.csv"} {
		f.Add(readFixture(f, name))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := Decode(bytes.NewReader(data), "test", Options{})
		if err != nil {
			if domain.ErrorCode(err) != domain.EINVALID || domain.ErrorMessage(err) == "" {
				t.Fatalf("error is not a French EINVALID: %v", err)
			}
			if !reflect.DeepEqual(p, Parsed{}) {
				t.Fatalf("failed Decode returned records: %+v", p)
			}
			return
		}
		checkParsed(t, p)
		for _, st := range p.Structures {
			if st.UUID == "" {
				t.Fatalf("structure without UUID: %+v", st)
			}
		}
		for _, sv := range p.Services {
			if sv.UUID == "" {
				t.Fatalf("service without UUID: %+v", sv)
			}
		}

		// Accepted records export to JSON and read back unchanged.
		var a, b bytes.Buffer
		if err := EncodeStructures(&a, p.Structures); err != nil {
			t.Fatalf("export structures: %v", err)
		}
		if err := EncodeServices(&b, p.Services); err != nil {
			t.Fatalf("export services: %v", err)
		}
		pa, erra := Decode(&a, "test", Options{})
		pb, errb := Decode(&b, "test", Options{})
		if erra != nil || errb != nil || len(pa.Rejected)+len(pb.Rejected) != 0 {
			t.Fatalf("re-import failed: %v %v %+v %+v", erra, errb, pa.Rejected, pb.Rejected)
		}
		if !reflect.DeepEqual(pa.Structures, p.Structures) || !reflect.DeepEqual(pb.Services, p.Services) {
			t.Fatalf("records changed through JSON:\n%+v\n%+v\n%+v\n%+v", p.Structures, pa.Structures, p.Services, pb.Services)
		}

		// A spreadsheet exports to CSV and reads back unchanged.
		if p.Format != FormatCSV {
			return
		}
		var c bytes.Buffer
		if err := EncodeCSV(&c, p.Structures, p.Services); err != nil {
			if !ambiguousStructure(p) {
				t.Fatalf("export CSV: %v", err)
			}
			return
		}
		pc, err := Decode(&c, "test", Options{})
		if err != nil || len(pc.Rejected) != 0 {
			t.Fatalf("CSV re-import failed: %v %+v\n%q", err, pc.Rejected, c.String())
		}
		if !reflect.DeepEqual(sortedStructures(pc.Structures), sortedStructures(p.Structures)) || !reflect.DeepEqual(pc.Services, p.Services) {
			t.Fatalf("records changed through CSV:\n%+v\n%+v\n%+v\n%+v", p.Structures, pc.Structures, p.Services, pc.Services)
		}
	})
}

// ambiguousStructure reports whether a service names, through a source other than its own, a
// structure id that two structures share: EncodeCSV cannot tell which is meant.
func ambiguousStructure(p Parsed) bool {
	type key struct{ source, id string }
	exact := map[key]bool{}
	byID := map[string]int{}
	for _, st := range p.Structures {
		exact[key{st.Source, st.ID}] = true
		byID[st.ID]++
	}
	for _, sv := range p.Services {
		if !exact[key{sv.Source, sv.StructureID}] && byID[sv.StructureID] > 1 {
			return true
		}
	}
	return false
}
