package pdf_test

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/edas92/passerelle/internal/pdf"
	"github.com/edas92/passerelle/internal/sheet"
	"github.com/edas92/passerelle/internal/sheet/sheettest"
)

// These tests read real PDFs back with poppler-utils (pdftotext, pdfinfo, pdftoppm), qpdf and
// zbar-tools (zbarimg). They fail, never skip, when a tool is missing: CI installs them.
//
// Set SHEET_SAMPLE_DIR to keep the PDFs (and PNGs at 80 dpi) of the read-back tests there, to
// look at them.

var debianPackage = map[string]string{
	"pdftotext": "poppler-utils", "pdfinfo": "poppler-utils", "pdftoppm": "poppler-utils",
	"qpdf": "qpdf", "zbarimg": "zbar-tools",
}

// run runs a tool and returns its standard output; it fails the test when the tool is missing
// or fails (zbarimg exits 4 when it finds no code: that is a failure here too).
func run(t *testing.T, name string, args ...string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err != nil {
		t.Fatalf("%s is missing: install the Debian package %s (apt-get install %s)", name, debianPackage[name], debianPackage[name])
	}
	var stdout, stderr bytes.Buffer
	cmd := exec.Command(path, args...)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s %s: %v\nstdout: %s\nstderr: %s", name, strings.Join(args, " "), err, stdout.String(), stderr.String())
	}
	return stdout.String()
}

var spaces = regexp.MustCompile(`\s+`)

// text is the text of a PDF (or of one page when page > 0), as pdftotext -layout gives it, with
// runs of white space made one space so that a phrase is found whatever its column.
func text(t *testing.T, path string, page int) string {
	t.Helper()
	args := []string{"-layout", "-enc", "UTF-8"}
	if page > 0 {
		args = append(args, "-f", strconv.Itoa(page), "-l", strconv.Itoa(page))
	}
	return spaces.ReplaceAllString(run(t, "pdftotext", append(args, path, "-")...), " ")
}

// info returns pdfinfo's fields.
func info(t *testing.T, path string) map[string]string {
	t.Helper()
	out := map[string]string{}
	for line := range strings.Lines(run(t, "pdfinfo", path)) {
		if k, v, ok := strings.Cut(line, ":"); ok {
			out[k] = strings.TrimSpace(v)
		}
	}
	return out
}

func pages(t *testing.T, path string) int {
	t.Helper()
	n, err := strconv.Atoi(info(t, path)["Pages"])
	if err != nil {
		t.Fatalf("pdfinfo: no page count: %v", err)
	}
	return n
}

// checkStructure runs qpdf --check, which exits non-zero on any structural error.
func checkStructure(t *testing.T, path string) {
	t.Helper()
	if out := run(t, "qpdf", "--check", path); !strings.Contains(out, "No syntax or stream encoding errors") {
		t.Errorf("qpdf --check: %s", out)
	}
}

// write renders doc into a temporary file (and into SHEET_SAMPLE_DIR when set).
func write(t *testing.T, name string, doc sheet.Document) string {
	t.Helper()
	b, err := pdf.Render(doc)
	if err != nil {
		t.Fatalf("Render: %v", err)
	}
	path := filepath.Join(t.TempDir(), name+".pdf")
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	if dir := os.Getenv("SHEET_SAMPLE_DIR"); dir != "" {
		if err := os.WriteFile(filepath.Join(dir, name+".pdf"), b, 0o644); err != nil {
			t.Fatal(err)
		}
		run(t, "pdftoppm", "-r", "80", "-png", path, filepath.Join(dir, name))
	}
	return path
}

func referral(services ...sheet.ServiceInfo) sheet.Document {
	return sheet.Referral(sheet.ReferralInput{Person: "Mme D.", Message: sheettest.Message,
		Worker: sheettest.Worker, Date: sheettest.Date, Services: services})
}

func TestRender_readBack(t *testing.T) {
	t.Parallel()
	path := write(t, "referral-full", referral(sheettest.Full()))
	got := text(t, path, 0)
	for _, want := range []string{
		"Votre fiche d’orientation", "Le 23 novembre 2026", "Pour : Mme D.",
		"N’hésitez pas à m’appeler :", "« ça ira mieux » — on en reparle", "rendez-vous…",
		"1 sur 1",
		"Épicerie solidaire Le Panier du Cœur", "Association Le Panier du Cœur",
		"Pour Faire vos courses à petit prix", "Ce que c’est Des produits frais, d’hygiène et d’épicerie",
		"Où 12 rue de l’Église", "Bâtiment B, rez-de-chaussée", "92160 Antony",
		"Comment y aller RER B Antony, puis bus 196 arrêt Mairie d’Antony",
		"Quand Le mardi et le jeudi, de 14 h à 18 h.", "Le premier samedi du mois, de 10 h à 12 h.",
		"Contact Téléphone : 01 99 00 01 02", "Courriel : contact@panier-du-coeur.example.org",
		"Site internet : https://panier-du-coeur.example.org", "Personne à contacter : Martine Lefèvre",
		"Combien ça coûte Payant.", "Environ 20 % du prix en magasin ; adhésion 2 € par an",
		"Pour qui Familles et personnes seules aux revenus modestes",
		"Conditions Réservé aux habitants d’Antony.", "À apporter Pièce d’identité, Dernier avis d’imposition",
		"Comment faire Présentez-vous sur place, téléphonez ou écrivez un courriel.",
		"https://panier-du-coeur.example.org/inscription", "Le premier rendez-vous dure une demi-heure.",
		"Scannez pour faire la", "Scannez pour appeler", "Informations vérifiées le 5 juillet 2026.",
		"Votre interlocuteur Claire Martin", "EDAS Issy-les-Moulineaux", "Tél. 01 41 23 45 67",
		"Fiche d’orientation du 23 novembre 2026", "Page 1 sur 1",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("pdftotext lacks %q", want)
		}
	}
	for _, r := range "éèàçœ«»’…€ÉÀ" {
		if !strings.ContainsRune(got, r) {
			t.Errorf("pdftotext lost %q", r)
		}
	}
	i := info(t, path)
	for k, want := range map[string]string{
		"Pages": "1", "Page size": "595.28 x 841.89 pts (A4)",
		"Title": "Fiche d’orientation du 23 novembre 2026", "Creator": "Passerelle",
	} {
		if i[k] != want {
			t.Errorf("pdfinfo %s = %q, want %q", k, i[k], want)
		}
	}
	if !strings.Contains(i["CreationDate"], "Nov 23 10:30:00 2026") {
		t.Errorf("pdfinfo CreationDate = %q, want the sheet's date", i["CreationDate"])
	}
	checkStructure(t, path)
}

func TestRender_initiative(t *testing.T) {
	t.Parallel()
	path := write(t, "initiative", sheet.Initiative(sheettest.Full(), sheettest.Worker, sheettest.Date))
	got := text(t, path, 0)
	for _, want := range []string{"Fiche initiative — EDAS Issy-les-Moulineaux",
		"Épicerie solidaire Le Panier du Cœur", "Le mardi et le jeudi, de 14 h à 18 h.",
		"Préparée le 23 novembre 2026 par Claire Martin", "Page 1 sur 1"} {
		if !strings.Contains(got, want) {
			t.Errorf("pdftotext lacks %q", want)
		}
	}
	if strings.Contains(got, "Votre fiche") || strings.Contains(got, "Mme D.") {
		t.Error("a fiche initiative has no person and no referral title")
	}
	if n := pages(t, path); n != 1 {
		t.Errorf("%d pages, want the service on its own page", n)
	}
	checkStructure(t, path)
}

// TestRender_qrCodes decodes the printed QR codes from a 150 dpi image with zbarimg.
func TestRender_qrCodes(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		service sheet.ServiceInfo
		want    []string
	}{
		{"link and phone", sheettest.Full(), []string{"https://panier-du-coeur.example.org/inscription", "tel:+33199000102"}},
		{"website without scheme", sheettest.Accorderie(), []string{"https://www.accorderie-meudon.example.org"}},
		{"international phone", sheettest.RemoteHelp(), []string{"https://numerique-solidaire.example.org/aide", "tel:+33199000910"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			path := write(t, "qr-"+strings.ReplaceAll(tt.name, " ", "-"), referral(tt.service))
			prefix := filepath.Join(filepath.Dir(path), "page")
			run(t, "pdftoppm", "-r", "150", "-png", "-f", "1", "-l", "1", path, prefix)
			images, err := filepath.Glob(prefix + "*.png")
			if err != nil || len(images) != 1 {
				t.Fatalf("pdftoppm images: %v, %v", images, err)
			}
			got := strings.Fields(run(t, "zbarimg", "--raw", "-q", images[0]))
			slices.Sort(got)
			want := slices.Sorted(slices.Values(tt.want))
			if !slices.Equal(got, want) {
				t.Errorf("decoded %q, want %q", got, want)
			}
		})
	}
}

// TestRender_flow prints five services: they flow onto several pages, numbered « Page i sur N »,
// and no service block is cut (its name and its last line are on the same page).
func TestRender_flow(t *testing.T) {
	t.Parallel()
	path := write(t, "referral-five", referral(sheettest.Five()...))
	n := pages(t, path)
	if n < 2 {
		t.Fatalf("%d page(s): five services must flow onto several", n)
	}
	pageText := make([]string, n+1)
	for p := 1; p <= n; p++ {
		pageText[p] = text(t, path, p)
		if want := fmt.Sprintf("Page %d sur %d", p, n); !strings.Contains(pageText[p], want) {
			t.Errorf("page %d lacks %q", p, want)
		}
	}
	pageOf := func(s string) []int {
		var out []int
		for p := 1; p <= n; p++ {
			if strings.Contains(pageText[p], s) {
				out = append(out, p)
			}
		}
		return out
	}
	blocks := []struct{ first, last string }{
		{"1. Épicerie solidaire Le Panier du Cœur", "Informations vérifiées le 5 juillet 2026."},
		{"2. Jardin de la Voie verte", "Informations vérifiées le 1er octobre 2026."},
		{"3. Repair café de Vanves", "Informations vérifiées le 15 mars 2023."},
		{"4. Accorderie de Meudon", "Informations vérifiées le 12 septembre 2026."},
		{"5. Aide numérique par téléphone", "Informations vérifiées le 2 novembre 2026."},
		{"Votre interlocuteur Claire Martin", "Tél. 01 41 23 45 67"},
	}
	previous := 0
	for _, b := range blocks {
		first, last := pageOf(b.first), pageOf(b.last)
		if len(first) != 1 || !slices.Equal(first, last) {
			t.Errorf("%q on page(s) %v but %q on page(s) %v: block cut or missing", b.first, first, b.last, last)
			continue
		}
		if first[0] < previous {
			t.Errorf("%q on page %d, before the previous block (page %d)", b.first, first[0], previous)
		}
		previous = first[0]
	}
	checkStructure(t, path)
}

// TestRender_hostile renders what a careless import can bring: emoji, control characters,
// right-to-left text, a 20,000-character description, a 300-letter word.
func TestRender_hostile(t *testing.T) {
	t.Parallel()
	path := write(t, "referral-hostile", referral(sheettest.Hostile()))
	got := text(t, path, 0)
	for _, want := range []string{"Café des habitants ?", "Anticonstitutionnellement",
		"Zoë O’Brien-Łukasiewicz ?", "Bus ligne 323 ? ← →", "répété sans fin"} {
		if !strings.Contains(got, want) {
			t.Errorf("pdftotext lacks %q", want)
		}
	}
	if n := pages(t, path); n < 3 {
		t.Errorf("%d pages for a 20,000-character description: the block must split over pages", n)
	}
	checkStructure(t, path)

	// Documents no sheet function makes: Render replaces what the fonts lack by itself.
	raw := sheet.Document{Blocks: []sheet.Block{
		{Kind: sheet.KindHeading, Text: "😀 Titre \x00\x1b \u202eשלום\u202c 𝔘 你好", Size: 20},
		{Kind: sheet.KindParagraph, Text: strings.Repeat("x", 5000), Size: 500},
		{Kind: "inconnu", Text: "rien"},
	}, Footer: sheet.Running{Text: "\x07pied", PageNumbers: "{page}/{pages}"}}
	if _, err := pdf.Render(raw); err != nil {
		t.Errorf("Render of a raw document: %v", err)
	}
	if _, err := pdf.Render(sheet.Document{}); err != nil {
		t.Errorf("Render of an empty document: %v", err)
	}
	tooLong := sheet.Document{Blocks: []sheet.Block{{Kind: sheet.KindQR, QRs: []sheet.QR{{Content: strings.Repeat("a", 5000)}}}}}
	if _, err := pdf.Render(tooLong); err == nil {
		t.Error("Render of a QR code too long to encode: want an error")
	}
}

// TestRender_deterministic: the same document gives the same bytes; another date, other bytes.
func TestRender_deterministic(t *testing.T) {
	t.Parallel()
	docs := map[string]func() sheet.Document{
		"five":       func() sheet.Document { return referral(sheettest.Five()...) },
		"initiative": func() sheet.Document { return sheet.Initiative(sheettest.Garden(), sheettest.Worker, sheettest.Date) },
		"no date": func() sheet.Document {
			d := referral(sheettest.Sparse())
			d.Date = time.Time{}
			return d
		},
	}
	for name, doc := range docs {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			a, err := pdf.Render(doc())
			if err != nil {
				t.Fatal(err)
			}
			b, err := pdf.Render(doc())
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(a, b) {
				t.Errorf("two renderings differ (%d and %d bytes)", len(a), len(b))
			}
		})
	}
	other := referral(sheettest.Five()...)
	other.Date = other.Date.AddDate(0, 0, 1)
	a, errA := pdf.Render(referral(sheettest.Five()...))
	b, errB := pdf.Render(other)
	if err := errors.Join(errA, errB); err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(a, b) {
		t.Error("sheets of different dates gave the same bytes")
	}
}

// TestRender_concurrent renders from several goroutines at once (the desktop app may print while
// it previews): under -race this catches writes into shared font data.
func TestRender_concurrent(t *testing.T) {
	t.Parallel()
	want, err := pdf.Render(referral(sheettest.Full()))
	if err != nil {
		t.Fatal(err)
	}
	results := make([][]byte, 4)
	errs := make([]error, 4)
	var wg sync.WaitGroup
	for i := range results {
		wg.Go(func() { results[i], errs[i] = pdf.Render(referral(sheettest.Full())) })
	}
	wg.Wait()
	for i, got := range results {
		if errs[i] != nil {
			t.Fatal(errs[i])
		}
		if !bytes.Equal(got, want) {
			t.Errorf("render %d differs from a lone render", i)
		}
	}
}

func benchmarkRender(b *testing.B, in sheet.ReferralInput) {
	for b.Loop() {
		if _, err := pdf.Render(sheet.Referral(in)); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRenderOneService builds and renders a one-service sheet with every field and two QR
// codes. Aim: under 10 ms.
func BenchmarkRenderOneService(b *testing.B) {
	benchmarkRender(b, sheet.ReferralInput{Person: "Mme D.", Message: sheettest.Message, Worker: sheettest.Worker,
		Date: sheettest.Date, Services: []sheet.ServiceInfo{sheettest.Full()}})
}

// BenchmarkRenderFiveServices builds and renders a five-service sheet (four pages). Aim: under
// 30 ms.
func BenchmarkRenderFiveServices(b *testing.B) {
	benchmarkRender(b, sheet.ReferralInput{Person: "Mme D.", Message: sheettest.Message, Worker: sheettest.Worker,
		Date: sheettest.Date, Services: sheettest.Five()})
}

// BenchmarkRenderOneServiceColdQR is BenchmarkRenderOneService with links never printed before:
// the QR codes are encoded every time (the first print of a service).
func BenchmarkRenderOneServiceColdQR(b *testing.B) {
	info := sheettest.Full()
	base := *info.Service.LienMobilisation
	in := sheet.ReferralInput{Person: "Mme D.", Message: sheettest.Message, Worker: sheettest.Worker,
		Date: sheettest.Date, Services: []sheet.ServiceInfo{info}}
	i := 0
	for b.Loop() {
		i++
		link := base + "?v=" + strconv.Itoa(i)
		in.Services[0].Service.LienMobilisation = &link
		if _, err := pdf.Render(sheet.Referral(in)); err != nil {
			b.Fatal(err)
		}
	}
}
