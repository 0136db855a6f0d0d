package openinghours

import (
	"errors"
	"strings"
	"testing"

	"github.com/edas92/passerelle/internal/domain"
)

func TestParse_errors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, hours, want string
	}{
		{"empty", "", "aucun horaire indiqué"},
		{"blank", " \t ", "aucun horaire indiqué"},
		{"separators only", " ; ;", "aucun horaire indiqué"},
		{"French day", "Lu-Ve 9h-12h", "jour inconnu « Lu » à la position 1"},
		{"French day in a range", "Mo-Ve 09:00-12:00", "jour inconnu « Ve » à la position 4"},
		{"French day name", "Lundi 09:00-12:00", "jour inconnu « Lundi » à la position 1"},
		{"hour with h", "Mo-Fr 9h-12h", "heure illisible « 9h » à la position 7 (format attendu : 09:00)"},
		{"hour out of range", "Mo-Fr 25:00-26:00", "heure illisible « 25:00 » à la position 7 (format attendu : 09:00)"},
		{"minutes out of range", "Mo 09:60-10:00", "heure illisible « 09:60 » à la position 4 (format attendu : 09:00)"},
		{"no closing time", "Mo-Fr 09:00", "plage horaire incomplète « 09:00 » à la position 7 (format attendu : 09:00-12:00)"},
		{"cut short", "Mo-Fr 09:00-", "horaires incomplets : la fin manque après la position 12"},
		{"cut short in a range", "Mo-", "horaires incomplets : la fin manque après la position 3"},
		{"sunrise", "sunrise-sunset", "heure variable « sunrise » non prise en charge à la position 1"},
		{"sunset", "Mo-Fr 08:00-sunset", "heure variable « sunset » non prise en charge à la position 13"},
		{"variable time expression", "Mo 08:00-(sunset-01:00)", "heure variable « ( » non prise en charge à la position 10"},
		{"precise date", "Dec 25 off", "date précise « Dec 25 » non prise en charge à la position 1"},
		{"date range", "Jan 01-Mar 15 Mo 10:00-12:00", "date précise « Jan 01 » non prise en charge à la position 1"},
		{"year", "2024 Mo-Fr 10:00-12:00", "année « 2024 » non prise en charge à la position 1"},
		{"easter", "easter off", "date variable « easter » non prise en charge à la position 1"},
		{"holiday offset", "PH +1 day off", "décalage de jours « PH +1 day » non pris en charge à la position 1"},
		{"nth offset", "Sa[1] -2 days 10:00-12:00", "décalage de jours « Sa[1] -2 days » non pris en charge à la position 1"},
		{"repeated time", "Mo-Fr 10:00-16:00/01:00", "horaire répété « 10:00-16:00/01:00 » non pris en charge à la position 7"},
		{"rank out of range", "Mo[6] 10:00-12:00", "rang dans le mois illisible « [6] » à la position 4 (de 1 à 5, ou -1 pour le dernier)"},
		{"rank unclosed", "Mo[1 10:00-12:00", "rang dans le mois illisible « [1 10:00-12:00 » à la position 3 (de 1 à 5, ou -1 pour le dernier)"},
		{"week out of range", "week 54 Mo 10:00-12:00", "numéro de semaine illisible « 54 » à la position 6 (de 1 à 53)"},
		{"backwards weeks", "week 20-10 Mo 10:00-12:00", "numéro de semaine illisible « 10 » à la position 9 (de 1 à 53)"},
		{"unclosed comment", `Mo 10:00-12:00 "sur rendez-vous`, "commentaire sans guillemet fermant à la position 16"},
		{"missing rule separator", "Mo 10:00-12:00 Sa 10:00-12:00", "« Sa » inattendu à la position 16"},
		{"two states", "Mo off closed", "« closed » inattendu à la position 8"},
		{"French word", "Mo-Fr 09:00-12:00 et 14:00-17:00", "mot inconnu « et » à la position 19"},
		{"accented word", "Mo-Fr 09:00-12:00; Fermé", "mot inconnu « Fermé » à la position 20"},
		{"French month", "juillet off", "mois inconnu « juillet » à la position 1"},
		{"position counts characters, not bytes", `"été" Lu`, "jour inconnu « Lu » à la position 7"},
		{"symbol", "Mo-Fr 10:00-12:00 !", "texte inattendu « ! » à la position 19"},
		{"lone pipe", "Mo 10:00-12:00 | Tu 10:00-12:00", "texte inattendu « | » à la position 16"},
		{"nth on a range", "Mo-Fr[1] 10:00-12:00", "texte inattendu « [ » à la position 6"},
		{"too many spans", "Mo 01:00-02:00,03:00-04:00,05:00-06:00,07:00-08:00,09:00-10:00,11:00-12:00,13:00-14:00,15:00-16:00,17:00-18:00",
			"trop de plages horaires dans une règle (plus de 8) à la position 100"},
		{"too many rules", strings.Repeat("Mo 10:00-11:00; ", maxRules+1), "trop de règles (plus de 100)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s, err := Parse(tt.hours)
			if err == nil {
				t.Fatalf("Parse(%q) = %+v, want an error", tt.hours, s)
			}
			var de *domain.Error
			if !errors.As(err, &de) || de.Code != domain.EINVALID {
				t.Fatalf("Parse(%q): error %#v, want a *domain.Error with code %q", tt.hours, err, domain.EINVALID)
			}
			if de.Message != tt.want {
				t.Errorf("Parse(%q) message\n got: %s\nwant: %s", tt.hours, de.Message, tt.want)
			}
		})
	}
}

func TestParse_accepts(t *testing.T) {
	t.Parallel()
	for _, hours := range []string{
		"Mo-Fr 08:30-12:30; PH off", // the data·inclusion schema's example
		"Mo-Fr 09:00-12:00,14:00-17:30",
		"Mo,Tu,Th 09:00-12:00",
		"Sa-Mo 10:00-12:00",
		"Sa[1] 10:00-12:00", "Su[-1] 10:00-12:00", "Th[1,3] 14:00-16:00", "Fr[2-3] 09:00-11:00", "Sa[1],Su[-2] 10:00-12:00",
		"Mo-Fr 18:00+", "Mo 10:00-12:00+", "Fr 22:00-02:00", "Mo-Su 00:00-24:00", "24/7", "24/7; PH off",
		"off", "closed", "Mo unknown", "Mo open", `Mo 14:00-17:00 "sur rendez-vous"`, `Mo off "travaux"`, `"sur rendez-vous"`,
		`Mo "sur rendez-vous" unknown`,
		"PH off", "PH 10:00-12:00", "SH off", "PH,SH off", "SH Mo-Fr 10:00-12:00", "PH,Sa 10:00-12:00", "Mo-Fr,PH 10:00-12:00",
		"Jan-Jun Mo 10:00-12:00", "Jul-Aug off", "Sep-Jun Mo-Fr 09:00-12:00", "Oct-Mar Mo 10:00-12:00", "Jan,Mar-May Mo 10:00-12:00",
		"Jan-Jun: Mo-Fr 09:00-12:00", "Mo-Fr: 09:00-12:00",
		"week 01-53/2 Mo 10:00-12:00", "week 1,3-5 We 10:00-12:00", "Jul-Aug week 27-35 Mo 10:00-12:00",
		"Mo-Fr 08:00-12:00, We 14:00-18:00", "Mo-Fr 09:00-12:00 || \"sur rendez-vous\"",
		"mo-fr 09:00-12:00", "MO-FR 09:00-12:00 OFF", "Mo - Fr  09:00 - 12:00 ;  Sa 10:00-12:00 ;",
		"Mo–Fr 09:00–12:00", "Mo-Fr\u00a009:00-12:00", "Mo-Fr 9:00-12:00", "Mo-Fr 09:00-12:00 14:00-17:00",
		"Mo-Fr 10:00-12:00,",
	} {
		t.Run(hours, func(t *testing.T) {
			t.Parallel()
			if _, err := Parse(hours); err != nil {
				t.Errorf("Parse(%q): %v", hours, err)
			}
		})
	}
}
