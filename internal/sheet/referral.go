package sheet

import (
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/edas92/passerelle/internal/domain"
	"github.com/edas92/passerelle/internal/openinghours"
	"github.com/edas92/passerelle/internal/vocab"
)

// Worker is the social worker whose contact is printed on a sheet.
type Worker struct {
	Name  string // « Claire Martin »
	EDAS  string // the EDAS's name, « Issy-les-Moulineaux » (« EDAS » is added when missing)
	Phone string
}

// ServiceInfo is one service to print, with what the sheet says about why.
type ServiceInfo struct {
	Service   domain.Service
	Structure domain.Structure // may be zero: the service's own fields are then all there is
	// Need is the need the service answers, in plain words (« Pour : trouver un travail »),
	// "" for none.
	Need string
	// NeedSensitive marks a health need: it is printed only when the sheet includes health.
	NeedSensitive bool
}

// ReferralInput is what a referral sheet is made from.
type ReferralInput struct {
	Person   string    // the person's display name (initials, pseudonym), "" for an anonymous walk-in
	Message  string    // the worker's message to the person, "" for none
	Worker   Worker    // printed at the end, lines left out when empty
	Date     time.Time // the sheet's date (printed, and the PDF's date): pass a fixed clock in tests
	Services []ServiceInfo
	// IncludeHealth: the worker ticked that health information may appear on this sheet
	// (special-category data, GDPR art. 9). Without it, sensitive needs are left out.
	IncludeHealth bool
}

// Type sizes, in points. The referral sheet is read by people who may read little or badly:
// large plain type, body never under 12 pt.
const (
	titleSize   = 22 // « Votre fiche d’orientation »
	nameSize    = 18 // a service's name
	leadSize    = 14 // « Pour : … », the worker's message
	bodySize    = 13 // labels and values
	noteSize    = 12 // a structure's name, « Informations vérifiées le … », QR captions
	runningSize = 11 // header and footer, outside the content
	qrSize      = 20 // mm: a QR code's side
)

// pageA4 is the paper of every sheet: A4 with margins wide enough for any office printer.
var pageA4 = Page{
	Size: "A4", Width: 210, Height: 297,
	MarginTop: 12, MarginRight: 18, MarginBottom: 18, MarginLeft: 18,
	LabelWidth: 46,
}

// Referral builds the referral sheet handed to a person: title, date, the person's name and the
// worker's message when given, one block per service (never cut across pages unless it is
// taller than a page), the worker's contact, and « Page 1 sur N » in the footer. Every text is
// as it will be printed (see Printable); missing fields leave their line out. It cannot fail.
func Referral(in ReferralInput) Document {
	date := frenchDate(in.Date)
	doc := Document{
		Title:  "Fiche d’orientation du " + date,
		Date:   in.Date,
		Page:   pageA4,
		Header: Running{Size: runningSize},
		Footer: Running{
			Text: "Fiche d’orientation du " + date, Size: runningSize,
			PageNumbers: "Page {page} sur {pages}",
		},
	}
	doc.Blocks = append(doc.Blocks,
		Block{Kind: KindHeading, Text: "Votre fiche d’orientation", Size: titleSize, Bold: true},
		Block{Kind: KindParagraph, Gap: 0.5, Text: "Le " + date, Size: bodySize, Muted: true},
	)
	if p := Printable(in.Person); p != "" {
		doc.Blocks = append(doc.Blocks,
			Block{Kind: KindParagraph, Gap: 4, Text: "Pour : " + p, Size: leadSize, Bold: true})
	}
	for i, p := range paragraphs(in.Message) {
		gap := 2.0
		if i == 0 {
			gap = 4
		}
		doc.Blocks = append(doc.Blocks, Block{Kind: KindParagraph, Gap: gap, Text: p, Size: leadSize})
	}
	for i, s := range in.Services {
		number := 0
		if len(in.Services) > 1 {
			number = i + 1 // « 2. … »: the worker can say « the second one »
		}
		b := serviceBlock(s, number, in.IncludeHealth, in.Date)
		b.Blocks = slices.Insert(b.Blocks, 0, Block{Kind: KindRule}) // sets each service apart
		doc.Blocks = append(doc.Blocks, b)
	}
	if w := workerBlock(in.Worker); w.Kind != "" {
		doc.Blocks = append(doc.Blocks, w)
	}
	return doc
}

// Initiative builds the « fiche initiative » of one service for the EDAS reception desk: the same
// service block as on a referral sheet, on its own page, under the header « Fiche initiative —
// EDAS … ». There is no person and no message; a sensitive need is never printed. It cannot
// fail.
func Initiative(s ServiceInfo, worker Worker, date time.Time) Document {
	header := "Fiche initiative"
	if e := edasName(worker.EDAS); e != "" {
		header += " — " + e
	}
	footer := "Préparée le " + frenchDate(date)
	if n := Printable(worker.Name); n != "" {
		footer += " par " + n
	}
	block := serviceBlock(s, 0, false, date)
	block.Gap = 0
	return Document{
		Title:  "Fiche initiative — " + Printable(s.Service.Nom),
		Date:   date,
		Page:   pageA4,
		Header: Running{Text: header, Size: runningSize},
		Footer: Running{Text: footer, Size: runningSize, PageNumbers: "Page {page} sur {pages}"},
		Blocks: []Block{block},
	}
}

// serviceBlock is the block of one service: a group kept on one page. number > 0 prefixes the
// name (« 2. … »). The need is printed unless it is sensitive and health is not included.
func serviceBlock(s ServiceInfo, number int, includeHealth bool, date time.Time) Block {
	sv, st := &s.Service, &s.Structure
	var stp *domain.Structure
	if st.ID != "" || st.Nom != "" {
		stp = st
	}
	name := Printable(sv.Nom)
	if name == "" {
		name = "Service sans nom"
	}
	if number > 0 {
		name = strconv.Itoa(number) + ". " + name
	}
	g := Block{Kind: KindGroup, Gap: 5, KeepTogether: true}
	add := func(b Block) { g.Blocks = append(g.Blocks, b) }
	field := func(label string, lines ...string) {
		var kept []string
		for _, l := range lines {
			kept = append(kept, paragraphs(l)...)
		}
		if len(kept) > 0 {
			add(Block{Kind: KindField, Gap: 1, Label: label, Lines: kept, Size: bodySize})
		}
	}

	add(Block{Kind: KindHeading, Gap: 1.5, Text: name, Size: nameSize, Bold: true})
	if stName := Printable(st.Nom); stName != "" && stName != Printable(sv.Nom) {
		add(Block{Kind: KindParagraph, Text: stName, Size: noteSize, Muted: true})
	}
	if s.Need != "" && (!s.NeedSensitive || includeHealth) {
		field("Pour", s.Need)
	}
	field("Ce que c’est", sv.Description)
	field("Où", whereLines(sv, stp)...)
	field("Comment y aller", sv.AccesTransport)
	field("Quand", whenLines(sv, stp)...)

	phone := firstOf(sv.Telephone, st.Telephone)
	email := firstOf(sv.Courriel, st.Courriel)
	site := domain.Str(st.SiteWeb)
	field("Contact",
		labelled("Téléphone", phone),
		labelled("Courriel", email),
		labelled("Site internet", site),
		labelled("Personne à contacter", domain.Str(sv.ContactNomPrenom)))
	field("Combien ça coûte", costLines(sv)...)
	field("Pour qui", domain.Str(sv.PublicsPrecisions))
	field("Conditions", domain.Str(sv.ConditionsAcces))
	field("À apporter", extraText(sv.Extra, "justificatifs"))
	field("Comment faire", howLines(sv, phone, email)...)

	var qrs []QR
	if u, ok := webURL(domain.Str(sv.LienMobilisation)); ok {
		qrs = append(qrs, QR{Content: u, Caption: "Scannez pour faire la demande en ligne"})
	} else if u, ok := webURL(site); ok {
		qrs = append(qrs, QR{Content: u, Caption: "Scannez pour ouvrir le site internet"})
	}
	if t, ok := telURI(phone); ok {
		qrs = append(qrs, QR{Content: t, Caption: "Scannez pour appeler"})
	}
	if len(qrs) > 0 {
		add(Block{Kind: KindQR, Gap: 1, QRs: qrs, QRSize: qrSize, Size: noteSize})
	}

	if d, ok := frenchDateMaj(sv.DateMaj); ok {
		text := "Informations vérifiées le " + d + "."
		if domain.FreshnessOf(sv.DateMaj, date).Level == domain.FreshStale {
			if phone != "" {
				text += " Elles ont pu changer : appelez avant d’y aller."
			} else {
				text += " Elles ont pu changer."
			}
		}
		gap := 3.0
		if len(qrs) > 0 {
			gap = 0 // the codes' white margin is space enough
		}
		add(Block{Kind: KindParagraph, Gap: gap, Text: text, Size: noteSize, Muted: true})
	}
	return g
}

// whereLines is « Où »: the address where the service is received, or that it is remote.
func whereLines(sv *domain.Service, st *domain.Structure) []string {
	const remote = "À distance, par téléphone ou par internet."
	if domain.IsRemoteOnly(sv) {
		return []string{remote}
	}
	loc := domain.EffectiveLocation(sv, st)
	lines := []string{loc.Adresse, loc.ComplementAdresse,
		strings.TrimSpace(Printable(loc.CodePostal) + " " + Printable(loc.Commune))}
	if slices.Contains(sv.ModesAccueil, "a-distance") && (loc.Adresse != "" || loc.Commune != "") {
		lines = append(lines, "Aussi à distance, par téléphone ou par internet.")
	}
	return lines
}

// whenLines is « Quand »: the opening hours as French sentences, or the raw text when it cannot
// be read (« sur rendez-vous »).
func whenLines(sv *domain.Service, st *domain.Structure) []string {
	raw := domain.EffectiveHours(sv, st)
	if strings.TrimSpace(raw) == "" {
		return nil
	}
	if sentences, ok := openinghours.French(raw); ok && len(sentences) > 0 {
		return sentences
	}
	return []string{raw}
}

// costLines is « Combien ça coûte »: free or not, and the details.
func costLines(sv *domain.Service) []string {
	var lines []string
	switch f := domain.Str(sv.Frais); f {
	case "":
	case "gratuit":
		lines = append(lines, "Gratuit.")
	case "payant":
		lines = append(lines, "Payant.")
	default:
		lines = append(lines, vocab.Frais.Label(f))
	}
	return append(lines, domain.Str(sv.FraisPrecisions))
}

// howLines is « Comment faire »: the modes of mobilisation told to the person in one sentence
// (the numbers and addresses are in « Contact » just above), the online link on its own line.
// When only professionals can mobilise the service, the worker does it.
func howLines(sv *domain.Service, phone, email string) []string {
	var lines []string
	usagers := len(sv.MobilisablePar) == 0 || slices.Contains(sv.MobilisablePar, "usagers")
	if !usagers {
		lines = append(lines, "Votre interlocuteur fait la demande pour vous.")
	} else {
		var verbs, others []string
		link := ""
		for _, m := range sv.ModesMobilisation {
			switch m {
			case "se-presenter":
				verbs = append(verbs, "présentez-vous sur place")
			case "telephoner":
				if phone != "" {
					verbs = append(verbs, "téléphonez")
				}
			case "envoyer-un-courriel":
				if email != "" {
					verbs = append(verbs, "écrivez un courriel")
				}
			case "utiliser-lien-mobilisation":
				if l := Printable(domain.Str(sv.LienMobilisation)); l != "" {
					link = "Faites la demande en ligne : " + l
				}
			default:
				others = append(others, vocab.ModesMobilisation.Label(m)+".")
			}
		}
		if len(verbs) > 0 {
			lines = append(lines, upperFirst(joinOu(verbs))+".")
		}
		if link != "" {
			lines = append(lines, link)
		}
		lines = append(lines, others...)
	}
	return append(lines, domain.Str(sv.MobilisationPrecisions))
}

// joinOu joins choices the French way: « a, b ou c ».
func joinOu(parts []string) string {
	if len(parts) == 1 {
		return parts[0]
	}
	return strings.Join(parts[:len(parts)-1], ", ") + " ou " + parts[len(parts)-1]
}

func upperFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[n:]
}

// workerBlock is « Votre interlocuteur »: name and EDAS on one line, the phone on the next (parts
// left out when missing); a zero Block when all are empty.
func workerBlock(w Worker) Block {
	var who []string
	if n := Printable(w.Name); n != "" {
		who = append(who, n)
	}
	if e := edasName(w.EDAS); e != "" {
		who = append(who, e)
	}
	var lines []string
	if len(who) > 0 {
		lines = append(lines, strings.Join(who, ", "))
	}
	if p := Printable(w.Phone); p != "" {
		lines = append(lines, "Tél. "+p)
	}
	if len(lines) == 0 {
		return Block{}
	}
	return Block{Kind: KindGroup, Gap: 5, KeepTogether: true, Blocks: []Block{
		{Kind: KindRule},
		{Kind: KindField, Gap: 1.5, Label: "Votre interlocuteur", Lines: lines, Size: bodySize},
	}}
}

// edasName is « EDAS Issy-les-Moulineaux » from « Issy-les-Moulineaux » or from itself.
func edasName(edas string) string {
	e := Printable(edas)
	if e == "" || strings.HasPrefix(strings.ToUpper(e), "EDAS") {
		return e
	}
	return "EDAS " + e
}

func labelled(label, value string) string {
	if v := Printable(value); v != "" {
		return label + " : " + v
	}
	return ""
}

func firstOf(values ...*string) string {
	for _, v := range values {
		if s := Printable(domain.Str(v)); s != "" {
			return s
		}
	}
	return ""
}

// extraText reads a field kept in a record's Extra (a field data·inclusion v1 does not define,
// such as v0's « justificatifs »): a string, or a list of strings joined by commas.
func extraText(extra map[string]json.RawMessage, key string) string {
	raw, ok := extra[key]
	if !ok {
		return ""
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	var list []string
	if json.Unmarshal(raw, &list) == nil {
		return strings.Join(list, ", ")
	}
	return ""
}
