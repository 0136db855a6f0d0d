package domain

import (
	"fmt"
	"strconv"
	"strings"
)

// Place says where a rejected record was, in French, as the screens and the command lines show
// it: « fichier entier », a CSV line number (« ligne 12 »), or the record's rank counted from 1
// (« enregistrement n° 3 »; Position keeps the 0-based index).
func (r Rejection) Place() string {
	switch {
	case r.Position < 0:
		return "fichier entier"
	case strings.HasSuffix(strings.ToLower(r.File), ".csv"):
		return "ligne " + strconv.Itoa(r.Position)
	}
	return "enregistrement n° " + strconv.Itoa(r.Position+1)
}

// Lines returns the report for a terminal, in French: the counts, then one line per rejected
// record with its file, place, identifier and reason.
func (rep ImportReport) Lines() []string {
	out := []string{fmt.Sprintf("%d nouveau(x), %d mis à jour, %d inchangé(s), %d rejeté(s).",
		rep.Imported, rep.Updated, rep.Unchanged, len(rep.Rejected))}
	for _, r := range rep.Rejected {
		id := ""
		if r.ID != "" {
			id = " [" + r.ID + "]"
		}
		out = append(out, fmt.Sprintf("  rejeté : %s, %s%s : %s", r.File, r.Place(), id, r.Reason))
	}
	return out
}
