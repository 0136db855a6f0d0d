package datainclusion

import (
	"bufio"
	"encoding/json"
	"errors"
	"io"
	"reflect"
	"strings"
	"testing"
)

func TestSplitter(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, in string
		want     []string
		err      string // "eof", "syntax", or "" for none
	}{
		{"empty", `]`, nil, ""},
		{"objects", ` {"a":1} , {"b":[1,2,{"c":"]"}]}]`, []string{`{"a":1}`, `{"b":[1,2,{"c":"]"}]}`}, ""},
		{"brackets and quotes in strings", `{"a":"x\"}]{[\\"},{"b":"\\"}]`, []string{`{"a":"x\"}]{[\\"}`, `{"b":"\\"}`}, ""},
		{"scalars", `1, "deux" ,true,null,[3]]`, []string{`1`, `"deux"`, `true`, `null`, `[3]`}, ""},
		{"garbage scalar is cut for the workers to refuse", `{"a":1},nope]`, []string{`{"a":1}`, `nope`}, ""},
		{"missing comma", `{"a":1} {"b":2}]`, []string{`{"a":1}`}, "syntax"},
		{"truncated inside a string", `{"a":"abc`, nil, "eof"},
		{"truncated between elements", `{"a":1},`, []string{`{"a":1}`}, "eof"},
		{"no closing bracket", `{"a":1}`, []string{`{"a":1}`}, "eof"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			sp := &splitter{r: bufio.NewReader(strings.NewReader(tc.in))}
			var got []string
			var err error
			for {
				raw, off, done, e := sp.next()
				if e != nil {
					err = e
					break
				}
				if done {
					break
				}
				if !strings.HasPrefix(tc.in[off:], string(raw)) {
					t.Errorf("offset %d does not point at %s", off, raw)
				}
				got = append(got, string(raw))
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("elements %q, want %q", got, tc.want)
			}
			var se *fileSyntaxError
			switch tc.err {
			case "":
				if err != nil {
					t.Errorf("error %v", err)
				}
			case "eof":
				if !errors.Is(err, io.ErrUnexpectedEOF) {
					t.Errorf("error %v, want unexpected EOF", err)
				}
			case "syntax":
				if !errors.As(err, &se) {
					t.Errorf("error %v, want a syntax error", err)
				}
			}
		})
	}
}

// TestDecode_SyntaxErrorOffset: a syntax error inside a record of a large array is reported at
// its byte offset in the file, and nothing of the file is imported.
func TestDecode_SyntaxErrorOffset(t *testing.T) {
	t.Parallel()
	rec := `{"id":"a--%d","source":"a","nom":"Abc","date_maj":"2025-01-01"}`
	var b strings.Builder
	b.WriteString("[")
	for i := range 1000 {
		if i > 0 {
			b.WriteString(",")
		}
		if i == 700 {
			b.WriteString(`{"id":"a--x","nom":tru}`)
			continue
		}
		b.WriteString(strings.Replace(rec, "%d", string(rune('a'+i%26)), 1))
	}
	b.WriteString("]")
	in := b.String()
	_, err := Decode(strings.NewReader(in), "f.json", Options{})
	// encoding/json counts the bytes read up to and including the bad one ('}' after "tru").
	want := strings.Index(in, "tru}") + 4
	if err == nil || !strings.Contains(err.Error(), "n’est pas un JSON valide (erreur à l’octet "+itoa(want)+")") {
		t.Fatalf("err %v, want offset %d", err, want)
	}
	var raw json.RawMessage
	if json.Unmarshal([]byte(in), &raw) == nil {
		t.Fatal("the fixture must be invalid JSON")
	}
}

func itoa(i int) string { b, _ := json.Marshal(i); return string(b) }

// FuzzSplitter: on any valid JSON array, the splitter yields exactly the elements
// encoding/json sees; on any input it never panics.
func FuzzSplitter(f *testing.F) {
	for _, s := range []string{`[]`, `[1,"a\"]",{"b":[{}]},[[]],null]`, `[ {"x":"\\\\"} , true ]`, `[{"a":1}`, `["\u00e9", 1e5]`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		br := bufio.NewReaderSize(strings.NewReader(in), 16) // small buffer: elements cross reads
		sp := &splitter{r: br}
		var got []string
		c, err := sp.skipSpace()
		if err == nil && c == '[' {
			sp.advance()
			for {
				raw, _, done, err := sp.next()
				if err != nil || done {
					break
				}
				got = append(got, string(raw))
			}
		}
		var want []json.RawMessage
		if json.Unmarshal([]byte(in), &want) != nil {
			return // not a valid array: only "no panic" is asked
		}
		if len(got) != len(want) {
			t.Fatalf("%q: %d elements, encoding/json sees %d", in, len(got), len(want))
		}
		for i := range want {
			if got[i] != strings.TrimSpace(string(want[i])) {
				t.Fatalf("%q: element %d = %q, want %q", in, i, got[i], want[i])
			}
		}
	})
}
