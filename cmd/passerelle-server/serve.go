package main

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/edas92/passerelle/internal/syncserver"
)

// Timeouts of the HTTP server. A push is at most 4 MiB and a pull page at most 1,000 records
// (a few MiB): a desk on a slow link needs tens of seconds for either, a client that sends its
// headers a byte at a time does not get to hold a connection.
const (
	readHeaderTimeout = 10 * time.Second
	readTimeout       = 60 * time.Second
	writeTimeout      = 120 * time.Second
	idleTimeout       = 120 * time.Second
	maxHeaderBytes    = 64 << 10
	// shutdownTimeout bounds the wait for the requests in flight on SIGTERM; systemd waits 90 s
	// by default before it kills.
	shutdownTimeout = 30 * time.Second
)

// serveConfig is what serve's flags say.
type serveConfig struct {
	addr          string
	tlsCert       string
	tlsKey        string
	behindProxy   bool
	tombstoneDays int
	logLevel      string
}

func cmdServe(ctx context.Context, x *env, args []string) error {
	fs, c := x.newFlagSet()
	var cfg serveConfig
	fs.StringVar(&cfg.addr, "addr", "127.0.0.1:8080", "`HÔTE:PORT` où écouter (port 0 : un port libre)")
	fs.StringVar(&cfg.tlsCert, "tls-cert", "", "`FICHIER` du certificat TLS (PEM, chaîne complète)")
	fs.StringVar(&cfg.tlsKey, "tls-key", "", "`FICHIER` de la clé privée TLS (PEM)")
	fs.BoolVar(&cfg.behindProxy, "behind-proxy", false, "derrière un proxy inverse qui chiffre (TLS) : HTTP permis sur toute adresse, adresse du client lue dans X-Forwarded-For")
	fs.IntVar(&cfg.tombstoneDays, "tombstone-days", 90, "`JOURS` de conservation des suppressions ; un poste absent plus longtemps recharge toutes ses données")
	fs.StringVar(&cfg.logLevel, "log-level", "info", "`NIVEAU` du journal : debug, info, warn ou error")
	rest, err := x.parse(fs, args)
	if err != nil {
		return err
	}
	if err := x.noArgs(rest); err != nil {
		return err
	}

	level, ok := logLevels[strings.ToLower(cfg.logLevel)]
	if !ok {
		return usageErrorf("serve : niveau de journal inconnu « %s » (debug, info, warn ou error)", cfg.logLevel)
	}
	if cfg.tombstoneDays < 1 || cfg.tombstoneDays > 36500 {
		return usageErrorf("serve : --tombstone-days doit être un nombre de jours de 1 à 36500")
	}
	tlsConfig, err := loadTLS(cfg.tlsCert, cfg.tlsKey)
	if err != nil {
		return err
	}
	if err := checkPlainHTTP(cfg.addr, tlsConfig != nil, cfg.behindProxy); err != nil {
		return err
	}

	handler := slog.NewJSONHandler(x.stderr, &slog.HandlerOptions{Level: level})
	log := slog.New(handler)
	db, dir, err := x.openStore(c)
	if err != nil {
		return err
	}
	defer func() {
		if err := db.Close(); err != nil {
			log.Error("close store", "err", err)
		}
	}()

	ln, err := net.Listen("tcp", cfg.addr)
	if err != nil {
		return nothingErrorf("impossible d’écouter sur %s : %v", cfg.addr, err)
	}
	scheme := "http"
	if tlsConfig != nil {
		scheme = "https"
	}

	srv := syncserver.New(db, syncserver.Options{Logger: log, TrustProxy: cfg.behindProxy})
	hs := &http.Server{
		Handler:           srv.Handler(),
		TLSConfig:         tlsConfig,
		ReadHeaderTimeout: readHeaderTimeout,
		ReadTimeout:       readTimeout,
		WriteTimeout:      writeTimeout,
		IdleTimeout:       idleTimeout,
		MaxHeaderBytes:    maxHeaderBytes,
		// TLS handshake failures and the like: worth a look, not an error of the server.
		ErrorLog: slog.NewLogLogger(handler, slog.LevelWarn),
	}

	hkCtx, stopHousekeeping := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		housekeeping(hkCtx, db, time.Duration(cfg.tombstoneDays)*24*time.Hour, housekeepingEvery, log, time.Now)
	}()

	served := make(chan error, 1)
	go func() {
		if tlsConfig != nil {
			served <- hs.ServeTLS(ln, "", "") // the certificate is in TLSConfig; HTTP/2 is offered
			return
		}
		served <- hs.Serve(ln)
	}()

	url := scheme + "://" + ln.Addr().String()
	log.Info("server started", "url", url, "data_dir", dir, "tls", tlsConfig != nil,
		"behind_proxy", cfg.behindProxy, "tombstone_days", cfg.tombstoneDays)
	// The one line scripts and tests wait for: the listener is open, requests are served.
	fmt.Fprintf(x.stdout, "passerelle-server : à l’écoute sur %s\n", url)

	var serveErr error
	select {
	case <-ctx.Done():
		log.Info("shutting down", "timeout", shutdownTimeout.String())
		sctx, cancel := context.WithTimeout(context.Background(), shutdownTimeout)
		if err := hs.Shutdown(sctx); err != nil {
			log.Warn("shutdown: requests still in flight were cut", "err", err)
			hs.Close()
		}
		cancel()
		<-served
	case serveErr = <-served:
	}
	stopHousekeeping()
	wg.Wait()
	if serveErr != nil && !errors.Is(serveErr, http.ErrServerClosed) {
		log.Error("server failed", "err", serveErr)
		return fmt.Errorf("serve: %w", serveErr)
	}
	log.Info("server stopped")
	return nil
}

var logLevels = map[string]slog.Level{
	"debug": slog.LevelDebug,
	"info":  slog.LevelInfo,
	"warn":  slog.LevelWarn,
	"error": slog.LevelError,
}

// loadTLS reads the certificate and key, or returns nil when neither is given. TLS 1.2 is the
// least the protocol accepts (docs/sync-protocol.md).
func loadTLS(certFile, keyFile string) (*tls.Config, error) {
	if certFile == "" && keyFile == "" {
		return nil, nil
	}
	if certFile == "" || keyFile == "" {
		return nil, usageErrorf("serve : --tls-cert et --tls-key vont ensemble")
	}
	cert, err := tls.LoadX509KeyPair(certFile, keyFile)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) || errors.Is(err, os.ErrPermission) {
			return nil, nothingErrorf("certificat ou clé TLS illisible : %v", err)
		}
		return nil, nothingErrorf("certificat ou clé TLS invalide (%s, %s) : %v", certFile, keyFile, err)
	}
	return &tls.Config{
		MinVersion:   tls.VersionTLS12,
		Certificates: []tls.Certificate{cert},
	}, nil
}

// checkPlainHTTP refuses to serve plain HTTP on an address other hosts can reach: device tokens
// and usagers' data would cross the network in clear. Behind a reverse proxy that ends TLS, the
// server may listen on any address (the proxy's network is the administrator's to protect).
func checkPlainHTTP(addr string, withTLS, behindProxy bool) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return usageErrorf("serve : adresse invalide « %s » : HÔTE:PORT attendu (par exemple 127.0.0.1:8080 ou :8443)", addr)
	}
	if withTLS || behindProxy || isLoopback(host) {
		return nil
	}
	shown := host
	if shown == "" {
		shown = "toutes les adresses"
	}
	return nothingErrorf("refus de servir en HTTP sans chiffrement sur %s (%s) : les jetons des postes et les données des usagers passeraient en clair. "+
		"Sans TLS, seule l’adresse de bouclage est permise (127.0.0.1, ::1, localhost). Donnez --tls-cert et --tls-key, "+
		"ou --behind-proxy si un proxy inverse chiffre les échanges (TLS) devant ce serveur.", addr, shown)
}

// isLoopback reports whether a listening host is a loopback address. A host name other than
// localhost is not trusted to resolve to one.
func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(strings.Trim(host, "[]"))
	return ip != nil && ip.IsLoopback()
}
