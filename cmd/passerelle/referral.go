package main

import (
	"context"
	"fmt"
	"io"
	"os"

	"github.com/edas92/passerelle/internal/referrals"
	"github.com/edas92/passerelle/internal/sheet"
	"github.com/edas92/passerelle/internal/sqlite"
)

// cmdReferralPDF: referral pdf --service ID [--service ID]... [--note TEXT] [--worker NAME]
// [--edas NAME] [--phone TEL] [--out FILE]. Prints a sheet without recording referrals.
func cmdReferral(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, c := newFlagSet("referral", stderr)
	var services listFlag
	fs.Var(&services, "service", "initiative (identifiant data·inclusion ou UUID), répétable")
	note := fs.String("note", "", "message à la personne")
	worker := fs.String("worker", "", "nom du travailleur social (sinon : paramètres du poste)")
	edas := fs.String("edas", "", "EDAS (sinon : paramètres du poste)")
	phone := fs.String("phone", "", "téléphone (sinon : paramètres du poste)")
	out := fs.String("out", "", "fichier PDF à écrire (sinon : sortie standard)")
	rest, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(rest) != 1 || rest[0] != "pdf" {
		return usageErrorf("referral : seule la sous-commande « referral pdf » existe")
	}
	if len(services) == 0 {
		return usageErrorf("referral pdf : indiquez au moins une initiative (--service ID)")
	}
	svc, db, err := c.referrals(stderr)
	if err != nil {
		return err
	}
	defer db.Close()
	b, err := svc.DirectPDF(ctx, referrals.DirectInput{Services: services, Message: *note,
		Worker: sheet.Worker{Name: *worker, EDAS: *edas, Phone: *phone}})
	if err != nil {
		return userError(err)
	}
	return writeOut(stdout, *out, b)
}

// cmdSheet: sheet pdf --service ID --out FILE. The « fiche initiative » of one service.
func cmdSheet(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, c := newFlagSet("sheet", stderr)
	service := fs.String("service", "", "initiative (identifiant data·inclusion ou UUID)")
	out := fs.String("out", "", "fichier PDF à écrire (sinon : sortie standard)")
	rest, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(rest) != 1 || rest[0] != "pdf" {
		return usageErrorf("sheet : seule la sous-commande « sheet pdf » existe")
	}
	if *service == "" {
		return usageErrorf("sheet pdf : indiquez l’initiative (--service ID)")
	}
	svc, db, err := c.referrals(stderr)
	if err != nil {
		return err
	}
	defer db.Close()
	b, err := svc.InitiativePDF(ctx, referrals.ServiceUUID(*service))
	if err != nil {
		return userError(err)
	}
	return writeOut(stdout, *out, b)
}

// referrals opens the desk's store and its referrals service.
func (c *common) referrals(stderr io.Writer) (*referrals.Service, *sqlite.DB, error) {
	_, db, err := c.open(stderr)
	if err != nil {
		return nil, nil, err
	}
	return referrals.New(referrals.Stores{Referrals: db, Directory: db, Interviews: db, Meta: db}, referrals.Options{}), db, nil
}

func writeOut(stdout io.Writer, path string, b []byte) error {
	if path == "" {
		_, err := stdout.Write(b)
		return err
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		return &exitError{code: exitNothing, err: fmt.Errorf("impossible d’écrire %s", path)}
	}
	fmt.Fprintln(stdout, path)
	return nil
}
