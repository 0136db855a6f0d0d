package main

import (
	"flag"
	"fmt"
	"io"
	"log/slog"
	"strings"

	"github.com/edas92/passerelle/internal/datadir"
	"github.com/edas92/passerelle/internal/directory"
	"github.com/edas92/passerelle/internal/domain"
	"github.com/edas92/passerelle/internal/interviews"
	"github.com/edas92/passerelle/internal/sqlite"
)

// listFlag collects a repeatable flag (--theme a --theme b).
type listFlag []string

func (l *listFlag) String() string     { return strings.Join(*l, ",") }
func (l *listFlag) Set(v string) error { *l = append(*l, v); return nil }

// common holds the flags every command takes.
type common struct {
	dataDir string
	verbose bool
}

func newFlagSet(name string, stderr io.Writer) (*flag.FlagSet, *common) {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard) // errors are printed once, in French, by run
	c := &common{}
	fs.StringVar(&c.dataDir, "data-dir", "", "dossier des données (ou PASSERELLE_DATA_DIR)")
	fs.BoolVar(&c.verbose, "verbose", false, "journal détaillé sur la sortie d’erreur")
	return fs, c
}

// parse reads flags placed anywhere among the positional arguments ("search epicerie --free").
func parse(fs *flag.FlagSet, args []string) ([]string, error) {
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, usageErrorf("%s : %s", fs.Name(), frenchFlagError(err))
		}
		args = fs.Args()
		if len(args) == 0 {
			return positional, nil
		}
		if args[0] == "--" {
			return append(positional, args[1:]...), nil
		}
		positional = append(positional, args[0])
		args = args[1:]
	}
}

func frenchFlagError(err error) string {
	msg := err.Error()
	switch {
	case strings.HasPrefix(msg, "flag provided but not defined: "):
		return "option inconnue " + strings.TrimPrefix(msg, "flag provided but not defined: ")
	case strings.HasPrefix(msg, "flag needs an argument: "):
		return "l’option " + strings.TrimPrefix(msg, "flag needs an argument: ") + " attend une valeur"
	case strings.HasPrefix(msg, "invalid value "):
		return "valeur invalide : " + strings.TrimPrefix(msg, "invalid value ")
	}
	return msg
}

// open opens the desk's store and its directory.
func (c *common) open(stderr io.Writer) (*directory.Directory, *sqlite.DB, error) {
	level := slog.LevelError
	if c.verbose {
		level = slog.LevelDebug
	}
	logger := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level}))
	slog.SetDefault(logger)
	dir, err := datadir.Resolve(c.dataDir)
	if err != nil {
		return nil, nil, &exitError{code: exitNothing, err: fmt.Errorf("dossier des données inutilisable : %w", err)}
	}
	db, err := sqlite.Open(datadir.Database(dir), sqlite.Options{})
	if err != nil {
		return nil, nil, fmt.Errorf("open store: %w", err)
	}
	return directory.New(db, directory.Options{Logger: logger}), db, nil
}

// interviews opens the desk's store and its interviews service (the directory's index is not
// loaded: grid commands do not search).
func (c *common) interviews(stderr io.Writer) (*interviews.Service, *sqlite.DB, error) {
	dir, db, err := c.open(stderr)
	if err != nil {
		return nil, nil, err
	}
	return interviews.New(db, dir, interviews.Options{Logger: slog.Default()}), db, nil
}

// userError turns a domain error meant for a person into an exit error; other errors pass.
func userError(err error) error {
	if err == nil {
		return nil
	}
	switch domain.ErrorCode(err) {
	case domain.EINVALID, domain.ENOTFOUND, domain.ECONFLICT:
		return &exitError{code: exitNothing, err: fmt.Errorf("%s", domain.ErrorMessage(err))}
	}
	return err
}
