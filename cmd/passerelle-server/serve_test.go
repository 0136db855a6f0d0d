package main

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"io"
	"math/big"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestServe_HealthzAndGracefulShutdown(t *testing.T) {
	t.Parallel()
	data := t.TempDir()
	s := startServer(t, data)
	if !strings.HasPrefix(s.url, "http://127.0.0.1:") || strings.HasSuffix(s.url, ":0") {
		t.Errorf("printed URL %q: want the real loopback port", s.url)
	}
	st, b := s.call(http.MethodGet, "/healthz", "", nil)
	if st != http.StatusOK || strings.TrimSpace(string(b)) != `{"status":"ok"}` {
		t.Errorf("healthz: %d %s", st, b)
	}
	if st, b := s.call(http.MethodGet, "/api/v1/pull", "", nil); st != http.StatusUnauthorized || errorCode(t, b) != "unauthorized" {
		t.Errorf("pull without a token: %d %s", st, b)
	}
	if code := s.stop(); code != exitOK {
		t.Fatalf("exit %d after SIGTERM, want 0\nstderr: %s", code, s.stderr)
	}
	// The log is JSON lines on stderr: a started line, a line per request, a stopped line.
	var msgs []string
	for line := range strings.SplitSeq(strings.TrimSpace(s.stderr.String()), "\n") {
		var rec struct {
			Msg   string `json:"msg"`
			Route string `json:"route"`
		}
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Fatalf("log line is not JSON: %q", line)
		}
		msgs = append(msgs, rec.Msg+" "+rec.Route)
	}
	joined := strings.Join(msgs, "|")
	for _, want := range []string{"server started", "request GET /healthz", "request GET /api/v1/pull", "server stopped"} {
		if !strings.Contains(joined, want) {
			t.Errorf("log lacks %q: %v", want, msgs)
		}
	}
	// The store was closed cleanly: the data folder opens again at once.
	if code, _, errOut := cli(t, data, "site", "list"); code != exitOK {
		t.Errorf("site list after the shutdown: exit %d %s", code, errOut)
	}
	if _, err := os.Stat(filepath.Join(data, databaseFile)); err != nil {
		t.Errorf("database file: %v", err)
	}
}

// TestServe_Refusals checks the configurations serve refuses before it listens: plain HTTP on an
// address other hosts reach, and bad flags. Each exits 2 with a French message.
func TestServe_Refusals(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	cert, key := selfSigned(t, dir)
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"every address", []string{"--addr", ":0"}, "refus de servir en HTTP sans chiffrement"},
		{"every IPv4 address", []string{"--addr", "0.0.0.0:0"}, "refus de servir en HTTP sans chiffrement"},
		{"every IPv6 address", []string{"--addr", "[::]:0"}, "refus de servir en HTTP sans chiffrement"},
		{"a public address", []string{"--addr", "192.0.2.10:8080"}, "--behind-proxy"},
		{"a host name", []string{"--addr", "passerelle.example.org:8080"}, "seule l’adresse de bouclage"},
		{"a certificate without its key", []string{"--tls-cert", cert}, "--tls-cert et --tls-key vont ensemble"},
		{"a key without its certificate", []string{"--tls-key", key}, "--tls-cert et --tls-key vont ensemble"},
		{"an unreadable certificate", []string{"--tls-cert", filepath.Join(dir, "absent.pem"), "--tls-key", key}, "illisible"},
		{"a key that is not one", []string{"--tls-cert", cert, "--tls-key", cert}, "invalide"},
		{"no port", []string{"--addr", "127.0.0.1"}, "adresse invalide"},
		{"zero days of tombstones", []string{"--tombstone-days", "0"}, "--tombstone-days"},
		{"an unknown log level", []string{"--log-level", "bavard"}, "niveau de journal inconnu"},
		{"an unknown flag", []string{"--port", "8080"}, "option inconnue"},
		{"an argument", []string{"maintenant"}, "argument inattendu"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			data := t.TempDir()
			code, out, errOut := cli(t, data, append([]string{"serve"}, tc.args...)...)
			if code != exitNothing || !strings.Contains(errOut, tc.want) || out != "" {
				t.Errorf("exit %d, stdout %q, stderr %q; want exit 2 and %q", code, out, errOut, tc.want)
			}
			if entries, _ := os.ReadDir(data); len(entries) != 0 {
				t.Errorf("a refused serve touched the data folder: %v", entries)
			}
		})
	}
}

// TestServe_PlainHTTPAllowed checks the plain HTTP that is allowed: loopback by name, and any
// address behind a proxy (which then also trusts X-Forwarded-For).
func TestServe_PlainHTTPAllowed(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		args []string
	}{
		{"localhost", []string{"--addr", "localhost:0"}},
		{"every address behind a proxy", []string{"--addr", "0.0.0.0:0", "--behind-proxy"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := startServer(t, t.TempDir(), tc.args...)
			host, port, err := net.SplitHostPort(strings.TrimPrefix(s.url, "http://"))
			if err != nil {
				t.Fatal(err)
			}
			if ip := net.ParseIP(host); ip == nil || !(ip.IsLoopback() || ip.IsUnspecified()) {
				t.Errorf("printed URL %q", s.url)
			}
			if net.ParseIP(host).IsUnspecified() { // every address: reach it on loopback
				s.url = "http://127.0.0.1:" + port
			}
			if st, b := s.call(http.MethodGet, "/healthz", "", nil); st != http.StatusOK {
				t.Errorf("healthz: %d %s", st, b)
			}
			if code := s.stopWith(os.Interrupt); code != exitOK { // Ctrl-C stops it as cleanly
				t.Errorf("exit %d after SIGINT", code)
			}
		})
	}
}

// TestServe_TLS serves with a self-signed certificate: a client that trusts it gets TLS 1.2 or
// later, a client limited to TLS 1.1 is refused, and TLS may listen on any address.
func TestServe_TLS(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	cert, key := selfSigned(t, dir)
	pemBytes, err := os.ReadFile(cert)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pemBytes) {
		t.Fatal("test certificate not added to the pool")
	}
	s := startServer(t, t.TempDir(), "--tls-cert", cert, "--tls-key", key)
	if !strings.HasPrefix(s.url, "https://127.0.0.1:") {
		t.Fatalf("printed URL %q, want https://127.0.0.1:…", s.url)
	}
	get := func(url string, cfg *tls.Config) (*http.Response, error) {
		tr := &http.Transport{TLSClientConfig: cfg}
		defer tr.CloseIdleConnections()
		resp, err := (&http.Client{Transport: tr}).Get(url + "/healthz")
		if err == nil {
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
		}
		return resp, err
	}

	t.Run("a client that trusts the certificate", func(t *testing.T) {
		resp, err := get(s.url, &tls.Config{RootCAs: pool})
		if err != nil {
			t.Fatal(err)
		}
		if resp.StatusCode != http.StatusOK || resp.TLS == nil || resp.TLS.Version < tls.VersionTLS12 {
			t.Errorf("status %d, TLS %+v", resp.StatusCode, resp.TLS)
		}
	})
	t.Run("TLS 1.1 is refused", func(t *testing.T) {
		_, err := get(s.url, &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS10, MaxVersion: tls.VersionTLS11})
		if err == nil || !strings.Contains(err.Error(), "protocol version") {
			t.Errorf("TLS 1.1 client: %v, want a protocol version refusal", err)
		}
	})
	t.Run("a client that does not trust it", func(t *testing.T) {
		if _, err := get(s.url, &tls.Config{}); err == nil {
			t.Error("an untrusted certificate was accepted")
		}
	})
	if code := s.stop(); code != exitOK {
		t.Errorf("exit %d", code)
	}

	t.Run("TLS on every address", func(t *testing.T) {
		s := startServer(t, t.TempDir(), "--tls-cert", cert, "--tls-key", key, "--addr", "0.0.0.0:0")
		_, port, _ := net.SplitHostPort(strings.TrimPrefix(s.url, "https://"))
		if resp, err := get("https://127.0.0.1:"+port, &tls.Config{RootCAs: pool}); err != nil || resp.StatusCode != http.StatusOK {
			t.Errorf("healthz: %v %v", resp, err)
		}
		if code := s.stop(); code != exitOK {
			t.Errorf("exit %d", code)
		}
	})
}

// selfSigned writes a self-signed certificate for 127.0.0.1 and localhost and its key, in PEM.
func selfSigned(t testing.TB, dir string) (certFile, keyFile string) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "passerelle-server test"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(24 * time.Hour),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
		IPAddresses:           []net.IP{net.ParseIP("127.0.0.1"), net.ParseIP("::1")},
		DNSNames:              []string{"localhost"},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	keyDER, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	certFile, keyFile = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	writeFile(t, dir, "cert.pem", pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}))
	writeFile(t, dir, "key.pem", pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER}))
	return certFile, keyFile
}
