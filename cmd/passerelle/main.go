// Command passerelle is Passerelle's headless tool: import, search and export the directory of a
// desk without the window, for scripts and tests. It does not link the desktop toolkit.
//
// Exit status: 0 success; 1 import done but some records were rejected, or a sync that failed
// (its report says what moved before); 2 nothing done (bad arguments, unreadable input, nothing
// importable); 3 failure of the desk itself (storage).
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// Exit codes: the contract scripts rely on.
const (
	exitOK       = 0
	exitPartial  = 1
	exitNothing  = 2
	exitInternal = 3
)

// exitError carries an exit code up to main.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }

const usage = `passerelle — l’annuaire des initiatives collaboratives, en ligne de commande

Utilisation :
  passerelle import [--format auto|di-json|csv] [--json] FICHIER...
  passerelle search [--theme CODE]... [--category CODE]... [--public CODE]... [--free]
                    [--mode en-presentiel|a-distance] [--commune C] [--near C [--km N]]
                    [--eligible-for C] [--open-on JOUR] [--can-give] [--limit N] [--json] [TEXTE...]
  passerelle export --format di-json --out DOSSIER
  passerelle export --format csv --out FICHIER
  passerelle demo load [--json]
  passerelle demo generate --services N --out DOSSIER [--seed S]
  passerelle grid validate FICHIER | grid import FICHIER | grid list | grid default   [--json]
  passerelle referral pdf --service ID [--service ID]... [--note TEXTE] [--worker NOM]
                          [--edas NOM] [--phone TEL] [--out FICHIER]
  passerelle sheet pdf --service ID --out FICHIER
  passerelle enroll --server URL --code CODE [--name NOM] [--json]
  passerelle sync [--json]

Chaque commande accepte --data-dir DOSSIER (ou la variable PASSERELLE_DATA_DIR) et --verbose.
Une commune s’écrit par son nom, son code INSEE ou son code postal ; un jour en français ou en
anglais (samedi, saturday).
`

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		fmt.Fprint(stdout, usage)
		if len(args) == 0 {
			return exitNothing
		}
		return exitOK
	}
	var err error
	switch cmd, rest := args[0], args[1:]; cmd {
	case "import":
		err = cmdImport(ctx, rest, stdout, stderr)
	case "search":
		err = cmdSearch(ctx, rest, stdout, stderr)
	case "export":
		err = cmdExport(ctx, rest, stdout, stderr)
	case "demo":
		err = cmdDemo(ctx, rest, stdout, stderr)
	case "grid":
		err = cmdGrid(ctx, rest, stdout, stderr)
	case "referral":
		err = cmdReferral(ctx, rest, stdout, stderr)
	case "sheet":
		err = cmdSheet(ctx, rest, stdout, stderr)
	case "enroll":
		err = cmdEnroll(ctx, rest, stdout, stderr)
	case "sync":
		err = cmdSync(ctx, rest, stdout, stderr)
	default:
		err = usageErrorf("commande inconnue « %s »", cmd)
	}
	if err == nil {
		return exitOK
	}
	var ee *exitError
	if errors.As(err, &ee) {
		if ee.err != nil && ee.err.Error() != "" {
			fmt.Fprintln(stderr, "passerelle :", ee.err)
		}
		return ee.code
	}
	slog.Error("passerelle failed", "err", err)
	fmt.Fprintln(stderr, "passerelle : erreur interne :", err)
	return exitInternal
}

func usageErrorf(format string, args ...any) error {
	return &exitError{code: exitNothing, err: fmt.Errorf(format+"\n(passerelle help pour l’aide)", args...)}
}
