package sheet_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/edas92/passerelle/internal/domain"
	"github.com/edas92/passerelle/internal/sheet"
	"github.com/edas92/passerelle/internal/sheet/sheettest"
)

var update = flag.Bool("update", false, "rewrite the golden files of testdata/")

// TestReferral_golden compares the layout trees with testdata/*.golden.json (go test -update
// rewrites them; read the diff before committing).
func TestReferral_golden(t *testing.T) {
	t.Parallel()
	in := func(person, message string, health bool, services ...sheet.ServiceInfo) sheet.ReferralInput {
		return sheet.ReferralInput{Person: person, Message: message, Worker: sheettest.Worker,
			Date: sheettest.Date, Services: services, IncludeHealth: health}
	}
	anonymous := in("", "", false, sheettest.Garden())
	anonymous.Worker = sheet.Worker{Name: "Claire Martin", EDAS: "EDAS Vanves"} // no phone: line left out
	tests := []struct {
		name string
		doc  sheet.Document
	}{
		{"referral-full", sheet.Referral(in("Mme D.", sheettest.Message, false, sheettest.Full()))},
		{"referral-sparse", sheet.Referral(in("M. K.", "", false, sheettest.Sparse()))},
		{"referral-three", sheet.Referral(in("Mme D.", sheettest.Message, false,
			sheettest.Full(), sheettest.Garden(), sheettest.Accorderie()))},
		{"referral-anonymous", sheet.Referral(anonymous)},
		{"referral-health-excluded", sheet.Referral(in("Mme D.", "", false, sheettest.HealthWorkshop()))},
		{"referral-health-included", sheet.Referral(in("Mme D.", "", true, sheettest.HealthWorkshop()))},
		{"referral-remote-and-stale", sheet.Referral(in("Mme D.", "", false,
			sheettest.RemoteHelp(), sheettest.RepairCafe()))},
		{"initiative", sheet.Initiative(sheettest.Full(), sheettest.Worker, sheettest.Date)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := json.MarshalIndent(tt.doc, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, '\n')
			path := filepath.Join("testdata", tt.name+".golden.json")
			if *update {
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test ./internal/sheet -update to create it)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("layout tree differs from %s (go test -update rewrites it):\n%s", path, firstDiff(want, got))
			}
		})
	}
}

// firstDiff shows the first differing line of two texts, with its number.
func firstDiff(want, got []byte) string {
	w, g := strings.Split(string(want), "\n"), strings.Split(string(got), "\n")
	for i := range max(len(w), len(g)) {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			return fmt.Sprintf("line %d:\n  want %q\n  got  %q", i+1, wl, gl)
		}
	}
	return "(same lines)"
}

// walk calls fn for every block of the tree, depth first.
func walk(blocks []sheet.Block, fn func(sheet.Block)) {
	for _, b := range blocks {
		fn(b)
		walk(b.Blocks, fn)
	}
}

// labels returns the labels of the field blocks of a block, in order.
func labels(b sheet.Block) []string {
	var out []string
	walk([]sheet.Block{b}, func(b sheet.Block) {
		if b.Kind == sheet.KindField {
			out = append(out, b.Label)
		}
	})
	return out
}

// field returns the value lines of the field labelled label, nil when absent.
func field(b sheet.Block, label string) []string {
	var out []string
	walk([]sheet.Block{b}, func(b sheet.Block) {
		if b.Kind == sheet.KindField && b.Label == label {
			out = b.Lines
		}
	})
	return out
}

// texts returns every printed string of a document.
func texts(d sheet.Document) []string {
	out := []string{d.Title, d.Header.Text, d.Footer.Text, d.Footer.PageNumbers}
	walk(d.Blocks, func(b sheet.Block) {
		out = append(out, b.Text, b.Label)
		out = append(out, b.Lines...)
		for _, q := range b.QRs {
			out = append(out, q.Caption)
		}
	})
	return out
}

// services returns the service groups of a referral sheet (the groups with a heading).
func services(d sheet.Document) []sheet.Block {
	var out []sheet.Block
	for _, b := range d.Blocks {
		if b.Kind == sheet.KindGroup && slices.ContainsFunc(b.Blocks, func(c sheet.Block) bool { return c.Kind == sheet.KindHeading }) {
			out = append(out, b)
		}
	}
	return out
}

func referral(services ...sheet.ServiceInfo) sheet.Document {
	return sheet.Referral(sheet.ReferralInput{Person: "Mme D.", Message: sheettest.Message,
		Worker: sheettest.Worker, Date: sheettest.Date, Services: services})
}

func TestReferral_everyField(t *testing.T) {
	t.Parallel()
	doc := referral(sheettest.Full())
	svc := services(doc)
	if len(svc) != 1 {
		t.Fatalf("got %d service blocks, want 1", len(svc))
	}
	b := svc[0]
	if !b.KeepTogether {
		t.Error("a service block must be kept together")
	}
	want := []string{"Pour", "Ce que c’est", "Où", "Comment y aller", "Quand", "Contact",
		"Combien ça coûte", "Pour qui", "Conditions", "À apporter", "Comment faire"}
	if got := labels(b); !slices.Equal(got, want) {
		t.Errorf("labels = %q, want %q", got, want)
	}
	checks := []struct {
		label string
		want  []string
	}{
		{"Où", []string{"12 rue de l’Église", "Bâtiment B, rez-de-chaussée", "92160 Antony"}},
		{"Quand", []string{"Le mardi et le jeudi, de 14 h à 18 h.", "Le premier samedi du mois, de 10 h à 12 h."}},
		{"Contact", []string{"Téléphone : 01 99 00 01 02", "Courriel : contact@panier-du-coeur.example.org",
			"Site internet : https://panier-du-coeur.example.org", "Personne à contacter : Martine Lefèvre"}},
		{"Combien ça coûte", []string{"Payant.", "Environ 20 % du prix en magasin ; adhésion 2 € par an"}},
		{"À apporter", []string{"Pièce d’identité, Dernier avis d’imposition"}},
		{"Comment faire", []string{"Présentez-vous sur place, téléphonez ou écrivez un courriel.",
			"Faites la demande en ligne : https://panier-du-coeur.example.org/inscription",
			"Le premier rendez-vous dure une demi-heure."}},
	}
	for _, c := range checks {
		if got := field(b, c.label); !slices.Equal(got, c.want) {
			t.Errorf("%s = %q, want %q", c.label, got, c.want)
		}
	}
	all := strings.Join(texts(doc), "\n")
	for _, s := range []string{"Votre fiche d’orientation", "Le 23 novembre 2026", "Pour : Mme D.",
		"Épicerie solidaire Le Panier du Cœur", "Association Le Panier du Cœur",
		"Informations vérifiées le 5 juillet 2026.", "Page {page} sur {pages}", "Claire Martin",
		"EDAS Issy-les-Moulineaux", "Tél. 01 41 23 45 67", sheettest.Message} {
		if !strings.Contains(all, s) {
			t.Errorf("sheet lacks %q", s)
		}
	}
	var qrs []sheet.QR
	walk(b.Blocks, func(b sheet.Block) { qrs = append(qrs, b.QRs...) })
	wantQR := []sheet.QR{
		{Content: "https://panier-du-coeur.example.org/inscription", Caption: "Scannez pour faire la demande en ligne"},
		{Content: "tel:+33199000102", Caption: "Scannez pour appeler"},
	}
	if !slices.Equal(qrs, wantQR) {
		t.Errorf("QR codes = %+v, want %+v", qrs, wantQR)
	}
}

func TestReferral_missingFieldsLeaveLinesOut(t *testing.T) {
	t.Parallel()
	doc := referral(sheettest.Sparse())
	b := services(doc)[0]
	if got, want := labels(b), []string{"Ce que c’est", "Où"}; !slices.Equal(got, want) {
		t.Errorf("labels = %q, want %q", got, want)
	}
	if got := field(b, "Où"); !slices.Equal(got, []string{"Issy-les-Moulineaux"}) {
		t.Errorf("Où = %q", got)
	}
	walk(b.Blocks, func(c sheet.Block) {
		if c.Kind == sheet.KindQR {
			t.Errorf("QR block without a link or a phone: %+v", c)
		}
		if strings.HasPrefix(c.Text, "Informations vérifiées") {
			t.Errorf("freshness line without a date_maj: %q", c.Text)
		}
		if c.Kind == sheet.KindParagraph && c.Muted {
			t.Errorf("structure line without a structure: %q", c.Text)
		}
	})
	// No field is ever printed empty, on any sheet.
	for _, d := range []sheet.Document{doc, referral(sheettest.Five()...)} {
		walk(d.Blocks, func(c sheet.Block) {
			if c.Kind == sheet.KindField && (len(c.Lines) == 0 || slices.Contains(c.Lines, "")) {
				t.Errorf("field %q has an empty line: %q", c.Label, c.Lines)
			}
		})
	}
}

func TestReferral_fromStructure(t *testing.T) {
	t.Parallel()
	b := services(referral(sheettest.Garden()))[0]
	if got, want := field(b, "Où"), []string{"4 allée des Tilleuls", "92130 Issy-les-Moulineaux"}; !slices.Equal(got, want) {
		t.Errorf("Où = %q, want the structure's address %q", got, want)
	}
	if got, want := field(b, "Quand"), []string{"Le mercredi et le samedi, de 14 h à 18 h."}; !slices.Equal(got, want) {
		t.Errorf("Quand = %q, want the structure's hours %q", got, want)
	}
	if got, want := field(b, "Contact"), []string{"Téléphone : 01 99 00 03 04"}; !slices.Equal(got, want) {
		t.Errorf("Contact = %q, want the structure's phone %q", got, want)
	}
}

func TestReferral_variants(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		service sheet.ServiceInfo
		label   string
		want    []string
	}{
		{"unreadable hours printed as written", sheettest.RepairCafe(), "Quand", []string{"un samedi par mois, voir le site"}},
		{"remote only", sheettest.RemoteHelp(), "Où", []string{"À distance, par téléphone ou par internet."}},
		{"also remote", sheettest.Accorderie(), "Où", []string{"27 rue des Galons", "92190 Meudon",
			"Aussi à distance, par téléphone ou par internet."}},
		{"only professionals mobilise", sheettest.Accorderie(), "Comment faire",
			[]string{"Votre interlocuteur fait la demande pour vous."}},
		{"free", sheettest.Garden(), "Combien ça coûte", []string{"Gratuit."}},
		{"hours with holidays", sheettest.Accorderie(), "Quand", []string{
			"Du lundi au vendredi, de 9 h à 12 h et de 14 h à 17 h.", "Fermé les jours fériés."}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := field(services(referral(tt.service))[0], tt.label); !slices.Equal(got, tt.want) {
				t.Errorf("%s = %q, want %q", tt.label, got, tt.want)
			}
		})
	}
	t.Run("stale information asks to call", func(t *testing.T) {
		t.Parallel()
		all := strings.Join(texts(referral(sheettest.RepairCafe())), "\n")
		if !strings.Contains(all, "Informations vérifiées le 15 mars 2023. Elles ont pu changer : appelez avant d’y aller.") {
			t.Errorf("no warning on stale information in:\n%s", all)
		}
	})
	t.Run("QR codes", func(t *testing.T) {
		t.Parallel()
		qrs := func(s sheet.ServiceInfo) []string {
			var out []string
			walk(referral(s).Blocks, func(b sheet.Block) {
				for _, q := range b.QRs {
					out = append(out, q.Content)
				}
			})
			return out
		}
		if got, want := qrs(sheettest.Accorderie()), []string{"https://www.accorderie-meudon.example.org"}; !slices.Equal(got, want) {
			t.Errorf("website without scheme: QR = %q, want %q", got, want)
		}
		if got, want := qrs(sheettest.RemoteHelp()), []string{"https://numerique-solidaire.example.org/aide", "tel:+33199000910"}; !slices.Equal(got, want) {
			t.Errorf("QR = %q, want %q", got, want)
		}
		if got, want := qrs(sheettest.Garden()), []string{"tel:+33199000304"}; !slices.Equal(got, want) {
			t.Errorf("structure's phone: QR = %q, want %q", got, want)
		}
	})
}

// TestReferral_health checks the GDPR art. 9 rule: a health need is printed only when the worker
// ticked health for this sheet; other needs always are.
func TestReferral_health(t *testing.T) {
	t.Parallel()
	health := sheettest.HealthWorkshop()
	plain := sheettest.Garden()
	for _, include := range []bool{false, true} {
		t.Run(fmt.Sprintf("IncludeHealth=%v", include), func(t *testing.T) {
			t.Parallel()
			doc := sheet.Referral(sheet.ReferralInput{Date: sheettest.Date, Worker: sheettest.Worker,
				Services: []sheet.ServiceInfo{health, plain}, IncludeHealth: include})
			js, err := json.Marshal(doc)
			if err != nil {
				t.Fatal(err)
			}
			if got := strings.Contains(string(js), "diabète"); got != include {
				t.Errorf("health need printed = %v, want %v", got, include)
			}
			if !strings.Contains(string(js), plain.Need) {
				t.Errorf("a need that is not about health must always be printed: %q missing", plain.Need)
			}
			// The rest of the health service's block is there either way.
			if got := field(services(doc)[0], "Ce que c’est"); len(got) == 0 {
				t.Error("the service itself must be printed")
			}
		})
	}
	t.Run("initiative never", func(t *testing.T) {
		t.Parallel()
		js, _ := json.Marshal(sheet.Initiative(health, sheettest.Worker, sheettest.Date))
		if strings.Contains(string(js), "diabète") {
			t.Error("a fiche initiative printed a health need")
		}
	})
}

func TestReferral_personAndMessage(t *testing.T) {
	t.Parallel()
	anonymous := sheet.Referral(sheet.ReferralInput{Date: sheettest.Date, Services: []sheet.ServiceInfo{sheettest.Garden()}})
	for _, s := range texts(anonymous) {
		if strings.HasPrefix(s, "Pour : ") {
			t.Errorf("anonymous walk-in: %q printed", s)
		}
		if strings.Contains(s, "interlocuteur") && !strings.Contains(s, "fait la demande") {
			t.Errorf("no worker: %q printed", s)
		}
	}
	doc := sheet.Referral(sheet.ReferralInput{Person: " Mme\tD. ", Message: "Premier paragraphe.\n\n\r\nSecond  paragraphe.",
		Date: sheettest.Date, Worker: sheet.Worker{Phone: "01 41 23 45 67"}})
	var paras []string
	walk(doc.Blocks, func(b sheet.Block) {
		if b.Kind == sheet.KindParagraph {
			paras = append(paras, b.Text)
		}
	})
	want := []string{"Le 23 novembre 2026", "Pour : Mme D.", "Premier paragraphe.", "Second paragraphe."}
	if !slices.Equal(paras, want) {
		t.Errorf("paragraphs = %q, want %q", paras, want)
	}
	var worker []string
	walk(doc.Blocks, func(b sheet.Block) {
		if b.Label == "Votre interlocuteur" {
			worker = b.Lines
		}
	})
	if !slices.Equal(worker, []string{"Tél. 01 41 23 45 67"}) {
		t.Errorf("worker lines = %q, want only the phone", worker)
	}
}

func TestReferral_numbering(t *testing.T) {
	t.Parallel()
	heading := func(b sheet.Block) string {
		for _, c := range b.Blocks {
			if c.Kind == sheet.KindHeading {
				return c.Text
			}
		}
		return ""
	}
	one := services(referral(sheettest.Garden()))
	if got := heading(one[0]); got != "Jardin de la Voie verte" {
		t.Errorf("a single service is not numbered: got %q", got)
	}
	three := services(referral(sheettest.Garden(), sheettest.Sparse(), sheettest.Full()))
	for i, want := range []string{"1. Jardin de la Voie verte", "2. Jardin partagé des Sablons", "3. Épicerie solidaire Le Panier du Cœur"} {
		if got := heading(three[i]); got != want {
			t.Errorf("service %d: heading %q, want %q", i+1, got, want)
		}
	}
}

// TestReferral_typeSizes checks the sheet is in large plain type: body never under 12 pt, the
// title and the services' names larger than the body.
func TestReferral_typeSizes(t *testing.T) {
	t.Parallel()
	docs := []sheet.Document{referral(sheettest.Five()...), sheet.Initiative(sheettest.Full(), sheettest.Worker, sheettest.Date)}
	for _, d := range docs {
		walk(d.Blocks, func(b sheet.Block) {
			if b.Kind == sheet.KindGroup || b.Kind == sheet.KindRule {
				return
			}
			if b.Size < 12 {
				t.Errorf("%s %q%q at %v pt, under 12 pt", b.Kind, b.Text, b.Label, b.Size)
			}
			if b.Kind == sheet.KindHeading && b.Size < 16 {
				t.Errorf("heading %q at %v pt: not larger than the body", b.Text, b.Size)
			}
		})
		if d.Page.Size != "A4" || d.Page.Width != 210 || d.Page.Height != 297 {
			t.Errorf("page = %+v, want A4", d.Page)
		}
	}
}

func TestInitiative(t *testing.T) {
	t.Parallel()
	doc := sheet.Initiative(sheettest.Full(), sheettest.Worker, sheettest.Date)
	if got, want := doc.Header.Text, "Fiche initiative — EDAS Issy-les-Moulineaux"; got != want {
		t.Errorf("header = %q, want %q", got, want)
	}
	if got, want := doc.Footer.Text, "Préparée le 23 novembre 2026 par Claire Martin"; got != want {
		t.Errorf("footer = %q, want %q", got, want)
	}
	if len(doc.Blocks) != 1 || doc.Blocks[0].Kind != sheet.KindGroup || !doc.Blocks[0].KeepTogether {
		t.Fatalf("want one kept service block, got %+v", doc.Blocks)
	}
	for _, s := range texts(doc) {
		if strings.HasPrefix(s, "Pour : ") || s == sheettest.Message || s == "Votre fiche d’orientation" {
			t.Errorf("a fiche initiative has no person, message or referral title: %q", s)
		}
	}
	// The same service block as on a referral sheet, without the rule that separates services.
	ref := services(referral(sheettest.Full()))[0]
	if got, want := labels(doc.Blocks[0]), labels(ref); !slices.Equal(got, want) {
		t.Errorf("labels = %q, want those of the referral sheet %q", got, want)
	}
	if got := sheet.Initiative(sheettest.Sparse(), sheet.Worker{}, sheettest.Date).Header.Text; got != "Fiche initiative" {
		t.Errorf("header without EDAS = %q", got)
	}
}

// TestReferral_hostile feeds what a careless import can bring: every string of the tree must be
// printable by the fonts, and nothing may panic.
func TestReferral_hostile(t *testing.T) {
	t.Parallel()
	h := sheettest.Hostile()
	h.Structure.Nom = "\u202eStructure\u202c \x07"
	h.Service.Telephone = domain.Ptr("☎ 📞")
	h.Service.LienMobilisation = domain.Ptr("javascript:alert(1)")
	doc := sheet.Referral(sheet.ReferralInput{Person: "👩‍👧 Ａｍéｌｉｅ\u200f", Message: "\x00\x01\x02 😀",
		Worker: sheet.Worker{Name: "\xff", EDAS: "\u200b", Phone: "\t"}, Date: sheettest.Date,
		Services: []sheet.ServiceInfo{h}})
	for _, s := range texts(doc) {
		for _, r := range s {
			if !sheet.CanPrint(r) {
				t.Errorf("%U in %.60q: the fonts cannot print it", r, s)
			}
		}
		if s != strings.TrimSpace(s) || strings.Contains(s, "  ") {
			t.Errorf("stray spaces in %.60q", s)
		}
	}
	b := services(doc)[0]
	if got := b.Blocks[1].Text; got != "Café des habitants ?" {
		t.Errorf("name = %q", got)
	}
	if got := field(b, "Conditions"); len(got) != 1 || utf8.RuneCountInString(got[0]) != 300 {
		t.Errorf("the 300-letter word must be kept whole for the renderer to wrap: %q", got)
	}
	// javascript: is no link to open and emoji are no phone number: only the structure's website
	// is left for a QR code.
	var qrs []sheet.QR
	walk(doc.Blocks, func(c sheet.Block) { qrs = append(qrs, c.QRs...) })
	if want := []sheet.QR{{Content: "https://panier-du-coeur.example.org", Caption: "Scannez pour ouvrir le site internet"}}; !slices.Equal(qrs, want) {
		t.Errorf("QR codes = %+v, want %+v", qrs, want)
	}
	if got := doc.Blocks[2].Text; got != "Pour : Amélie" {
		t.Errorf("person = %q, want fullwidth letters folded and emoji dropped", got)
	}
}
