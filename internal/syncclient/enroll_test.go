package syncclient

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/edas92/passerelle/internal/domain"
)

func TestParseServerURL(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in, want string // want "" for an error
	}{
		{"https://synchro.hauts-de-seine.fr", "https://synchro.hauts-de-seine.fr"},
		{"  synchro.hauts-de-seine.fr/ ", "https://synchro.hauts-de-seine.fr"},
		{"HTTPS://Synchro.Hauts-de-Seine.FR:8443/passerelle/", "https://synchro.hauts-de-seine.fr:8443/passerelle"},
		{"http://127.0.0.1:8080", "http://127.0.0.1:8080"},
		{"http://localhost:8080/", "http://localhost:8080"},
		{"http://[::1]:8080", "http://[::1]:8080"},
		{"http://synchro.hauts-de-seine.fr", ""}, // a token in clear over a network
		{"http://192.168.1.10:8080", ""},
		{"ftp://synchro.hauts-de-seine.fr", ""},
		{"https://user:pw@synchro.hauts-de-seine.fr", ""},
		{"https://synchro.hauts-de-seine.fr/?x=1", ""},
		{"https://synchro.hauts-de-seine.fr/#a", ""},
		{"https://", ""},
		{"", ""},
		{"   ", ""},
	} {
		t.Run(tc.in, func(t *testing.T) {
			u, err := ParseServerURL(tc.in)
			if tc.want == "" {
				if err == nil || domain.ErrorCode(err) != domain.EINVALID || domain.ErrorMessage(err) == "" {
					t.Fatalf("%q: %v, %v; want an invalid error", tc.in, u, err)
				}
				return
			}
			if err != nil || u.String() != tc.want {
				t.Fatalf("%q: %v, %v; want %s", tc.in, u, err, tc.want)
			}
		})
	}
}

func TestEnroll(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := newEnv(t, nil)
	site := e.addSite("EDAS de Nanterre")

	t.Run("a code gives a token bound to the code's site", func(t *testing.T) {
		code := e.code(site.ID)
		enr, err := Enroll(ctx, e.url+"/", strings.ToLower(code), "Accueil\n 2", EnrollOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if enr.SiteID != site.ID || enr.SiteName != "EDAS de Nanterre" || enr.DeviceID == "" || !looksLikeToken(enr.Token) || enr.ServerURL != e.url {
			t.Fatalf("enrolment %+v", enr)
		}
		if d := e.device(enr.DeviceID); d.Name != "Accueil 2" || d.SiteID != site.ID {
			t.Errorf("device on the server %+v", d)
		}
	})

	t.Run("a code of another site than the desk's files stays unused", func(t *testing.T) {
		other := e.addSite("EDAS de Clichy")
		code := e.code(site.ID)
		_, err := Enroll(ctx, e.url, code, "Accueil", EnrollOptions{WorkSite: other.ID})
		if domain.ErrorCode(err) != domain.ECONFLICT || !strings.Contains(domain.ErrorMessage(err), "« EDAS de Nanterre »") ||
			!strings.Contains(domain.ErrorMessage(err), "n’a pas servi") {
			t.Fatalf("enrolment of a desk holding Clichy's files with Nanterre's code: %v", err)
		}
		// The code still enrols a desk of Nanterre's files.
		if enr, err := Enroll(ctx, e.url, code, "Accueil", EnrollOptions{WorkSite: site.ID}); err != nil || enr.SiteID != site.ID {
			t.Fatalf("the code after the refusal: %+v, %v", enr, err)
		}
	})

	used := e.code(site.ID)
	if _, err := Enroll(ctx, e.url, used, "Accueil", EnrollOptions{}); err != nil {
		t.Fatal(err)
	}
	e2 := newEnv(t, nil) // a server whose clock has moved past the code's 24 hours
	site2 := e2.addSite("EDAS de Clamart")
	expired2 := e2.code(site2.ID)
	e2.clock.Add(25 * time.Hour)

	html := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		_, _ = w.Write([]byte("<html>Bienvenue sur le Wi-Fi de la mairie</html>"))
	}))
	t.Cleanup(html.Close)
	redirect := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "https://portail.example/login", http.StatusFound)
	}))
	t.Cleanup(redirect.Close)
	otherJSON := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusNotFound)
		_, _ = w.Write([]byte(`{"error":"no such route"}`))
	}))
	t.Cleanup(otherJSON.Close)
	closed := closedAddr(t)

	for _, tc := range []struct {
		name, url, code string
		wantCode        string
		wantText        string
	}{
		{"unknown code", e.url, "ABCD-EFGH-JKLM-NPQR", domain.ENOTFOUND, "inconnu"},
		{"used code", e.url, used, domain.ECONFLICT, "déjà servi"},
		{"expired code", e2.url, expired2, domain.ECONFLICT, "expiré"},
		{"malformed code", e.url, "1234", domain.EINVALID, "mal formé"},
		{"no code", e.url, "  ", domain.EINVALID, "code d’inscription"},
		{"no address", "", used, domain.EINVALID, "adresse"},
		{"plain http over a network", "http://synchro.hauts-de-seine.fr", used, domain.EINVALID, "https://"},
		{"server unreachable", "http://" + closed, used, EUNAVAILABLE, "ne répond pas"},
		{"not a Passerelle server (a Wi-Fi portal)", html.URL, used, domain.EINVALID, "ne répond pas comme un serveur de synchronisation Passerelle"},
		{"a redirect", redirect.URL, used, domain.EINVALID, "ne répond pas comme un serveur de synchronisation Passerelle"},
		{"another JSON API", otherJSON.URL, used, domain.EINVALID, "ne répond pas comme un serveur de synchronisation Passerelle"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			enr, err := Enroll(ctx, tc.url, tc.code, "Accueil", EnrollOptions{})
			if err == nil {
				t.Fatalf("enrolled: %+v", enr)
			}
			if got := domain.ErrorCode(err); got != tc.wantCode {
				t.Errorf("code %q, want %q (%v)", got, tc.wantCode, err)
			}
			if msg := domain.ErrorMessage(err); !strings.Contains(msg, tc.wantText) {
				t.Errorf("message %q does not say %q", msg, tc.wantText)
			}
		})
	}
}

// closedAddr returns a loopback address where nothing listens.
func closedAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return addr
}

func TestDeviceName(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"  Accueil 2 ":           "Accueil 2",
		"":                       "Poste Passerelle",
		"\x00\x01":               "Poste Passerelle",
		"PC-EDAS\tNanterre":      "PC-EDASNanterre",
		strings.Repeat("é", 150): strings.Repeat("é", 100),
	} {
		if got := DeviceName(in); got != want {
			t.Errorf("DeviceName(%q) = %q, want %q", in, got, want)
		}
	}
}
