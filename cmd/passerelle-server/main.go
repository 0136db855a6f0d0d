// Command passerelle-server is Passerelle's central sync server (docs/server.md): `serve` answers
// the desks (docs/sync-protocol.md, docs/openapi.yaml) from one SQLite file in a data folder,
// and the administration commands (sites, enrolment codes, devices, the directory, grids,
// curators' suggestions) work on the same file, also while the server runs.
//
// Exit status, as for the desk's passerelle command: 0 success; 1 import done but some records
// were rejected; 2 nothing done (bad arguments, invalid data, unknown identifier, a
// configuration refused such as plain HTTP on a public address); 3 failure of the server itself
// (storage).
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"unicode/utf8"
)

func main() {
	// SIGTERM is what systemd and container runtimes send; SIGINT is Ctrl-C.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// Exit codes: the contract scripts rely on (the same as the desk's passerelle command).
const (
	exitOK       = 0
	exitPartial  = 1
	exitNothing  = 2
	exitInternal = 3
)

// exitError carries an exit code up to run, with the French message to print (none when err
// is nil or empty: the command already said everything).
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string {
	if e.err == nil {
		return fmt.Sprintf("exit %d", e.code)
	}
	return e.err.Error()
}

// usageErrorf is a usage mistake: exit 2, with a pointer to the help.
func usageErrorf(format string, args ...any) error {
	return &exitError{code: exitNothing, err: fmt.Errorf(format+"\n(passerelle-server help pour l’aide)", args...)}
}

// nothingErrorf is a refusal that is not a usage mistake: exit 2.
func nothingErrorf(format string, args ...any) error {
	return &exitError{code: exitNothing, err: fmt.Errorf(format, args...)}
}

// helpShown ends a command whose --help was printed: exit 0.
var helpShown = &exitError{code: exitOK}

// command is one command of the tool.
type command struct {
	path     string // words that name it: "site add"
	synopsis string // its arguments, after the path
	about    string // what it does, in French
	// creates is set for the commands that may create the server's database (serve, and those
	// that add something); the others refuse a data folder without one, so that a mistyped
	// --data-dir is not answered with an empty list.
	creates bool
	admin   bool // takes --json and --verbose
	run     func(ctx context.Context, x *env, args []string) error
}

// env is what a command runs with.
type env struct {
	cmd            *command
	stdout, stderr io.Writer
}

// commands is every command, in the order of the help.
var commands []*command

func init() {
	commands = []*command{
		{path: "serve", run: cmdServe, creates: true,
			synopsis: "[--addr HÔTE:PORT] [--tls-cert FICHIER --tls-key FICHIER] [--behind-proxy]\n" +
				"[--tombstone-days N] [--log-level debug|info|warn|error]",
			about: "Lance le serveur de synchronisation. Sans --tls-cert/--tls-key, il parle HTTP sans\n" +
				"chiffrement : ce n’est permis que sur l’adresse de bouclage (127.0.0.1, ::1, localhost),\n" +
				"ou avec --behind-proxy quand un proxy inverse chiffre les échanges (TLS) devant lui.\n" +
				"Prêt, il écrit une ligne sur la sortie standard :\n" +
				"  passerelle-server : à l’écoute sur http://127.0.0.1:8080\n" +
				"(l’adresse réelle : --addr 127.0.0.1:0 choisit un port libre). Le journal (JSON, une\n" +
				"ligne par requête, jamais un jeton ni un contenu) va sur la sortie d’erreur. SIGINT ou\n" +
				"SIGTERM l’arrêtent proprement : les requêtes en cours finissent, puis la base est fermée."},
		{path: "site add", run: cmdSiteAdd, creates: true, admin: true,
			synopsis: "--name NOM",
			about: "Crée un site (un EDAS) et affiche son identifiant. Les postes s’inscrivent ensuite\n" +
				"auprès d’un site avec un code à usage unique (passerelle-server enroll --site ID)."},
		{path: "site list", run: cmdSiteList, admin: true,
			about: "Liste les sites, par nom."},
		{path: "enroll", run: cmdEnroll, admin: true,
			synopsis: "--site ID",
			about: "Crée un code d’inscription pour un site : à usage unique, valable 24 heures. Le poste\n" +
				"le saisit (Paramètres, ou passerelle enroll --server URL --code CODE) et reçoit son\n" +
				"jeton. Le serveur ne garde que l’empreinte du code : notez-le, il ne sera plus affiché."},
		{path: "device list", run: cmdDeviceList, admin: true,
			about: "Liste les postes inscrits, retirés compris, dans l’ordre de leur inscription."},
		{path: "device revoke", run: cmdDeviceRevoke, admin: true,
			synopsis: "ID",
			about: "Retire un poste (perdu, volé, remplacé) : sa prochaine requête est refusée (401\n" +
				"« revoked ») et il arrête de se synchroniser. Pour le réinscrire, créez un nouveau code."},
		{path: "import", run: cmdImport, creates: true, admin: true,
			synopsis: "[--format auto|di-json|csv] FICHIER...",
			about: "Publie l’annuaire : des fichiers data·inclusion v1 (JSON) ou le CSV du département,\n" +
				"lus et vérifiés comme sur un poste (docs/import-formats.md). Les enregistrements valides\n" +
				"sont écrits en une transaction et descendent vers tous les postes ; chaque rejet est\n" +
				"listé avec son fichier, sa position et sa raison. Un fichier illisible n’apporte rien.\n" +
				"Un enregistrement absent du fichier n’est pas supprimé : passerelle-server directory\n" +
				"remove le fait."},
		{path: "directory remove", run: cmdDirectoryRemove, admin: true,
			synopsis: "ID...",
			about: "Retire de l’annuaire des structures ou des services, par leur identifiant data·inclusion\n" +
				"(source--id) : la suppression descend vers tous les postes. Une structure emporte ses\n" +
				"services. Tout ou rien : un identifiant inconnu, et rien n’est retiré. Un nouvel import\n" +
				"du même enregistrement le publie de nouveau."},
		{path: "grid publish", run: cmdGridPublish, creates: true, admin: true,
			synopsis: "FICHIER",
			about: "Vérifie une grille d’entretien (docs/grid-format.md) et la publie : tous les postes la\n" +
				"reçoivent. Une version publiée ne change plus : publiez la suite sous un nouveau numéro\n" +
				"de version. Publier de nouveau la même version, identique, ne change rien."},
		{path: "suggestion list", run: cmdSuggestionList, admin: true,
			synopsis: "[--status nouvelle|acceptee|refusee]",
			about: "Liste les suggestions envoyées par les postes (initiatives proposées, erreurs\n" +
				"signalées), les plus anciennes d’abord."},
		{path: "suggestion accept", run: cmdSuggestionAccept, admin: true,
			synopsis: "UUID",
			about: "Accepte une suggestion. Une proposition est publiée dans l’annuaire (elle descend vers\n" +
				"tous les postes) ; une correction est seulement marquée acceptée : corrigez la source\n" +
				"de l’annuaire, le prochain import apportera la correction."},
		{path: "suggestion reject", run: cmdSuggestionReject, admin: true,
			synopsis: "UUID",
			about:    "Refuse une suggestion : rien n’est publié."},
	}
}

// synopsisLine writes a command and its synopsis, the synopsis' later lines aligned under its
// first.
func synopsisLine(prefix, synopsis string) string {
	if synopsis == "" {
		return prefix + "\n"
	}
	indent := "\n" + strings.Repeat(" ", utf8.RuneCountInString(prefix)+1)
	return prefix + " " + strings.ReplaceAll(synopsis, "\n", indent) + "\n"
}

// usage is the tool's help.
func usage() string {
	var b strings.Builder
	b.WriteString("passerelle-server — le serveur central de synchronisation de Passerelle\n\nUtilisation :\n")
	for _, c := range commands {
		b.WriteString(synopsisLine("  passerelle-server "+c.path, c.synopsis))
	}
	fmt.Fprintf(&b, `
Chaque commande accepte --data-dir DOSSIER ; sans lui, la variable %s ;
sans elle, %s.
Les commandes d’administration acceptent --json (sortie JSON) et --verbose (journal détaillé),
et fonctionnent pendant que le serveur tourne, sur le même fichier.
passerelle-server COMMANDE --help détaille une commande.

Codes de sortie : 0 réussi ; 1 import fait, mais des enregistrements rejetés ; 2 rien n’a été
fait (arguments, données invalides, identifiant inconnu, configuration refusée) ; 3 panne du
serveur lui-même (stockage), détails sur la sortie d’erreur.
`, envDataDir, defaultDataDirText())
	return b.String()
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		if len(args) > 1 && args[0] == "help" { // help site add → site add --help
			return run(ctx, append(args[1:], "--help"), stdout, stderr)
		}
		fmt.Fprint(stdout, usage())
		if len(args) == 0 {
			return exitNothing
		}
		return exitOK
	}
	cmd, rest := find(args)
	var err error
	if cmd == nil {
		err = unknownCommand(args)
		if isHelp(args) {
			// « site --help »: the group's commands.
			fmt.Fprint(stdout, usage())
			err = nil
		}
	} else {
		err = cmd.run(ctx, &env{cmd: cmd, stdout: stdout, stderr: stderr}, rest)
	}
	if err == nil {
		return exitOK
	}
	var ee *exitError
	if errors.As(err, &ee) {
		if ee.err != nil && ee.err.Error() != "" {
			fmt.Fprintln(stderr, "passerelle-server :", ee.err)
		}
		return ee.code
	}
	fmt.Fprintln(stderr, "passerelle-server : erreur interne :", err)
	return exitInternal
}

// find returns the command named by the first words of args, and the arguments after them.
func find(args []string) (*command, []string) {
	var best *command
	n := 0
	for _, c := range commands {
		words := strings.Fields(c.path)
		if len(words) > len(args) || len(words) <= n {
			continue
		}
		match := true
		for i, w := range words {
			if args[i] != w {
				match = false
				break
			}
		}
		if match {
			best, n = c, len(words)
		}
	}
	if best == nil {
		return nil, nil
	}
	return best, args[n:]
}

func isHelp(args []string) bool {
	for _, a := range args {
		if a == "-h" || a == "--help" || a == "-help" {
			return true
		}
	}
	return false
}

// unknownCommand names what is missing: a whole command, or the subcommand of a group.
func unknownCommand(args []string) error {
	var subs []string
	for _, c := range commands {
		if group, sub, ok := strings.Cut(c.path, " "); ok && group == args[0] {
			subs = append(subs, sub)
		}
	}
	if len(subs) > 0 {
		if len(args) == 1 {
			return usageErrorf("%s : indiquez une sous-commande (%s)", args[0], strings.Join(subs, ", "))
		}
		return usageErrorf("%s : sous-commande inconnue « %s » (%s)", args[0], args[1], strings.Join(subs, ", "))
	}
	return usageErrorf("commande inconnue « %s »", args[0])
}
