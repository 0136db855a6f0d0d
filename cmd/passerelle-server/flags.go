package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"

	"github.com/edas92/passerelle/internal/domain"
	"github.com/edas92/passerelle/internal/sqlite"
	"github.com/edas92/passerelle/internal/syncserver"
)

// envDataDir is the environment variable that names the data folder when --data-dir does not.
const envDataDir = "PASSERELLE_SERVER_DATA_DIR"

// databaseFile is the server's SQLite file in the data folder (with its -wal and -shm files).
const databaseFile = "passerelle-server.db"

// common holds the flags every command takes.
type common struct {
	dataDir string
	asJSON  bool
	verbose bool
}

// newFlagSet returns the flag set of x's command with the common flags.
func (x *env) newFlagSet() (*flag.FlagSet, *common) {
	fs := flag.NewFlagSet(x.cmd.path, flag.ContinueOnError)
	fs.SetOutput(io.Discard) // errors are printed once, in French, by run
	c := &common{}
	fs.StringVar(&c.dataDir, "data-dir", "", "`DOSSIER` des données du serveur (sinon "+envDataDir+", sinon "+defaultDataDirText()+")")
	if x.cmd.admin {
		fs.BoolVar(&c.asJSON, "json", false, "sortie JSON")
		fs.BoolVar(&c.verbose, "verbose", false, "journal détaillé sur la sortie d’erreur")
	}
	return fs, c
}

// commonFlags are printed last in a command's help.
var commonFlags = map[string]bool{"data-dir": true, "json": true, "verbose": true}

// parse reads flags placed anywhere among the positional arguments ("device revoke ID --json").
// --help prints the command's help on stdout and ends it (exit 0).
func (x *env) parse(fs *flag.FlagSet, args []string) ([]string, error) {
	var positional []string
	for {
		if err := fs.Parse(args); errors.Is(err, flag.ErrHelp) {
			x.printHelp(fs)
			return nil, helpShown
		} else if err != nil {
			return nil, usageErrorf("%s : %s", x.cmd.path, frenchFlagError(err))
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

// printHelp writes a command's help: synopsis, what it does, its options in French.
func (x *env) printHelp(fs *flag.FlagSet) {
	w := x.stdout
	fmt.Fprintf(w, "%s\n%s\n\nOptions :\n", synopsisLine("passerelle-server "+x.cmd.path, x.cmd.synopsis), x.cmd.about)
	var own, shared []*flag.Flag
	fs.VisitAll(func(f *flag.Flag) {
		if commonFlags[f.Name] {
			shared = append(shared, f)
		} else {
			own = append(own, f)
		}
	})
	sort.SliceStable(shared, func(i, j int) bool { return shared[i].Name == "data-dir" && shared[j].Name != "data-dir" })
	for _, f := range append(own, shared...) {
		name, text := flag.UnquoteUsage(f)
		left := "--" + f.Name
		if _, isBool := f.Value.(interface{ IsBoolFlag() bool }); !isBool && name != "" {
			left += " " + name
		}
		if f.DefValue != "" && f.DefValue != "false" && f.DefValue != "0" {
			text += " (par défaut " + f.DefValue + ")"
		}
		fmt.Fprintf(w, "  %-28s %s\n", left, text)
	}
}

func frenchFlagError(err error) string {
	msg := err.Error()
	switch {
	case strings.HasPrefix(msg, "flag provided but not defined: "):
		return "option inconnue " + strings.TrimPrefix(msg, "flag provided but not defined: ")
	case strings.HasPrefix(msg, "flag needs an argument: "):
		return "l’option " + strings.TrimPrefix(msg, "flag needs an argument: ") + " attend une valeur"
	case strings.HasPrefix(msg, "invalid value "), strings.HasPrefix(msg, "invalid boolean value "):
		return "valeur invalide : " + strings.TrimPrefix(strings.TrimPrefix(msg, "invalid boolean value "), "invalid value ")
	}
	return msg
}

// noArgs refuses positional arguments a command does not take.
func (x *env) noArgs(rest []string) error {
	if len(rest) > 0 {
		return usageErrorf("%s : argument inattendu « %s »", x.cmd.path, rest[0])
	}
	return nil
}

// defaultDataDir is the data folder when neither --data-dir nor the environment names one: a
// folder of the user's own, where a server run by hand keeps its data. A service names its
// folder (/var/lib/passerelle-server, see docs/server.md).
func defaultDataDir() (string, error) {
	const name = "passerelle-server"
	switch runtime.GOOS {
	case "windows":
		if d := os.Getenv("LocalAppData"); d != "" {
			return filepath.Join(d, name), nil
		}
	case "darwin", "ios":
		d, err := os.UserConfigDir() // ~/Library/Application Support
		if err != nil {
			return "", err
		}
		return filepath.Join(d, name), nil
	default: // XDG: data that is not configuration
		if d := os.Getenv("XDG_DATA_HOME"); filepath.IsAbs(d) {
			return filepath.Join(d, name), nil
		}
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", err
	}
	if runtime.GOOS == "windows" {
		return filepath.Join(home, "AppData", "Local", name), nil
	}
	return filepath.Join(home, ".local", "share", name), nil
}

// defaultDataDirText is the default folder for the help.
func defaultDataDirText() string {
	d, err := defaultDataDir()
	if err != nil {
		return "aucun dossier par défaut (pas de dossier personnel)"
	}
	return d
}

// dataDir resolves the data folder: the flag, the environment, the default.
func (c *common) dir() (string, error) {
	d := c.dataDir
	if d == "" {
		d = os.Getenv(envDataDir)
	}
	if d == "" {
		var err error
		if d, err = defaultDataDir(); err != nil {
			return "", nothingErrorf("aucun dossier des données : indiquez --data-dir DOSSIER ou la variable %s", envDataDir)
		}
	}
	abs, err := filepath.Abs(d)
	if err != nil {
		return "", nothingErrorf("dossier des données inutilisable « %s » : %v", d, err)
	}
	return abs, nil
}

// logger returns the log of an administration command: errors only, everything with --verbose.
func (c *common) logger(stderr io.Writer) *slog.Logger {
	level := slog.LevelError
	if c.verbose {
		level = slog.LevelDebug
	}
	return slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level}))
}

// openStore opens the server's database in the data folder. A command that does not create
// the database refuses a folder without one (exit 2).
func (x *env) openStore(c *common) (*sqlite.ServerDB, string, error) {
	dir, err := c.dir()
	if err != nil {
		return nil, "", err
	}
	path := filepath.Join(dir, databaseFile)
	if !x.cmd.creates {
		if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
			return nil, "", nothingErrorf("aucune base du serveur dans %s : vérifiez --data-dir (ou %s), ou créez d’abord un site (passerelle-server site add)", dir, envDataDir)
		}
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, "", nothingErrorf("impossible de créer le dossier des données %s : %v", dir, err)
	}
	db, err := sqlite.OpenServer(path, sqlite.ServerOptions{})
	if err != nil {
		return nil, "", fmt.Errorf("base du serveur %s : %w", path, err)
	}
	return db, dir, nil
}

// admin opens the store and the server's use cases for an administration command. The caller
// closes the store.
func (x *env) admin(c *common) (*syncserver.Server, *sqlite.ServerDB, error) {
	db, _, err := x.openStore(c)
	if err != nil {
		return nil, nil, err
	}
	return syncserver.New(db, syncserver.Options{Logger: c.logger(x.stderr)}), db, nil
}

// userError turns a domain error meant for a person into an exit error (2, its French
// message); other errors pass, and end as internal failures (3).
func userError(err error) error {
	if err == nil {
		return nil
	}
	switch domain.ErrorCode(err) {
	case domain.EINVALID, domain.ENOTFOUND, domain.ECONFLICT, domain.EFORBIDDEN:
		return nothingErrorf("%s", domain.ErrorMessage(err))
	}
	return err
}

// writeJSON prints v as indented JSON.
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}
