package datainclusion

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"runtime"
	"strconv"
	"sync"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/edas92/passerelle/internal/domain"
)

// json reads a data·inclusion JSON file: an array of records, or an API page
// {"items": [...], ...}. The array is streamed one record at a time (national files hold
// 100,000 records); a syntax error anywhere fails the whole file.
func (d *decoder) json(br *bufio.Reader) error {
	sp := &splitter{r: br}
	if c, err := sp.skipSpace(); err == nil && c == '[' {
		// The national files: a top-level array, split here and decoded on every core.
		sp.advance()
		if err := d.jsonArray(sp.next); err != nil {
			return err
		}
		if err := sp.end(); err != nil {
			return invalid(err, "Le fichier « %s » contient des données après la fin du JSON (octet %d).", d.file, sp.off)
		}
		return nil
	}
	dec := json.NewDecoder(br)
	tok, err := dec.Token()
	if err != nil {
		return d.jsonError(err)
	}
	switch tok {
	case json.Delim('{'):
		found := false
		for dec.More() {
			kt, err := dec.Token()
			if err != nil {
				return d.jsonError(err)
			}
			if kt != "items" {
				var skip json.RawMessage
				if err := dec.Decode(&skip); err != nil {
					return d.jsonError(err)
				}
				continue
			}
			if found {
				return invalid(nil, "Le fichier « %s » contient deux fois la clé « items ».", d.file)
			}
			found = true
			t, err := dec.Token()
			if err != nil {
				return d.jsonError(err)
			}
			if t != json.Delim('[') {
				return invalid(nil, "Dans le fichier « %s », « items » n’est pas un tableau d’enregistrements.", d.file)
			}
			if err := d.jsonArray(decoderElements(dec)); err != nil {
				return err
			}
			if t, err := dec.Token(); err != nil {
				return d.jsonError(err)
			} else if t != json.Delim(']') {
				return invalid(nil, "Le fichier « %s » n’est pas un JSON valide (octet %d).", d.file, dec.InputOffset())
			}
		}
		if _, err := dec.Token(); err != nil {
			return d.jsonError(err)
		}
		if !found {
			return invalid(nil, "Le fichier « %s » est un objet JSON sans clé « items » : un tableau de structures ou de services est attendu.", d.file)
		}
	default:
		return invalid(nil, "Le fichier « %s » ne contient pas un tableau JSON de structures ou de services.", d.file)
	}
	if _, err := dec.Token(); err != io.EOF {
		if err == nil {
			err = errors.New("data after the top-level value")
		}
		return invalid(err, "Le fichier « %s » contient des données après la fin du JSON (octet %d).", d.file, dec.InputOffset())
	}
	return nil
}

// elements yields the elements of a JSON array one at a time, each in its own slice with its
// byte offset in the file, then done at the closing bracket. err is a syntax or read error that
// makes the whole file unreadable.
type elements func() (raw []byte, offset int64, done bool, err error)

// decoderElements reads array elements with encoding/json (API pages: small), after the '['.
// The closing ']' is left to the caller.
func decoderElements(dec *json.Decoder) elements {
	return func() ([]byte, int64, bool, error) {
		if !dec.More() {
			return nil, 0, true, nil
		}
		off := dec.InputOffset()
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return nil, off, false, err
		}
		return raw, off, false, nil
	}
}

// jsonArray reads the records of an array. Splitting the JSON text is sequential; checking the
// syntax of each record and turning it into a checked domain record is spread over the cores in
// chunks, merged back in file order (so that duplicates and progress are counted in order).
func (d *decoder) jsonArray(next elements) error {
	workers := runtime.GOMAXPROCS(0)
	jobs := make(chan *jsonChunk)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var ms []member
			for c := range jobs {
				ms = c.parse(ms)
			}
		}()
	}
	defer func() {
		close(jobs)
		wg.Wait()
	}()
	var pending []*jsonChunk
	cur := &jsonChunk{done: make(chan struct{})}
	merge := func(c *jsonChunk) error {
		<-c.done
		if c.err != nil {
			return d.jsonError(c.err)
		}
		if c.bad >= 0 {
			return invalid(nil, "Le fichier « %s » n’est pas encodé en UTF-8 (enregistrement en position %d) : enregistrez-le en UTF-8.", d.file, c.bad)
		}
		d.merge(c)
		return nil
	}
	send := func() error {
		next := cur.first + len(cur.raws) // read before the worker owns cur
		jobs <- cur
		pending = append(pending, cur)
		cur = &jsonChunk{first: next, done: make(chan struct{})}
		for len(pending) > 2*workers { // bound the memory held by chunks in flight
			if err := merge(pending[0]); err != nil {
				return err
			}
			pending = pending[1:]
		}
		return nil
	}
	for {
		raw, off, done, err := next()
		if err != nil {
			return d.jsonError(err)
		}
		if done {
			break
		}
		cur.raws = append(cur.raws, raw)
		cur.offsets = append(cur.offsets, off)
		if len(cur.raws) == jsonChunkSize {
			if err := send(); err != nil {
				return err
			}
		}
	}
	if len(cur.raws) > 0 {
		if err := send(); err != nil {
			return err
		}
	}
	for _, c := range pending {
		if err := merge(c); err != nil {
			return err
		}
	}
	return nil
}

// jsonChunkSize records are parsed together by one worker.
const jsonChunkSize = 256

// jsonChunk is a run of consecutive array elements, parsed by a worker.
type jsonChunk struct {
	first   int // position of raws[0] in the array
	raws    [][]byte
	offsets []int64 // byte offset of each element in the file
	recs    []parsedRecord
	err     error         // the first syntax error, as a *json.SyntaxError with a file offset
	bad     int           // position of the first element that is not UTF-8, -1 for none
	done    chan struct{} // closed once recs (or err) is filled
}

// parsedRecord is one array element after parsing and validation, before the file-level checks
// (duplicates) that need the records in order.
type parsedRecord struct {
	early     string // the element could not be read as a record: the reason
	isService bool
	sv        domain.Service
	st        domain.Structure
	p         problems
}

func (c *jsonChunk) parse(ms []member) []member {
	defer close(c.done)
	c.bad = -1
	c.recs = make([]parsedRecord, len(c.raws))
	for i, raw := range c.raws {
		if !json.Valid(raw) {
			c.err = syntaxError(raw, c.offsets[i])
			return ms
		}
		if !utf8.Valid(raw) {
			c.bad = c.first + i
			return ms
		}
		ms = parseJSONRecord(raw, ms, &c.recs[i])
	}
	c.raws, c.offsets = nil, nil
	return ms
}

// syntaxError returns encoding/json's error for an invalid element, with its offset in the file.
func syntaxError(raw []byte, offset int64) error {
	var v any
	err := json.Unmarshal(raw, &v)
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return &fileSyntaxError{offset: offset + se.Offset, err: err}
	}
	return &fileSyntaxError{offset: offset, err: fmt.Errorf("invalid JSON: %v", err)}
}

// fileSyntaxError is a syntax error at a byte offset of the file.
type fileSyntaxError struct {
	offset int64
	err    error
}

func (e *fileSyntaxError) Error() string { return fmt.Sprintf("offset %d: %v", e.offset, e.err) }
func (e *fileSyntaxError) Unwrap() error { return e.err }

// merge files the records of a parsed chunk, in order.
func (d *decoder) merge(c *jsonChunk) {
	// Records are large structs and append grows big slices by a quarter at a time, copying
	// them again and again: double instead.
	n := 0
	for i := range c.recs {
		if c.recs[i].isService {
			n++
		}
	}
	if n > 0 {
		d.out.Services = grow(d.out.Services, n)
		d.out.ServicePositions = grow(d.out.ServicePositions, n)
	}
	for i := range c.recs {
		r, pos := &c.recs[i], c.first+i
		switch {
		case r.early != "":
			d.reject(pos, "", r.early)
		case r.isService:
			d.addService(r.sv, pos, &r.p, false)
		default:
			d.addStructure(r.st, pos, &r.p, false)
		}
	}
	c.recs = nil
}

// jsonError turns an encoding/json error into the French file-level error.
func (d *decoder) jsonError(err error) error {
	var se *json.SyntaxError
	var fe *fileSyntaxError
	switch {
	case errors.As(err, &fe):
		return invalid(err, "Le fichier « %s » n’est pas un JSON valide (erreur à l’octet %d). Aucun enregistrement n’a été importé.", d.file, fe.offset)
	case errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF):
		return invalid(err, "Le fichier « %s » est tronqué : le JSON s’arrête avant la fin. Aucun enregistrement n’a été importé.", d.file)
	case errors.As(err, &se):
		return invalid(err, "Le fichier « %s » n’est pas un JSON valide (erreur à l’octet %d). Aucun enregistrement n’a été importé.", d.file, se.Offset)
	default:
		return invalid(err, "Le fichier « %s » n’a pas pu être lu jusqu’au bout.", d.file)
	}
}

// grow returns s with room for n more elements, at least doubling its capacity when it must grow.
func grow[T any](s []T, n int) []T {
	if cap(s)-len(s) >= n {
		return s
	}
	return append(make([]T, 0, max(2*cap(s), len(s)+n)), s...)
}

// parseJSONRecord decodes and validates one array element into r. ms is scratch space, returned
// for reuse.
func parseJSONRecord(raw []byte, ms []member, r *parsedRecord) []member {
	if raw[0] != '{' {
		r.early = "l’enregistrement n’est pas un objet JSON mais " + jsonType(raw[0]) + " (" + quote(string(raw)) + ")"
		return ms
	}
	ms, ok := scanObject(raw, ms[:0])
	if !ok {
		r.early = "un nom de champ contient un caractère Unicode invalide (demi-paire \\u isolée)"
		return ms
	}
	for _, m := range ms {
		if m.key == "structure_id" || serviceOnly[m.key] {
			r.isService = true
			break
		}
	}
	if r.isService {
		r.sv.Extra = decodeMembers(serviceFields, ms, &r.sv, &r.p)
		validate(serviceFields, &r.sv, false, &r.p)
	} else {
		r.st.Extra = decodeMembers(structureFields, ms, &r.st, &r.p)
		validate(structureFields, &r.st, false, &r.p)
	}
	return ms
}

// addService files a decoded JSON service: accepted when p holds no problem and its identifier
// is new in the file, else rejected with every problem.
func (d *decoder) addService(sv domain.Service, pos int, p *problems, csv bool) {
	d.serviceIdentity(&sv, pos, p, csv)
	if !p.ok() {
		d.reject(pos, sv.ID, p.reason())
		return
	}
	d.accept()
	d.out.Services = append(d.out.Services, sv)
	d.out.ServicePositions = append(d.out.ServicePositions, pos)
}

// addStructure is addService for a structure.
func (d *decoder) addStructure(st domain.Structure, pos int, p *problems, csv bool) {
	if st.ID != "" && st.Source != "" {
		st.UUID = domain.RecordUUID(domain.KindStructure, st.Source, st.ID)
		if first, dup := d.structures[st.UUID]; dup {
			p.add(duplicateMsg(structureFields.fields[stID].label(csv), st.ID, first, csv))
		} else {
			d.structures[st.UUID] = pos
		}
	}
	if !p.ok() {
		d.reject(pos, st.ID, p.reason())
		return
	}
	d.accept()
	d.out.Structures = append(d.out.Structures, st)
	d.out.StructurePositions = append(d.out.StructurePositions, pos)
}

// serviceIdentity sets a service's UUID and records a problem when an earlier record of the
// file (pos is an array index or a CSV line) had the same identifier. A duplicate is found
// whatever the validity of the first record, so that fixing the first one does not change the
// fate of the second.
func (d *decoder) serviceIdentity(sv *domain.Service, pos int, p *problems, csv bool) {
	if sv.ID == "" || sv.Source == "" {
		return
	}
	sv.UUID = domain.RecordUUID(domain.KindService, sv.Source, sv.ID)
	if first, dup := d.services[sv.UUID]; dup {
		p.add(duplicateMsg(serviceFields.fields[0].label(csv), sv.ID, first, csv))
	} else {
		d.services[sv.UUID] = pos
	}
}

func duplicateMsg(lab, id string, first int, csv bool) string {
	if csv {
		return fmt.Sprintf("%s : identifiant %s déjà présent ligne %d", lab, quote(id), first)
	}
	return fmt.Sprintf("%s : identifiant %s déjà présent en position %d", lab, quote(id), first)
}

// serviceOnly are fields that only a service has. A record is a service when it has a
// structure_id; a record without one but with these fields is a service that lost its
// structure_id, rejected as such, not a structure that would keep them as unknown fields.
// (thematiques is not among them: data·inclusion v0 structures had it.)
var serviceOnly = map[string]bool{
	"frais": true, "publics": true, "modes_accueil": true, "zone_eligibilite": true, "modes_mobilisation": true,
	"mobilisable_par": true, "nombre_semaines": true, "volume_horaire_hebdomadaire": true, "lien_mobilisation": true,
	"conditions_acces": true, "passerelle_categorie": true, "passerelle_peut_donner": true, "passerelle_acces_transport": true,
}

// member is one key/value pair of a JSON object, the value as raw JSON.
type member struct {
	key string
	val []byte
}

// scanObject splits a syntactically valid JSON object (checked by encoding/json) into its
// members, in order and keeping duplicates, which a map would silently merge. It fails only on
// a key holding an unpaired UTF-16 surrogate escape.
func scanObject(b []byte, ms []member) ([]member, bool) {
	i := skipWS(b, 1) // after '{'
	for i < len(b) && b[i] != '}' {
		end := stringEnd(b, i)
		key, ok := unquote(b[i:end])
		if !ok {
			return ms, false
		}
		i = skipWS(b, end)
		i = skipWS(b, i+1) // ':'
		vend := valueEnd(b, i)
		ms = append(ms, member{key: key, val: b[i:vend]})
		i = skipWS(b, vend)
		if i < len(b) && b[i] == ',' {
			i = skipWS(b, i+1)
		}
	}
	return ms, true
}

// scanArray splits a syntactically valid JSON array into its raw elements.
func scanArray(b []byte, out [][]byte) [][]byte {
	i := skipWS(b, 1)
	for i < len(b) && b[i] != ']' {
		end := valueEnd(b, i)
		out = append(out, b[i:end])
		i = skipWS(b, end)
		if i < len(b) && b[i] == ',' {
			i = skipWS(b, i+1)
		}
	}
	return out
}

func skipWS(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

// stringEnd returns the index just after the string literal starting at b[i].
func stringEnd(b []byte, i int) int {
	i++
	for {
		j := bytes.IndexByte(b[i:], '"')
		if j < 0 {
			return len(b)
		}
		i += j
		// The quote ends the string unless an odd number of backslashes escapes it.
		n := 0
		for k := i - 1; k >= 0 && b[k] == '\\'; k-- {
			n++
		}
		if n%2 == 0 {
			return i + 1
		}
		i++
	}
}

// valueEnd returns the index just after the JSON value starting at b[i].
func valueEnd(b []byte, i int) int {
	switch b[i] {
	case '"':
		return stringEnd(b, i)
	case '{', '[':
		depth := 0
		for i < len(b) {
			switch b[i] {
			case '"':
				i = stringEnd(b, i)
				continue
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return i + 1
				}
			}
			i++
		}
		return i
	default:
		for i < len(b) {
			switch b[i] {
			case ',', '}', ']', ' ', '\t', '\n', '\r':
				return i
			}
			i++
		}
		return i
	}
}

// unquote decodes a valid JSON string literal. Unlike encoding/json it refuses an unpaired
// surrogate escape ("\ud800") instead of silently replacing it with U+FFFD.
func unquote(lit []byte) (string, bool) {
	body := lit[1 : len(lit)-1]
	if bytes.IndexByte(body, '\\') < 0 {
		return string(body), true
	}
	b := make([]byte, 0, len(body))
	for i := 0; i < len(body); {
		c := body[i]
		if c != '\\' {
			b = append(b, c)
			i++
			continue
		}
		switch e := body[i+1]; e {
		case 'b':
			b = append(b, '\b')
		case 'f':
			b = append(b, '\f')
		case 'n':
			b = append(b, '\n')
		case 'r':
			b = append(b, '\r')
		case 't':
			b = append(b, '\t')
		case 'u':
			r := hex4(body[i+2 : i+6])
			i += 6
			if utf16.IsSurrogate(r) {
				if r >= 0xDC00 || i+6 > len(body) || body[i] != '\\' || body[i+1] != 'u' {
					return "", false
				}
				r2 := hex4(body[i+2 : i+6])
				if r2 < 0xDC00 || r2 > 0xDFFF {
					return "", false
				}
				r = utf16.DecodeRune(r, r2)
				i += 6
			}
			b = utf8.AppendRune(b, r)
			continue
		default: // '"', '\\', '/'
			b = append(b, e)
		}
		i += 2
	}
	return string(b), true
}

func hex4(h []byte) rune {
	var r rune
	for _, c := range h {
		r <<= 4
		switch {
		case c >= '0' && c <= '9':
			r |= rune(c - '0')
		case c >= 'a' && c <= 'f':
			r |= rune(c - 'a' + 10)
		default:
			r |= rune(c - 'A' + 10)
		}
	}
	return r
}

// jsonType names the JSON type of a value from its first byte, for reasons.
func jsonType(c byte) string {
	switch c {
	case '"':
		return "une chaîne de caractères"
	case '[':
		return "un tableau"
	case '{':
		return "un objet"
	case 't', 'f':
		return "un booléen"
	case 'n':
		return "null"
	default:
		return "un nombre"
	}
}

// decodeMembers sets the fields of r from the object's members, records every type problem in
// p, and returns the unknown members (compacted copies) for Extra.
func decodeMembers[R any](fs *fieldSet[R], ms []member, r *R, p *problems) map[string]json.RawMessage {
	var seen uint64
	var extra map[string]json.RawMessage
	for _, m := range ms {
		i, ok := fs.byName[m.key]
		if !ok {
			if _, dup := extra[m.key]; dup {
				p.add(m.key + " : champ présent plusieurs fois")
				continue
			}
			var buf bytes.Buffer
			_ = json.Compact(&buf, m.val) // m.val is valid JSON
			if extra == nil {
				extra = map[string]json.RawMessage{}
			}
			extra[m.key] = buf.Bytes()
			continue
		}
		if seen&(1<<uint(i)) != 0 {
			if !p.isBad(i) {
				p.field(i, m.key, "champ présent plusieurs fois")
			}
			continue
		}
		seen |= 1 << uint(i)
		decodeValue(&fs.fields[i], i, m.val, r, p)
	}
	for i := range fs.fields {
		if f := &fs.fields[i]; f.required && seen&(1<<uint(i)) == 0 {
			p.field(i, f.name, "champ obligatoire absent")
		}
	}
	return extra
}

// decodeValue sets one field from its raw JSON value. A value of the wrong JSON type is a
// problem, never converted (a latitude given as a string is rejected).
func decodeValue[R any](f *field[R], i int, v []byte, r *R, p *problems) {
	c := v[0]
	wrong := func(want string) {
		p.fieldf(i, f.name, "doit être %s, pas %s (%s)", want, jsonType(c), quote(string(v)))
	}
	text := func() (string, bool) {
		s, ok := unquote(v)
		if !ok {
			p.field(i, f.name, "contient un caractère Unicode invalide (demi-paire \\u isolée)")
		}
		return s, ok
	}
	switch f.kind {
	case kText:
		switch c {
		case '"':
			if s, ok := text(); ok {
				*f.text(r) = s
			}
		case 'n':
			p.field(i, f.name, "obligatoire, ne peut pas être null")
		default:
			wrong("une chaîne de caractères")
		}
	case kOptText:
		switch c {
		case '"':
			if s, ok := text(); ok {
				*f.opt(r) = &s
			}
		case 'n':
		default:
			wrong("une chaîne de caractères ou null")
		}
	case kExtText:
		switch c {
		case '"':
			if s, ok := text(); ok {
				if s == "" {
					// "" would be exported as an absent field: refuse it rather than drop it.
					p.field(i, f.name, "ne doit pas être vide (omettre le champ ou mettre null)")
				}
				*f.text(r) = s
			}
		case 'n':
		default:
			wrong("une chaîne de caractères ou null")
		}
	case kFlag:
		switch c {
		case 't':
			*f.flag(r) = true
		case 'f', 'n':
		default:
			wrong("un booléen (true ou false)")
		}
	case kNumber:
		switch {
		case c == 'n':
		case c == '-' || c >= '0' && c <= '9':
			x, err := strconv.ParseFloat(string(v), 64)
			if err != nil {
				p.fieldf(i, f.name, "%s est hors des limites des nombres", quote(string(v)))
				return
			}
			*f.num(r) = &x
		default:
			wrong("un nombre ou null")
		}
	case kInteger:
		switch {
		case c == 'n':
		case c == '-' || c >= '0' && c <= '9':
			if n, msg := integer(string(v)); msg != "" {
				p.field(i, f.name, msg)
			} else {
				*f.int(r) = &n
			}
		default:
			wrong("un nombre entier ou null")
		}
	case kList:
		switch c {
		case 'n':
		case '[':
			elems := scanArray(v, nil)
			list := make([]string, 0, len(elems))
			for j, e := range elems {
				if e[0] != '"' {
					p.fieldf(i, f.name, "l’élément %d doit être une chaîne de caractères, pas %s (%s)", j+1, jsonType(e[0]), quote(string(e)))
					continue
				}
				s, ok := unquote(e)
				if !ok {
					p.fieldf(i, f.name, "l’élément %d contient un caractère Unicode invalide (demi-paire \\u isolée)", j+1)
					continue
				}
				list = append(list, s)
			}
			*f.items(r) = list
		default:
			wrong("une liste (tableau) ou null")
		}
	}
}

// integer reads a JSON number that must be an integer. As in JSON Schema, 3.0 is the integer 3.
// It returns a French problem when the number is not an integer or too large.
func integer(s string) (int, string) {
	x, err := strconv.ParseFloat(s, 64)
	switch {
	case err != nil:
		return 0, quote(s) + " est hors des limites des nombres"
	case x != math.Trunc(x):
		return 0, quote(s) + " n’est pas un nombre entier"
	case math.Abs(x) > 1<<53:
		return 0, quote(s) + " est un nombre trop grand"
	}
	return int(x), ""
}
