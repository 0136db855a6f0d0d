package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/edas92/passerelle/internal/domain"
	"github.com/edas92/passerelle/internal/sqlite"
)

// runInProcess runs the tool's run function (no binary): for help and usage, which touch no
// store.
func runInProcess(args ...string) (int, string, string) {
	var out, errOut bytes.Buffer
	code := run(context.Background(), args, &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestUsage(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name        string
		args        []string
		code        int
		out, errOut string
	}{
		{"no arguments", nil, exitNothing, "passerelle-server site add --name NOM", ""},
		{"help", []string{"help"}, exitOK, "Codes de sortie", ""},
		{"--help", []string{"--help"}, exitOK, "passerelle-server suggestion reject UUID", ""},
		{"help of a command", []string{"help", "device", "revoke"}, exitOK, "Retire un poste", ""},
		{"help of a group", []string{"site", "--help"}, exitOK, "passerelle-server site list", ""},
		{"unknown command", []string{"frobnicate"}, exitNothing, "", "commande inconnue « frobnicate »"},
		{"group without subcommand", []string{"device"}, exitNothing, "", "indiquez une sous-commande (list, revoke)"},
		{"unknown subcommand", []string{"suggestion", "delete"}, exitNothing, "", "sous-commande inconnue « delete » (list, accept, reject)"},
		{"unknown option", []string{"site", "list", "--frobnicate"}, exitNothing, "", "option inconnue -frobnicate"},
		{"option without value", []string{"site", "add", "--name"}, exitNothing, "", "l’option -name attend une valeur"},
		{"site add without a name", []string{"site", "add"}, exitNothing, "", "indiquez --name NOM"},
		{"site add with a loose word", []string{"site", "add", "--name", "EDAS", "de", "Nanterre"}, exitNothing, "", "entre guillemets"},
		{"enroll without a site", []string{"enroll"}, exitNothing, "", "indiquez --site ID"},
		{"device revoke without an id", []string{"device", "revoke"}, exitNothing, "", "identifiant d’un poste"},
		{"directory remove without an id", []string{"directory", "remove"}, exitNothing, "", "au moins un identifiant"},
		{"grid publish without a file", []string{"grid", "publish"}, exitNothing, "", "indiquez un fichier"},
		{"grid publish of a missing file", []string{"grid", "publish", "/nonexistent/grille.json"}, exitNothing, "", "impossible de lire"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			code, out, errOut := runInProcess(tc.args...)
			if code != tc.code || !strings.Contains(out, tc.out) || !strings.Contains(errOut, tc.errOut) {
				t.Errorf("exit %d, stdout %q, stderr %q; want exit %d, %q, %q", code, out, errOut, tc.code, tc.out, tc.errOut)
			}
		})
	}
}

// TestHelp_EveryCommand checks each command's --help: exit 0, its synopsis, its own text and
// every flag it takes, in French.
func TestHelp_EveryCommand(t *testing.T) {
	t.Parallel()
	for _, c := range commands {
		t.Run(c.path, func(t *testing.T) {
			t.Parallel()
			code, out, errOut := runInProcess(append(strings.Fields(c.path), "--help")...)
			if code != exitOK || errOut != "" {
				t.Fatalf("exit %d, stderr %q", code, errOut)
			}
			first := strings.SplitN(c.about, "\n", 2)[0]
			for _, want := range []string{"passerelle-server " + c.path, first, "Options :", "--data-dir DOSSIER"} {
				if !strings.Contains(out, want) {
					t.Errorf("help lacks %q:\n%s", want, out)
				}
			}
			for _, flag := range []string{"--json", "--verbose"} {
				if strings.Contains(out, flag) != c.admin {
					t.Errorf("help of %s: %s shown %v, want %v", c.path, flag, !c.admin, c.admin)
				}
			}
			if strings.Contains(out, "value") || strings.Contains(out, "default") {
				t.Errorf("English in the help:\n%s", out)
			}
		})
	}
}

func TestCheckPlainHTTP(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		addr              string
		withTLS, behind   bool
		allowed, badUsage bool
	}{
		{addr: "127.0.0.1:8080", allowed: true},
		{addr: "127.0.0.2:8080", allowed: true},
		{addr: "[::1]:8080", allowed: true},
		{addr: "localhost:8080", allowed: true},
		{addr: "LOCALHOST:8080", allowed: true},
		{addr: ":8080"},
		{addr: "0.0.0.0:8080"},
		{addr: "[::]:8080"},
		{addr: "10.0.0.5:8080"},
		{addr: "localhost.example.org:8080"},
		{addr: ":8443", withTLS: true, allowed: true},
		{addr: "0.0.0.0:8080", behind: true, allowed: true},
		{addr: "8080", badUsage: true},
	} {
		t.Run(tc.addr, func(t *testing.T) {
			t.Parallel()
			err := checkPlainHTTP(tc.addr, tc.withTLS, tc.behind)
			if (err == nil) != tc.allowed {
				t.Fatalf("checkPlainHTTP(%q, tls %v, proxy %v) = %v; allowed %v", tc.addr, tc.withTLS, tc.behind, err, tc.allowed)
			}
			if err != nil {
				ee, ok := err.(*exitError)
				if !ok || ee.code != exitNothing {
					t.Errorf("error %v, want exit 2", err)
				}
				if got := strings.Contains(err.Error(), "adresse invalide"); got != tc.badUsage {
					t.Errorf("error %q", err)
				}
			}
		})
	}
}

// TestHousekeep drops the tombstones older than the retention, on a real server database.
func TestHousekeep(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, err := sqlite.OpenServer(filepath.Join(t.TempDir(), "passerelle-server.db"), sqlite.ServerOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	site, err := db.AddSite(ctx, "EDAS")
	if err != nil {
		t.Fatal(err)
	}
	put := func(deleted bool) int64 {
		var v int64
		err := db.InTx(ctx, func(tx domain.ServerTx) error {
			v, err = tx.PutRecord(ctx, domain.SyncRecord{Kind: domain.KindUsager, UUID: "u1", Site: site.ID, Deleted: deleted, DeletedAt: "x"})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	const day = 24 * time.Hour
	t0 := time.Date(2026, 1, 5, 3, 0, 0, 0, time.UTC)
	put(false)
	tomb := put(true)
	for _, tc := range []struct {
		at      time.Duration
		horizon int64
	}{
		{0, 0},
		{30 * day, 0},
		{89 * day, 0},
		{91 * day, tomb}, // the mark of day 0
	} {
		h, err := housekeep(ctx, db, 90*day, t0.Add(tc.at))
		if err != nil || h != tc.horizon {
			t.Fatalf("day %d: horizon %d, %v; want %d", tc.at/day, h, err, tc.horizon)
		}
	}
	// A desk of day 30 still pulls; one older than the retention must resync.
	if _, err := db.Pull(ctx, site.ID, tomb, 0, 10); err != nil {
		t.Errorf("pull at the horizon: %v", err)
	}
	if _, err := db.Pull(ctx, site.ID, tomb-1, 0, 10); domain.ErrorCode(err) != domain.ERESYNC {
		t.Errorf("pull below the horizon: %v, want resync", err)
	}

}
