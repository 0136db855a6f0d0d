package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"

	"github.com/edas92/passerelle/internal/domain"
	"github.com/edas92/passerelle/internal/syncclient"
)

// openDeskSync opens the desk's store for the sync commands (it keeps the sync state in the same
// database as the data it syncs) and returns it with its closer.
func openDeskSync(c *common, stderr io.Writer) (domain.DeskSyncStore, func() error, error) {
	_, db, err := c.open(stderr)
	if err != nil {
		return nil, nil, err
	}
	return db, db.Close, nil
}

// cmdEnroll: enroll --server URL --code CODE [--name NAME] [--json].
func cmdEnroll(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, c := newFlagSet("enroll", stderr)
	server := fs.String("server", "", "adresse du serveur de synchronisation (https://…)")
	code := fs.String("code", "", "code d’inscription donné par l’administrateur")
	name := fs.String("name", "", "nom de ce poste sur le serveur (par défaut : le nom de l’ordinateur)")
	asJSON := fs.Bool("json", false, "sortie JSON")
	rest, err := parse(fs, args)
	if err != nil {
		return err
	}
	switch {
	case len(rest) > 0:
		return usageErrorf("enroll : argument inattendu « %s »", rest[0])
	case strings.TrimSpace(*server) == "":
		return usageErrorf("enroll : indiquez l’adresse du serveur (--server https://…)")
	case strings.TrimSpace(*code) == "":
		return usageErrorf("enroll : indiquez le code d’inscription (--code ABCD-EFGH-JKLM-NPQR)")
	}
	if _, err := syncclient.ParseServerURL(*server); err != nil {
		return &exitError{code: exitNothing, err: errors.New(domain.ErrorMessage(err))}
	}
	deviceName := *name
	if strings.TrimSpace(deviceName) == "" {
		deviceName, _ = os.Hostname()
	}
	store, closeStore, err := openDeskSync(c, stderr)
	if err != nil {
		return err
	}
	defer closeStore()
	workSite, err := store.WorkSite(ctx)
	if err != nil {
		return fmt.Errorf("enroll: %w", err)
	}
	enr, err := syncclient.Enroll(ctx, *server, *code, deviceName, syncclient.EnrollOptions{WorkSite: workSite})
	if err != nil {
		return &exitError{code: exitNothing, err: errors.New(domain.ErrorMessage(err))}
	}
	if err := store.Enrol(ctx, enr); err != nil {
		if domain.ErrorCode(err) == domain.ECONFLICT {
			return &exitError{code: exitNothing, err: errors.New(domain.ErrorMessage(err))}
		}
		return fmt.Errorf("enrol: %w", err)
	}
	slog.Info("desk enrolled", "server", enr.ServerURL, "device", enr.DeviceID, "site", enr.SiteID)
	return report(stdout, *asJSON, enr,
		"Poste inscrit auprès de %s pour « %s » (poste %s).\nLancez « passerelle sync » pour la première synchronisation.\n",
		enr.ServerURL, enr.SiteName, enr.DeviceID)
}

// cmdSync: sync [--json]. One sync now; exit 1 when it failed.
func cmdSync(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, c := newFlagSet("sync", stderr)
	asJSON := fs.Bool("json", false, "rapport en JSON")
	rest, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return usageErrorf("sync : argument inattendu « %s »", rest[0])
	}
	store, closeStore, err := openDeskSync(c, stderr)
	if err != nil {
		return err
	}
	defer closeStore()
	client := syncclient.New(store, syncclient.ClientOptions{Logger: slog.Default()})
	rep, err := client.Sync(ctx, syncProgressPrinter(stderr, *asJSON))
	if *asJSON {
		if werr := writeJSON(stdout, rep); werr != nil {
			return werr
		}
	} else {
		printSyncReport(stdout, rep)
	}
	if err == nil {
		return nil
	}
	if domain.ErrorCode(err) == domain.EINTERNAL {
		return fmt.Errorf("sync: %w", err) // the desk itself failed: exit 3
	}
	return &exitError{code: exitPartial, err: fmt.Errorf("synchronisation échouée : %s", domain.ErrorMessage(err))}
}

// printSyncReport says what moved and what failed.
func printSyncReport(w io.Writer, rep syncclient.Report) {
	fmt.Fprintf(w, "Envoyées : %d modification(s)", rep.Pushed)
	if len(rep.Rejected) > 0 {
		fmt.Fprintf(w, ", %d refusée(s) par le serveur", len(rep.Rejected))
	}
	fmt.Fprintf(w, ". En attente : %d.\n", rep.Pending)
	fmt.Fprintf(w, "Reçues : %d (annuaire %d, grilles %d, dossiers %d ; dont %d suppression(s)).\n",
		rep.Pulled, rep.Directory, rep.Grids, rep.Work, rep.Removed)
	if rep.Resynced {
		fmt.Fprintln(w, "Ce poste a rechargé toutes les données de son site (synchronisation complète).")
	}
	for _, r := range rep.Rejected {
		fmt.Fprintf(w, "  refusée : %s %s : %s\n", r.Kind, r.UUID, r.Reason)
	}
}

// syncProgressPrinter shows a sync's progress on a terminal.
func syncProgressPrinter(stderr io.Writer, quiet bool) func(syncclient.Progress) {
	show := progressPrinter(stderr, quiet)
	if show == nil {
		return nil
	}
	phases := map[string]string{syncclient.PhasePush: "envoi", syncclient.PhasePull: "réception"}
	return func(p syncclient.Progress) {
		show(domain.ImportProgress{Phase: phases[p.Phase], Done: int(p.Done), Total: int(p.Total)})
	}
}
