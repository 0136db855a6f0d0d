package datainclusion

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/edas92/passerelle/internal/domain"
)

// The CSV format is the département's spreadsheet: one row per service, with its structure's
// fields on the same row (docs/import-formats.md).

// csvColumns is the header EncodeCSV writes, in this fixed, documented order: the service's
// data·inclusion fields, the local fields, then the structure's fields prefixed "structure_"
// (the structure's id is the service's structure_id column).
var csvColumns = func() []string {
	var cols []string
	for _, f := range serviceFields.fields {
		cols = append(cols, f.col)
	}
	for _, f := range structureFields.fields[1:] {
		cols = append(cols, f.col)
	}
	return cols
}()

// csvRequired are the columns a CSV file must have.
var csvRequired = []string{"source", "id", "structure_id", "nom", "description", "date_maj", "structure_nom"}

// Indexes of the fields the CSV reader treats apart.
var (
	svStructureID = serviceFields.byName["structure_id"]
	stID          = structureFields.byName["id"]
	stSource      = structureFields.byName["source"]
	stNom         = structureFields.byName["nom"]
	stDateMaj     = structureFields.byName["date_maj"]
)

// colRef says which field a CSV column holds.
type colRef struct {
	st bool // a structure field (else a service field)
	i  int  // index in its field set
}

// csvStructure is a structure accepted from a row, for the rows that name it again.
type csvStructure struct {
	line  int // line that described it
	index int // in decoder.out.Structures
}

// csv reads a CSV file. skipped is the number of blank lines already consumed before it.
func (d *decoder) csv(br *bufio.Reader, skipped int) error {
	cr := &csvReader{br: br, sep: sniffSeparator(br), line: skipped, file: d.file}
	header, _, err := cr.read()
	if err == io.EOF {
		return invalid(nil, "Le fichier « %s » est vide.", d.file)
	} else if err != nil {
		return err
	}
	cols, err := d.csvHeader(header)
	if err != nil {
		return err
	}
	structs := map[string]csvStructure{}
	cells := make([]string, len(structureFields.fields))
	var pv, ps problems
	for {
		rec, line, err := cr.read()
		if err == io.EOF {
			return nil
		} else if err != nil {
			return err
		}
		d.csvRow(rec, line, cols, structs, cells, &pv, &ps)
	}
}

// csvHeader maps the header's columns to fields. Names are compared without surrounding spaces
// and case. An unknown, repeated or missing required column makes the file unreadable: guessing
// what a column holds could import wrong data.
func (d *decoder) csvHeader(header []string) ([]colRef, error) {
	known := map[string]colRef{}
	for i, f := range serviceFields.fields {
		known[f.col] = colRef{i: i}
	}
	for i, f := range structureFields.fields {
		if i != stID {
			known[f.col] = colRef{st: true, i: i}
		}
	}
	cols := make([]colRef, len(header))
	seen := map[string]int{}
	var unknown []string
	for j, h := range header {
		name := strings.ToLower(strings.TrimSpace(h))
		if name == "" {
			return nil, invalid(nil, "Le fichier « %s » a une colonne sans nom (colonne %d de la ligne d’en-tête).", d.file, j+1)
		}
		if prev, dup := seen[name]; dup {
			return nil, invalid(nil, "Le fichier « %s » a deux colonnes « %s » (colonnes %d et %d).", d.file, name, prev+1, j+1)
		}
		seen[name] = j
		ref, ok := known[name]
		if !ok {
			unknown = append(unknown, "« "+h+" »")
			continue
		}
		cols[j] = ref
	}
	if len(unknown) > 0 {
		return nil, invalid(nil, "Le fichier « %s » a des colonnes inconnues : %s. Les noms de colonnes reconnus sont décrits dans le guide des formats d’import.",
			d.file, strings.Join(unknown, ", "))
	}
	var missing []string
	for _, c := range csvRequired {
		if _, ok := seen[c]; !ok {
			missing = append(missing, "« "+c+" »")
		}
	}
	if len(missing) > 0 {
		return nil, invalid(nil, "Il manque au fichier « %s » des colonnes obligatoires : %s.", d.file, strings.Join(missing, ", "))
	}
	return cols, nil
}

// csvRow decodes, validates and files one row: a service and, on the first row that names it,
// its structure. A row is accepted or rejected as a whole. cells, pv and ps are scratch space.
func (d *decoder) csvRow(rec []string, line int, cols []colRef, structs map[string]csvStructure, cells []string, pv, ps *problems) {
	if len(rec) != len(cols) {
		id := ""
		for j, ref := range cols {
			if !ref.st && ref.i == 0 && j < len(rec) { // the service's id column
				id = rec[j]
			}
		}
		d.reject(line, id, fmt.Sprintf("la ligne compte %d colonnes au lieu de %d (vérifiez le séparateur et les guillemets)", len(rec), len(cols)))
		return
	}
	blank := true
	for _, c := range rec {
		if c != "" {
			blank = false
			break
		}
	}
	if blank { // a spreadsheet's empty row: ";;;;"
		return
	}
	pv.reset()
	ps.reset()
	clear(cells)
	var sv domain.Service
	serviceEmpty := true // a row whose service cells are empty describes a structure alone
	for j, cell := range rec {
		ref := cols[j]
		if ref.st {
			cells[ref.i] = cell
			continue
		}
		if cell != "" && ref.i != svStructureID {
			serviceEmpty = false
		}
		parseCell(&serviceFields.fields[ref.i], ref.i, cell, &sv, pv)
	}
	id := sv.ID
	if serviceEmpty {
		id = sv.StructureID
	}

	source := cells[stSource]
	if source == "" {
		source = sv.Source
	}
	var newSt *domain.Structure
	if (sv.StructureID == "" || source == "") && !serviceEmpty {
		// The service's own validation says structure_id or source is missing; its structure
		// cannot be told.
	} else if first, known := structs[domain.RecordUUID(domain.KindStructure, source, sv.StructureID)]; known && sv.StructureID != "" && source != "" {
		compareStructure(&d.out.Structures[first.index], first.line, cells, ps)
	} else {
		newSt = &domain.Structure{ID: sv.StructureID, Source: source}
		if cells[stNom] == "" {
			ps.fieldf(stNom, "structure_nom", "obligatoire sur la première ligne de la structure %s", quote(sv.StructureID))
		}
		for i, cell := range cells {
			if i != stID && i != stSource {
				parseCell(&structureFields.fields[i], i, cell, newSt, ps)
			}
		}
		if newSt.DateMaj == "" {
			newSt.DateMaj = sv.DateMaj // the spreadsheet may give one date for both
		}
		validate(structureFields, newSt, true, ps)
	}
	if !serviceEmpty {
		validate(serviceFields, &sv, true, pv)
		d.serviceIdentity(&sv, line, pv, true)
	}
	if !pv.ok() || !ps.ok() {
		d.reject(line, id, strings.Join(append(pv.messages(), ps.messages()...), " ; "))
		return
	}
	if newSt != nil {
		newSt.UUID = domain.RecordUUID(domain.KindStructure, newSt.Source, newSt.ID)
		structs[newSt.UUID] = csvStructure{line: line, index: len(d.out.Structures)}
		d.accept()
		d.out.Structures = append(d.out.Structures, *newSt)
		d.out.StructurePositions = append(d.out.StructurePositions, line)
	}
	if !serviceEmpty {
		d.accept()
		d.out.Services = append(d.out.Services, sv)
		d.out.ServicePositions = append(d.out.ServicePositions, line)
	}
}

// compareStructure checks a row's non-empty structure cells against the structure an earlier
// row described: a difference is a problem, not an update, because one of the two rows is wrong
// and only the user can tell which.
func compareStructure(known *domain.Structure, line int, cells []string, ps *problems) {
	for i, cell := range cells {
		if cell == "" || i == stID || i == stSource {
			continue
		}
		f := &structureFields.fields[i]
		var tmp domain.Structure
		parseCell(f, i, cell, &tmp, ps)
		if ps.isBad(i) {
			continue
		}
		if got, want := cellOf(f, &tmp), cellOf(f, known); got != want {
			shown := "vide"
			if want != "" {
				shown = quote(want)
			}
			ps.fieldf(i, f.col, "%s diffère de la valeur donnée ligne %d pour la même structure (%s)", quote(cell), line, shown)
		}
	}
}

// parseCell sets a field from its CSV cell. An empty cell is null. Numbers accept a decimal
// comma (French spreadsheets); list items are separated by "|" and trimmed (they are codes).
func parseCell[R any](f *field[R], i int, cell string, r *R, p *problems) {
	switch f.kind {
	case kText, kExtText:
		*f.text(r) = cell
	case kOptText:
		if cell != "" {
			s := cell
			*f.opt(r) = &s
		}
	case kList:
		if cell == "" {
			return
		}
		parts := strings.Split(cell, "|")
		list := make([]string, 0, len(parts))
		for _, part := range parts {
			t := strings.TrimSpace(part)
			if t == "" {
				p.fieldf(i, f.col, "%s contient un élément vide (les valeurs sont séparées par « | »)", quote(cell))
				return
			}
			list = append(list, t)
		}
		*f.items(r) = list
	case kNumber:
		t := strings.TrimSpace(cell)
		if t == "" {
			return
		}
		x, ok := csvNumber(t)
		if !ok {
			p.fieldf(i, f.col, "%s n’est pas un nombre", quote(cell))
			return
		}
		*f.num(r) = &x
	case kInteger:
		t := strings.TrimSpace(cell)
		if t == "" {
			return
		}
		if _, ok := csvNumber(t); !ok {
			p.fieldf(i, f.col, "%s n’est pas un nombre entier", quote(cell))
			return
		}
		n, msg := integer(strings.Replace(t, ",", ".", 1))
		if msg != "" {
			p.field(i, f.col, msg)
			return
		}
		*f.int(r) = &n
	case kFlag:
		switch strings.ToLower(strings.TrimSpace(cell)) {
		case "oui", "true", "vrai", "1":
			*f.flag(r) = true
		case "non", "false", "faux", "0", "":
		default:
			p.fieldf(i, f.col, "%s n’est pas « oui » ou « non »", quote(cell))
		}
	}
}

// csvNumber reads a decimal number written as in JSON, with a decimal comma allowed. It refuses
// what strconv would also take but no spreadsheet means (NaN, Inf, hexadecimal, "1_000").
func csvNumber(s string) (float64, bool) {
	if strings.Count(s, ",") == 1 && !strings.Contains(s, ".") {
		s = strings.Replace(s, ",", ".", 1)
	}
	i := 0
	if i < len(s) && (s[i] == '-' || s[i] == '+') {
		i++
	}
	start := i
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	if i == start {
		return 0, false
	}
	if i < len(s) && s[i] == '.' {
		i++
		fs := i
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
		if i == fs {
			return 0, false
		}
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '-' || s[i] == '+') {
			i++
		}
		es := i
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
		if i == es {
			return 0, false
		}
	}
	if i != len(s) {
		return 0, false
	}
	x, err := strconv.ParseFloat(s, 64)
	return x, err == nil
}

// cellOf writes a field as a CSV cell: lists joined with "|", numbers with a decimal point,
// booleans as oui/non, null as an empty cell.
func cellOf[R any](f *field[R], r *R) string {
	switch f.kind {
	case kText, kExtText:
		return *f.text(r)
	case kOptText:
		return domain.Str(*f.opt(r))
	case kList:
		return strings.Join(*f.items(r), "|")
	case kNumber:
		if v := *f.num(r); v != nil {
			return strconv.FormatFloat(*v, 'f', -1, 64)
		}
	case kInteger:
		if v := *f.int(r); v != nil {
			return strconv.Itoa(*v)
		}
	case kFlag:
		if *f.flag(r) {
			return "oui"
		}
		return "non"
	}
	return ""
}

// EncodeCSV writes services and structures in the CSV format: UTF-8 with a byte-order mark (so
// that Excel reads it as UTF-8), ";" as separator, CRLF line ends, the header in csvColumns
// order, one row per service with its structure, then one row per structure that has no
// service (service cells empty). Extra fields, an empty string and an empty list cannot be
// written in CSV (docs/import-formats.md). Returns EINVALID when a service's structure is not
// in sts, or when a list item contains "|"; a plain error when writing fails.
func EncodeCSV(w io.Writer, sts []domain.Structure, svs []domain.Service) error {
	byUUID := make(map[string]int, len(sts))
	for i := range sts {
		byUUID[domain.RecordUUID(domain.KindStructure, sts[i].Source, sts[i].ID)] = i
	}
	used := make([]bool, len(sts))
	bw := bufio.NewWriterSize(w, 64<<10)
	_, _ = bw.Write(utf8BOM)
	writeCSVRow(bw, csvColumns)
	row := make([]string, len(csvColumns))
	nsv := len(serviceFields.fields)
	for i := range svs {
		sv := &svs[i]
		k, ok := byUUID[domain.StructureUUIDOf(sv)]
		if !ok {
			return domain.Errorf(domain.EINVALID, "Le service « %s » renvoie à la structure « %s », absente de l’export : le CSV ne peut pas l’écrire.", sv.ID, sv.StructureID)
		}
		used[k] = true
		for j := range serviceFields.fields {
			if err := csvCell(&serviceFields.fields[j], sv, sv.ID, &row[j]); err != nil {
				return err
			}
		}
		if err := structureCells(&sts[k], row[nsv:]); err != nil {
			return err
		}
		writeCSVRow(bw, row)
	}
	for k := range sts {
		if used[k] {
			continue
		}
		clear(row[:nsv])
		row[svStructureID] = sts[k].ID
		if err := structureCells(&sts[k], row[nsv:]); err != nil {
			return err
		}
		writeCSVRow(bw, row)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("encode csv: %w", err)
	}
	return nil
}

func structureCells(st *domain.Structure, row []string) error {
	for j := range structureFields.fields[1:] {
		if err := csvCell(&structureFields.fields[j+1], st, st.ID, &row[j]); err != nil {
			return err
		}
	}
	return nil
}

func csvCell[R any](f *field[R], r *R, id string, out *string) error {
	if f.kind == kList {
		for _, it := range *f.items(r) {
			if strings.Contains(it, "|") {
				return domain.Errorf(domain.EINVALID, "« %s » : la valeur %s de %s contient « | », le séparateur des listes en CSV.", id, quote(it), f.col)
			}
		}
	}
	*out = cellOf(f, r)
	return nil
}

// writeCSVRow writes one row, quoting (RFC 4180) the cells that need it.
func writeCSVRow(bw *bufio.Writer, row []string) {
	for j, c := range row {
		if j > 0 {
			_ = bw.WriteByte(';')
		}
		if strings.ContainsAny(c, ";\"\r\n") {
			_ = bw.WriteByte('"')
			_, _ = bw.WriteString(strings.ReplaceAll(c, `"`, `""`))
			_ = bw.WriteByte('"')
		} else {
			_, _ = bw.WriteString(c)
		}
	}
	_, _ = bw.WriteString("\r\n")
}

// sniffSeparator chooses ";" or "," from the header line, whichever appears more often outside
// quotes (";" on a tie: it is what French spreadsheets write).
func sniffSeparator(br *bufio.Reader) byte {
	b, _ := br.Peek(br.Size())
	semi, comma, quoted := 0, 0, false
	for _, c := range b {
		if c == '"' {
			quoted = !quoted
		} else if quoted {
			continue
		} else if c == '\n' {
			break
		} else if c == ';' {
			semi++
		} else if c == ',' {
			comma++
		}
	}
	if comma > semi {
		return ','
	}
	return ';'
}

// csvReader reads RFC 4180 records. Unlike encoding/csv it keeps the text of quoted cells
// exactly ("\r\n" stays "\r\n") and knows the line each record starts on.
type csvReader struct {
	br     *bufio.Reader
	sep    byte
	line   int // lines consumed
	file   string
	buf    []byte
	fields []string
	field  []byte
}

// readLine returns the next line, without its "\n" or "\r\n", and that terminator.
func (c *csvReader) readLine() (line, term []byte, err error) {
	c.buf = c.buf[:0]
	for {
		s, err := c.br.ReadSlice('\n')
		c.buf = append(c.buf, s...)
		if err == bufio.ErrBufferFull {
			continue
		}
		if len(c.buf) == 0 && err == io.EOF {
			return nil, nil, io.EOF
		}
		if err != nil && err != io.EOF {
			return nil, nil, invalid(err, "Le fichier « %s » n’a pas pu être lu jusqu’au bout.", c.file)
		}
		c.line++
		if !utf8.Valid(c.buf) {
			return nil, nil, invalid(nil, "Le fichier « %s » n’est pas encodé en UTF-8 (ligne %d) : dans le tableur, enregistrez-le au format « CSV UTF-8 ».", c.file, c.line)
		}
		b := c.buf
		switch {
		case bytes.HasSuffix(b, []byte("\r\n")):
			return b[:len(b)-2], b[len(b)-2:], nil
		case bytes.HasSuffix(b, []byte("\n")):
			return b[:len(b)-1], b[len(b)-1:], nil
		}
		return b, nil, nil
	}
}

// read returns the next record that is not an empty line, and the line it starts on; io.EOF
// after the last. A quote misplaced in a quoted cell, or a quoted cell never closed, makes the
// file unreadable: everything after it would be misread.
func (c *csvReader) read() ([]string, int, error) {
	var line, term []byte
	var err error
	for {
		line, term, err = c.readLine()
		if err != nil {
			return nil, 0, err // io.EOF after the last line
		}
		if len(line) > 0 {
			break
		}
	}
	start := c.line
	c.fields = c.fields[:0]
	pos := 0
	for {
		if pos < len(line) && line[pos] == '"' {
			c.field = c.field[:0]
			pos++
			for {
				j := bytes.IndexByte(line[pos:], '"')
				if j < 0 { // the cell goes on on the next line
					c.field = append(c.field, line[pos:]...)
					c.field = append(c.field, term...)
					if term == nil {
						return nil, 0, invalid(nil, "Le fichier « %s » a des guillemets jamais refermés (cellule commencée ligne %d).", c.file, start)
					}
					if line, term, err = c.readLine(); err == io.EOF {
						return nil, 0, invalid(nil, "Le fichier « %s » a des guillemets jamais refermés (cellule commencée ligne %d).", c.file, start)
					} else if err != nil {
						return nil, 0, err
					}
					pos = 0
					continue
				}
				c.field = append(c.field, line[pos:pos+j]...)
				pos += j + 1
				if pos < len(line) && line[pos] == '"' { // "" is a quote
					c.field = append(c.field, '"')
					pos++
					continue
				}
				break
			}
			c.fields = append(c.fields, string(c.field))
			if pos == len(line) {
				return c.fields, start, nil
			}
			if line[pos] != c.sep {
				return nil, 0, invalid(nil, "Le fichier « %s » a un guillemet mal placé ligne %d : une cellule entre guillemets doit être suivie du séparateur « %c ».", c.file, c.line, c.sep)
			}
			pos++
			continue
		}
		j := bytes.IndexByte(line[pos:], c.sep)
		if j < 0 {
			c.fields = append(c.fields, string(line[pos:]))
			return c.fields, start, nil
		}
		c.fields = append(c.fields, string(line[pos:pos+j]))
		pos += j + 1
	}
}
