// Package sheettest holds fictitious services, a worker and a fixed date for the tests of
// internal/sheet and internal/pdf, so that both read back the same sheets. Test use only.
package sheettest

import (
	"encoding/json"
	"strings"
	"time"

	"github.com/edas92/passerelle/internal/domain"
	"github.com/edas92/passerelle/internal/sheet"
)

// Date is the fixed clock of the tests: 23 November 2026, 10:30 in Paris.
var Date = time.Date(2026, 11, 23, 10, 30, 0, 0, time.FixedZone("CET", 3600))

// Worker is the social worker of the tests.
var Worker = sheet.Worker{Name: "Claire Martin", EDAS: "Issy-les-Moulineaux", Phone: "01 41 23 45 67"}

// Message is a worker's message with the French characters a sheet must keep.
const Message = "Bonjour, voici les adresses dont nous avons parlé. N’hésitez pas à m’appeler : " +
	"« ça ira mieux » — on en reparle à notre prochain rendez-vous…"

var p = domain.Ptr[string]

// Full is a service with every field the sheet prints, its structure and a need.
func Full() sheet.ServiceInfo {
	return sheet.ServiceInfo{
		Service: domain.Service{
			ID:          "passerelle-demo--epicerie-panier-du-coeur",
			Source:      "passerelle-demo",
			StructureID: "passerelle-demo--association-panier-du-coeur",
			Nom:         "Épicerie solidaire Le Panier du Cœur",
			Description: "Des produits frais, d’hygiène et d’épicerie à environ 20 % du prix habituel, " +
				"pour les foyers aux revenus modestes. On y vient faire ses courses, mais aussi prendre un " +
				"café et parler budget avec une bénévole. L’accès est ouvert pour six mois renouvelables.",
			DateMaj:                "2026-07-05",
			Frais:                  p("payant"),
			FraisPrecisions:        p("Environ 20 % du prix en magasin ; adhésion 2 € par an"),
			PublicsPrecisions:      p("Familles et personnes seules aux revenus modestes"),
			ConditionsAcces:        p("Réservé aux habitants d’Antony. Sur orientation d’un travailleur social."),
			Telephone:              p("01 99 00 01 02"),
			Courriel:               p("contact@panier-du-coeur.example.org"),
			ContactNomPrenom:       p("Martine Lefèvre"),
			ModesAccueil:           []string{"en-presentiel"},
			LienMobilisation:       p("https://panier-du-coeur.example.org/inscription"),
			ModesMobilisation:      []string{"se-presenter", "telephoner", "envoyer-un-courriel", "utiliser-lien-mobilisation"},
			MobilisablePar:         []string{"usagers", "professionnels"},
			MobilisationPrecisions: p("Le premier rendez-vous dure une demi-heure."),
			Adresse:                p("12 rue de l’Église"),
			ComplementAdresse:      p("Bâtiment B, rez-de-chaussée"),
			CodePostal:             p("92160"),
			CodeInsee:              p("92002"),
			Commune:                p("Antony"),
			HorairesAccueil:        p("Tu,Th 14:00-18:00; Sa[1] 10:00-12:00"),
			AccesTransport:         "RER B Antony, puis bus 196 arrêt Mairie d’Antony",
			Extra: map[string]json.RawMessage{
				"justificatifs": json.RawMessage(`["Pièce d’identité","Dernier avis d’imposition"]`),
			},
		},
		Structure: domain.Structure{
			ID:      "passerelle-demo--association-panier-du-coeur",
			Source:  "passerelle-demo",
			Nom:     "Association Le Panier du Cœur",
			DateMaj: "2026-07-05",
			SiteWeb: p("https://panier-du-coeur.example.org"),
		},
		Need: "Faire vos courses à petit prix",
	}
}

// Sparse is a service with little more than a name, a description and a commune.
func Sparse() sheet.ServiceInfo {
	return sheet.ServiceInfo{Service: domain.Service{
		ID:          "passerelle-demo--jardin-des-sablons",
		Source:      "passerelle-demo",
		Nom:         "Jardin partagé des Sablons",
		Description: "Un jardin où chacun cultive une parcelle et partage la récolte.",
		Commune:     p("Issy-les-Moulineaux"),
	}}
}

// Garden is a service whose address and hours come from its structure.
func Garden() sheet.ServiceInfo {
	return sheet.ServiceInfo{
		Service: domain.Service{
			ID:                "passerelle-demo--jardin-de-la-voie-verte",
			Source:            "passerelle-demo",
			Nom:               "Jardin de la Voie verte",
			Description:       "Des parcelles à cultiver ensemble, des ateliers de compost et un goûter le samedi.",
			DateMaj:           "2026-10-01",
			Frais:             p("gratuit"),
			ModesMobilisation: []string{"se-presenter"},
			AccesTransport:    "Tram T2, arrêt Les Moulineaux",
		},
		Structure: domain.Structure{
			ID:              "passerelle-demo--les-jardiniers-de-seine",
			Nom:             "Les Jardiniers de Seine",
			Telephone:       p("01 99 00 03 04"),
			HorairesAccueil: p("We,Sa 14:00-18:00"),
			Adresse:         p("4 allée des Tilleuls"),
			CodePostal:      p("92130"),
			Commune:         p("Issy-les-Moulineaux"),
		},
		Need: "Sortir de chez vous et rencontrer du monde",
	}
}

// RepairCafe is a service with opening hours the sentences cannot read (printed as written).
func RepairCafe() sheet.ServiceInfo {
	return sheet.ServiceInfo{Service: domain.Service{
		ID:                "passerelle-demo--repair-cafe-vanves",
		Source:            "passerelle-demo",
		Nom:               "Repair café de Vanves",
		Description:       "Des bénévoles vous aident à réparer vos objets : grille-pain, vélo, vêtements.",
		DateMaj:           "2023-03-15", // more than two years before Date: stale
		Frais:             p("gratuit"),
		Telephone:         p("01 99 00 05 06"),
		Adresse:           p("3 place de la République"),
		CodePostal:        p("92170"),
		Commune:           p("Vanves"),
		HorairesAccueil:   p("un samedi par mois, voir le site"),
		ModesMobilisation: []string{"se-presenter", "telephoner"},
	}}
}

// Accorderie is a service only professionals can mobilise.
func Accorderie() sheet.ServiceInfo {
	return sheet.ServiceInfo{
		Service: domain.Service{
			ID:                "passerelle-demo--accorderie-meudon",
			Source:            "passerelle-demo",
			Nom:               "Accorderie de Meudon",
			Description:       "Une heure de service rendu vaut une heure de service reçu : couture, bricolage, aide aux devoirs.",
			DateMaj:           "2026-09-12",
			Frais:             p("gratuit"),
			Courriel:          p("accueil@accorderie-meudon.example.org"),
			ModesAccueil:      []string{"en-presentiel", "a-distance"},
			ModesMobilisation: []string{"envoyer-un-courriel"},
			MobilisablePar:    []string{"professionnels"},
			Adresse:           p("27 rue des Galons"),
			CodePostal:        p("92190"),
			Commune:           p("Meudon"),
			HorairesAccueil:   p("Mo-Fr 09:00-12:00,14:00-17:00; PH off"),
		},
		Structure: domain.Structure{ID: "passerelle-demo--accorderie-meudon-structure", Nom: "Accorderie de Meudon",
			SiteWeb: p("www.accorderie-meudon.example.org")},
		Need: "Échanger des services avec vos voisins",
	}
}

// HealthWorkshop is a service answering a health need (sensitive: printed only with health).
func HealthWorkshop() sheet.ServiceInfo {
	return sheet.ServiceInfo{
		Service: domain.Service{
			ID:                "passerelle-demo--atelier-cuisine-sante",
			Source:            "passerelle-demo",
			Nom:               "Atelier cuisine et santé",
			Description:       "Un jeudi sur deux, on cuisine ensemble un repas équilibré, puis on le partage.",
			DateMaj:           "2026-05-20",
			Frais:             p("gratuit"),
			Telephone:         p("01 99 00 07 08"),
			Commune:           p("Antony"),
			CodePostal:        p("92160"),
			HorairesAccueil:   p("week 02-52/2 Th 10:00-13:30"),
			ModesMobilisation: []string{"telephoner"},
		},
		Need:          "Manger équilibré avec votre diabète",
		NeedSensitive: true,
	}
}

// RemoteHelp is a service offered only at a distance, with a website.
func RemoteHelp() sheet.ServiceInfo {
	return sheet.ServiceInfo{
		Service: domain.Service{
			ID:                "passerelle-demo--aide-numerique-a-distance",
			Source:            "passerelle-demo",
			Nom:               "Aide numérique par téléphone",
			Description:       "Un conseiller vous aide à faire vos démarches en ligne, pas à pas, par téléphone.",
			DateMaj:           "2026-11-02",
			Frais:             p("gratuit"),
			Telephone:         p("+33 (0)1 99 00 09 10"),
			ModesAccueil:      []string{"a-distance"},
			ModesMobilisation: []string{"telephoner"},
			HorairesAccueil:   p("Mo-Fr 09:00-17:00"),
		},
		Structure: domain.Structure{ID: "passerelle-demo--numerique-solidaire", Nom: "Numérique solidaire 92",
			SiteWeb: p("https://numerique-solidaire.example.org/aide")},
	}
}

// Five returns five different services, for sheets that flow onto several pages.
func Five() []sheet.ServiceInfo {
	return []sheet.ServiceInfo{Full(), Garden(), RepairCafe(), Accorderie(), RemoteHelp()}
}

// Hostile is a service made of what a careless import can bring: emoji, control characters,
// bidi marks, right-to-left and Chinese text, a 20,000-character description and a
// 300-character word without spaces.
func Hostile() sheet.ServiceInfo {
	s := Full()
	long := strings.Repeat("Un texte très long, répété sans fin pour voir les retours à la ligne. ", 300)
	s.Service.Nom = "Café 😀☕ des\x00 habitants\u202e\u200d \U0001F1EB\U0001F1F7 שלום مرحبا 你好"
	s.Service.Description = long[:20000]
	s.Service.ConditionsAcces = p(strings.Repeat("Anticonstitutionnellement", 12)) // 300 letters, no space
	s.Service.FraisPrecisions = p("tab\there, bell\a, escape\x1b[31m, line\u2028sep, nul\x00, invalid \xff\xfe utf-8")
	s.Service.AccesTransport = "Bus 🚌 ligne 323 \u05D0\u05D1 ← → ✓"
	s.Service.ContactNomPrenom = p("Zoë O’Brien-Łukasiewicz 𝔘𝔫𝔦𝔠𝔬𝔡𝔢")
	return s
}
