package domain

import (
	"reflect"
	"testing"
)

func TestImportReport_Lines(t *testing.T) {
	t.Parallel()
	rep := ImportReport{ImportCounts: ImportCounts{Imported: 3, Updated: 1, Unchanged: 2}, Rejected: []Rejection{
		{File: "guide.CSV", Position: 12, ID: "cd92--7", Reason: "code_insee inconnu"},
		{File: "services.json", Position: 0, Reason: "nom manquant"},
		{File: "structures.json", Position: -1, Reason: "JSON illisible"},
	}}
	want := []string{
		"3 nouveau(x), 1 mis à jour, 2 inchangé(s), 3 rejeté(s).",
		"  rejeté : guide.CSV, ligne 12 [cd92--7] : code_insee inconnu",
		"  rejeté : services.json, enregistrement n° 1 : nom manquant",
		"  rejeté : structures.json, fichier entier : JSON illisible",
	}
	if got := rep.Lines(); !reflect.DeepEqual(got, want) {
		t.Errorf("Lines() =\n%q\nwant\n%q", got, want)
	}
}
