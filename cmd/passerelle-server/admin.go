package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"text/tabwriter"
	"time"
	"unicode/utf8"

	"github.com/edas92/passerelle/internal/domain"
	"github.com/edas92/passerelle/internal/syncserver"
)

// frenchTime prints a time for people, in the server's local time.
func frenchTime(t time.Time) string { return t.Local().Format("02/01/2006 15:04") }

func cmdSiteAdd(ctx context.Context, x *env, args []string) error {
	fs, c := x.newFlagSet()
	name := fs.String("name", "", "`NOM` du site, unique (par exemple « EDAS de Nanterre »)")
	rest, err := x.parse(fs, args)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return usageErrorf("site add : argument inattendu « %s » (un nom de plusieurs mots s’écrit entre guillemets : --name \"EDAS de Nanterre\")", rest[0])
	}
	if strings.TrimSpace(*name) == "" {
		return usageErrorf("site add : indiquez --name NOM")
	}
	srv, db, err := x.admin(c)
	if err != nil {
		return err
	}
	defer db.Close()
	site, err := srv.AddSite(ctx, *name)
	if err != nil {
		return userError(err)
	}
	if c.asJSON {
		return writeJSON(x.stdout, site)
	}
	fmt.Fprintf(x.stdout, "Site « %s » créé : %s\nCode d’inscription d’un poste : passerelle-server enroll --site %s\n", site.Name, site.ID, site.ID)
	return nil
}

func cmdSiteList(ctx context.Context, x *env, args []string) error {
	fs, c := x.newFlagSet()
	rest, err := x.parse(fs, args)
	if err != nil {
		return err
	}
	if err := x.noArgs(rest); err != nil {
		return err
	}
	srv, db, err := x.admin(c)
	if err != nil {
		return err
	}
	defer db.Close()
	sites, err := srv.Sites(ctx)
	if err != nil {
		return err
	}
	if c.asJSON {
		return writeJSON(x.stdout, sites)
	}
	if len(sites) == 0 {
		fmt.Fprintln(x.stdout, "Aucun site : créez-en un avec passerelle-server site add --name NOM.")
		return nil
	}
	tw := tabwriter.NewWriter(x.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tNOM\tCRÉÉ LE")
	for _, s := range sites {
		fmt.Fprintf(tw, "%s\t%s\t%s\n", s.ID, s.Name, frenchTime(s.CreatedAt))
	}
	return tw.Flush()
}

// enrolment is the output of enroll --json.
type enrolment struct {
	SiteID    string    `json:"site_id"`
	SiteName  string    `json:"site_name"`
	Code      string    `json:"code"`
	ExpiresAt time.Time `json:"expires_at"`
}

func cmdEnroll(ctx context.Context, x *env, args []string) error {
	fs, c := x.newFlagSet()
	siteID := fs.String("site", "", "`ID` du site (passerelle-server site list)")
	rest, err := x.parse(fs, args)
	if err != nil {
		return err
	}
	if err := x.noArgs(rest); err != nil {
		return err
	}
	if *siteID == "" {
		return usageErrorf("enroll : indiquez --site ID (passerelle-server site list)")
	}
	srv, db, err := x.admin(c)
	if err != nil {
		return err
	}
	defer db.Close()
	code, expires, err := srv.NewEnrolment(ctx, *siteID)
	if err != nil {
		return userError(err)
	}
	names, err := siteNames(ctx, srv)
	if err != nil {
		return err
	}
	out := enrolment{SiteID: *siteID, SiteName: names[*siteID], Code: code, ExpiresAt: expires.UTC()}
	if c.asJSON {
		return writeJSON(x.stdout, out)
	}
	fmt.Fprintf(x.stdout, "Code d’inscription pour « %s » : %s\nÀ usage unique, valable jusqu’au %s. Il ne sera plus affiché.\n",
		out.SiteName, out.Code, frenchTime(expires))
	return nil
}

func siteNames(ctx context.Context, srv *syncserver.Server) (map[string]string, error) {
	sites, err := srv.Sites(ctx)
	if err != nil {
		return nil, err
	}
	names := make(map[string]string, len(sites))
	for _, s := range sites {
		names[s.ID] = s.Name
	}
	return names, nil
}

func cmdDeviceList(ctx context.Context, x *env, args []string) error {
	fs, c := x.newFlagSet()
	rest, err := x.parse(fs, args)
	if err != nil {
		return err
	}
	if err := x.noArgs(rest); err != nil {
		return err
	}
	srv, db, err := x.admin(c)
	if err != nil {
		return err
	}
	defer db.Close()
	devs, err := srv.Devices(ctx)
	if err != nil {
		return err
	}
	if c.asJSON {
		return writeJSON(x.stdout, devs)
	}
	if len(devs) == 0 {
		fmt.Fprintln(x.stdout, "Aucun poste inscrit : créez un code avec passerelle-server enroll --site ID.")
		return nil
	}
	names, err := siteNames(ctx, srv)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(x.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tPOSTE\tSITE\tINSCRIT LE\tVU LE\tÉTAT")
	for _, d := range devs {
		seen, state := "jamais", "actif"
		if d.LastSeenAt != nil {
			seen = frenchTime(*d.LastSeenAt)
		}
		if d.RevokedAt != nil {
			state = "retiré le " + frenchTime(*d.RevokedAt)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", d.ID, d.Name, names[d.SiteID], frenchTime(d.CreatedAt), seen, state)
	}
	return tw.Flush()
}

func cmdDeviceRevoke(ctx context.Context, x *env, args []string) error {
	fs, c := x.newFlagSet()
	rest, err := x.parse(fs, args)
	if err != nil {
		return err
	}
	if len(rest) != 1 {
		return usageErrorf("device revoke : indiquez l’identifiant d’un poste (passerelle-server device list)")
	}
	srv, db, err := x.admin(c)
	if err != nil {
		return err
	}
	defer db.Close()
	dev, err := srv.Revoke(ctx, rest[0])
	if err != nil {
		return userError(err)
	}
	if c.asJSON {
		return writeJSON(x.stdout, dev)
	}
	fmt.Fprintf(x.stdout, "Poste « %s » (%s) retiré le %s : sa prochaine requête sera refusée.\n", dev.Name, dev.ID, frenchTime(*dev.RevokedAt))
	return nil
}

func cmdSuggestionList(ctx context.Context, x *env, args []string) error {
	fs, c := x.newFlagSet()
	status := fs.String("status", "", "`ÉTAT` : nouvelle, acceptee ou refusee (toutes par défaut)")
	rest, err := x.parse(fs, args)
	if err != nil {
		return err
	}
	if err := x.noArgs(rest); err != nil {
		return err
	}
	switch *status {
	case "", syncserver.SuggestionNew, syncserver.SuggestionAccepted, syncserver.SuggestionRejected:
	default:
		return usageErrorf("suggestion list : état inconnu « %s » (nouvelle, acceptee ou refusee)", *status)
	}
	srv, db, err := x.admin(c)
	if err != nil {
		return err
	}
	defer db.Close()
	sgs, err := srv.Suggestions(ctx, *status)
	if err != nil {
		return userError(err)
	}
	if c.asJSON {
		return writeJSON(x.stdout, sgs)
	}
	if len(sgs) == 0 {
		fmt.Fprintln(x.stdout, "Aucune suggestion.")
		return nil
	}
	names, err := siteNames(ctx, srv)
	if err != nil {
		return err
	}
	for i, sg := range sgs {
		if i > 0 {
			fmt.Fprintln(x.stdout)
		}
		fmt.Fprintf(x.stdout, "%s — %s, %s, reçue le %s de « %s »\n", sg.UUID, sg.Type, statusWord(sg.Status), frenchTime(sg.CreatedAt), names[sg.SiteID])
		if sg.Message != "" {
			fmt.Fprintf(x.stdout, "  Message : %s\n", oneLine(sg.Message, 300))
		}
		fmt.Fprintf(x.stdout, "  Service : %s\n", compactJSON(sg.Service, 300))
	}
	return nil
}

func statusWord(s string) string {
	switch s {
	case syncserver.SuggestionAccepted:
		return "acceptée"
	case syncserver.SuggestionRejected:
		return "refusée"
	}
	return s
}

// oneLine flattens a text to one line of at most n characters.
func oneLine(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) > n {
		s = string([]rune(s)[:n]) + "…"
	}
	return s
}

func compactJSON(raw json.RawMessage, n int) string {
	var buf bytes.Buffer
	if err := json.Compact(&buf, raw); err != nil {
		return oneLine(string(raw), n)
	}
	return oneLine(buf.String(), n)
}

// accepted is the output of suggestion accept --json.
type accepted struct {
	Suggestion domain.CuratorSuggestion `json:"suggestion"`
	domain.ImportCounts
}

func cmdSuggestionAccept(ctx context.Context, x *env, args []string) error {
	fs, c := x.newFlagSet()
	rest, err := x.parse(fs, args)
	if err != nil {
		return err
	}
	if len(rest) != 1 {
		return usageErrorf("suggestion accept : indiquez l’UUID d’une suggestion (passerelle-server suggestion list)")
	}
	srv, db, err := x.admin(c)
	if err != nil {
		return err
	}
	defer db.Close()
	sg, counts, err := srv.Accept(ctx, rest[0])
	if err != nil {
		return userError(err)
	}
	if c.asJSON {
		return writeJSON(x.stdout, accepted{Suggestion: sg, ImportCounts: counts})
	}
	if sg.Type == syncserver.SuggestionProposition {
		fmt.Fprintf(x.stdout, "Suggestion %s acceptée et publiée : %d nouveau(x), %d mis à jour, %d inchangé(s).\n",
			sg.UUID, counts.Imported, counts.Updated, counts.Unchanged)
		return nil
	}
	fmt.Fprintf(x.stdout, "Correction %s acceptée : corrigez la source de l’annuaire, le prochain import l’apportera aux postes.\n", sg.UUID)
	return nil
}

func cmdSuggestionReject(ctx context.Context, x *env, args []string) error {
	fs, c := x.newFlagSet()
	rest, err := x.parse(fs, args)
	if err != nil {
		return err
	}
	if len(rest) != 1 {
		return usageErrorf("suggestion reject : indiquez l’UUID d’une suggestion (passerelle-server suggestion list)")
	}
	srv, db, err := x.admin(c)
	if err != nil {
		return err
	}
	defer db.Close()
	sg, err := srv.Reject(ctx, rest[0])
	if err != nil {
		return userError(err)
	}
	if c.asJSON {
		return writeJSON(x.stdout, sg)
	}
	fmt.Fprintf(x.stdout, "Suggestion %s refusée : rien n’a été publié.\n", sg.UUID)
	return nil
}
