package datainclusion

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"
	"unicode/utf8"

	"github.com/edas92/passerelle/internal/domain"
)

// EncodeStructures writes structures as a data·inclusion v1 JSON array, one record per line:
// every schema field (null when absent), then the record's Extra fields, sorted by name. It
// fails (plain error) on a value JSON cannot hold (NaN latitude), an Extra field that is not
// valid JSON or that bears the name of a defined field, or a write error.
func EncodeStructures(w io.Writer, sts []domain.Structure) error {
	return encodeJSON(w, structureFields, sts, func(st *domain.Structure) map[string]json.RawMessage { return st.Extra })
}

// EncodeServices writes services like EncodeStructures, with the local extension fields
// (passerelle_categorie, passerelle_peut_donner, passerelle_acces_transport) only when set.
func EncodeServices(w io.Writer, svs []domain.Service) error {
	return encodeJSON(w, serviceFields, svs, func(sv *domain.Service) map[string]json.RawMessage { return sv.Extra })
}

func encodeJSON[R any](w io.Writer, fs *fieldSet[R], recs []R, extra func(*R) map[string]json.RawMessage) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	_ = bw.WriteByte('[')
	var b []byte
	var scratch bytes.Buffer
	for i := range recs {
		b = b[:0]
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, '\n')
		var err error
		if b, err = appendRecord(b, fs, &recs[i], extra(&recs[i]), &scratch); err != nil {
			return fmt.Errorf("encode %s %d: %w", fs.kind, i, err)
		}
		if _, err := bw.Write(b); err != nil {
			return fmt.Errorf("encode %ss: %w", fs.kind, err)
		}
	}
	if len(recs) > 0 {
		_ = bw.WriteByte('\n')
	}
	_, _ = bw.WriteString("]\n")
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("encode %ss: %w", fs.kind, err)
	}
	return nil
}

// appendRecord appends one record as a compact JSON object.
func appendRecord[R any](b []byte, fs *fieldSet[R], r *R, extra map[string]json.RawMessage, scratch *bytes.Buffer) ([]byte, error) {
	b = append(b, '{')
	first := true
	key := func(name string) {
		if !first {
			b = append(b, ',')
		}
		first = false
		b = appendString(b, name)
		b = append(b, ':')
	}
	for i := range fs.fields {
		f := &fs.fields[i]
		switch f.kind {
		case kText:
			key(f.name)
			b = appendString(b, *f.text(r))
		case kExtText:
			if v := *f.text(r); v != "" {
				key(f.name)
				b = appendString(b, v)
			}
		case kFlag:
			if *f.flag(r) {
				key(f.name)
				b = append(b, "true"...)
			}
		case kOptText:
			key(f.name)
			if v := *f.opt(r); v == nil {
				b = append(b, "null"...)
			} else {
				b = appendString(b, *v)
			}
		case kList:
			key(f.name)
			v := *f.items(r)
			if v == nil {
				b = append(b, "null"...)
				break
			}
			b = append(b, '[')
			for j, s := range v {
				if j > 0 {
					b = append(b, ',')
				}
				b = appendString(b, s)
			}
			b = append(b, ']')
		case kNumber:
			key(f.name)
			v := *f.num(r)
			if v == nil {
				b = append(b, "null"...)
				break
			}
			if math.IsNaN(*v) || math.IsInf(*v, 0) {
				return b, fmt.Errorf("field %s: %v is not a JSON number", f.name, *v)
			}
			b = appendFloat(b, *v)
		case kInteger:
			key(f.name)
			if v := *f.int(r); v == nil {
				b = append(b, "null"...)
			} else {
				b = strconv.AppendInt(b, int64(*v), 10)
			}
		}
	}
	if len(extra) > 0 {
		names := make([]string, 0, len(extra))
		for k := range extra {
			if _, defined := fs.byName[k]; defined {
				return b, fmt.Errorf("extra field %q is a defined field", k)
			}
			names = append(names, k)
		}
		sort.Strings(names)
		for _, k := range names {
			scratch.Reset()
			if err := json.Compact(scratch, extra[k]); err != nil {
				return b, fmt.Errorf("extra field %q: %w", k, err)
			}
			key(k)
			b = append(b, scratch.Bytes()...)
		}
	}
	return append(b, '}'), nil
}

// appendString appends s as a JSON string. HTML characters are left as they are (the files are
// data, not web pages). Invalid UTF-8, which no decoded record holds, becomes U+FFFD.
func appendString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i++
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// appendFloat writes a number as encoding/json does: the shortest text that reads back to the
// same float64.
func appendFloat(b []byte, f float64) []byte {
	format := byte('f')
	if a := math.Abs(f); a != 0 && (a < 1e-6 || a >= 1e21) {
		format = 'e'
	}
	b = strconv.AppendFloat(b, f, format, -1, 64)
	if format == 'e' {
		// e-09 → e-9
		if n := len(b); n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
	}
	return b
}
