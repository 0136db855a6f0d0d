package main

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/time/rate"

	"github.com/edas92/passerelle/internal/domain"
	"github.com/edas92/passerelle/internal/sqlite"
	"github.com/edas92/passerelle/internal/syncclient"
	"github.com/edas92/passerelle/internal/syncserver"
)

// syncServer starts the real sync server on loopback with the fixture directory and returns
// it with its address.
func syncServer(t *testing.T) (*syncserver.Server, string) {
	t.Helper()
	store, err := sqlite.OpenServer(filepath.Join(t.TempDir(), "serveur.db"), sqlite.ServerOptions{})
	if err != nil {
		t.Fatal(err)
	}
	srv := syncserver.New(store, syncserver.Options{DeviceRate: rate.Inf, EnrolRate: rate.Inf})
	hs := httptest.NewServer(srv.Handler())
	t.Cleanup(func() {
		hs.Close()
		store.Close()
	})
	rep, err := srv.ImportDirectory(context.Background(), []syncserver.ImportFile{
		syncserver.FileBytes("structures.json", []byte(structures)),
		syncserver.FileBytes("services.json", []byte(services)),
	}, "")
	if err != nil || rep.Imported != 3 {
		t.Fatalf("import on the server: %+v %v", rep, err)
	}
	return srv, hs.URL
}

func enrolmentCode(t *testing.T, srv *syncserver.Server) (string, domain.Site) {
	t.Helper()
	site, err := srv.AddSite(context.Background(), "EDAS de Nanterre")
	if err != nil {
		t.Fatal(err)
	}
	code, _, err := srv.NewEnrolment(context.Background(), site.ID)
	if err != nil {
		t.Fatal(err)
	}
	return code, site
}

func TestEnroll_Arguments(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"no server", []string{"enroll", "--code", "ABCD-EFGH-JKLM-NPQR"}, "--server"},
		{"no code", []string{"enroll", "--server", "https://synchro.example"}, "--code"},
		{"plain http", []string{"enroll", "--server", "http://synchro.example", "--code", "ABCD-EFGH-JKLM-NPQR"}, "https://"},
		{"extra argument", []string{"enroll", "--server", "https://synchro.example", "--code", "X", "encore"}, "inattendu"},
		{"sync with an argument", []string{"sync", "maintenant"}, "inattendu"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			code, _, errOut := cli(t, t.TempDir(), tc.args...)
			if code != exitNothing || !strings.Contains(errOut, tc.want) {
				t.Errorf("exit %d, %q", code, errOut)
			}
		})
	}
}

func TestEnrollAndSync(t *testing.T) {
	t.Parallel()
	srv, url := syncServer(t)
	data := t.TempDir()

	t.Run("sync before enrolment", func(t *testing.T) {
		code, out, errOut := cli(t, data, "sync")
		if code != exitPartial || !strings.Contains(errOut, "inscrit") || !strings.Contains(out, "Envoyées : 0") {
			t.Errorf("exit %d, %q, %q", code, out, errOut)
		}
	})
	t.Run("unknown code", func(t *testing.T) {
		code, _, errOut := cli(t, data, "enroll", "--server", url, "--code", "ABCD-EFGH-JKLM-NPQR")
		if code != exitNothing || !strings.Contains(errOut, "Code d’inscription inconnu") {
			t.Errorf("exit %d, %q", code, errOut)
		}
	})

	enrolCode, site := enrolmentCode(t, srv)
	code, out, errOut := cli(t, data, "enroll", "--server", url, "--code", enrolCode, "--name", "Accueil 2", "--json")
	if code != exitOK {
		t.Fatalf("enroll: exit %d, %q", code, errOut)
	}
	var enr map[string]any
	if err := json.Unmarshal([]byte(out), &enr); err != nil {
		t.Fatalf("enroll --json: %v\n%s", err, out)
	}
	if enr["site_id"] != site.ID || enr["site_name"] != "EDAS de Nanterre" || enr["server_url"] != url || enr["device_id"] == "" {
		t.Errorf("enrolment %v", enr)
	}
	if _, ok := enr["token"]; ok || strings.Contains(out, `"token"`) {
		t.Error("the token was printed")
	}
	devs, _ := srv.Devices(context.Background())
	if len(devs) != 1 || devs[0].Name != "Accueil 2" {
		t.Errorf("devices %+v", devs)
	}

	t.Run("the code served once", func(t *testing.T) {
		code, _, errOut := cli(t, t.TempDir(), "enroll", "--server", url, "--code", enrolCode)
		if code != exitNothing || !strings.Contains(errOut, "déjà servi") {
			t.Errorf("exit %d, %q", code, errOut)
		}
	})

	t.Run("sync --json prints the report", func(t *testing.T) {
		code, out, errOut := cli(t, data, "sync", "--json")
		if code != exitOK {
			t.Fatalf("exit %d, %q", code, errOut)
		}
		var rep syncclient.Report
		if err := json.Unmarshal([]byte(out), &rep); err != nil {
			t.Fatalf("%v\n%s", err, out)
		}
		if rep.Directory != 3 || rep.Error != "" || rep.Cursor == 0 {
			t.Errorf("report %+v", rep)
		}
	})

	t.Run("sync says what moved", func(t *testing.T) {
		code, out, errOut := cli(t, data, "sync")
		if code != exitOK || !strings.Contains(out, "Envoyées : 0 modification(s). En attente : 0.") || !strings.Contains(out, "Reçues : 0") {
			t.Errorf("exit %d, %q, %q", code, out, errOut)
		}
	})

	t.Run("a revoked desk fails with exit 1 and says so", func(t *testing.T) {
		if _, err := srv.Revoke(context.Background(), enr["device_id"].(string)); err != nil {
			t.Fatal(err)
		}
		code, out, errOut := cli(t, data, "sync", "--json")
		if code != exitPartial || !strings.Contains(errOut, "inscrivez-le de nouveau") {
			t.Fatalf("exit %d, %q", code, errOut)
		}
		var rep syncclient.Report
		if err := json.Unmarshal([]byte(out), &rep); err != nil || rep.ErrorCode != domain.EREVOKED {
			t.Errorf("report %+v %v", rep, err)
		}
	})
}
