package demo

import "strings"

// Word lists of the benchmark generator. Names and descriptions are assembled from them so that
// a large generated directory has the term variety of real data: a few very common words
// (épicerie, jardin, solidaire), many rarer ones (plants, objects, people and place names), and
// accented and ligature spellings (cœur, œuvre, Lætitia) that search must fold.

// heads are the beginnings of service names, by local category code.
var heads = map[string][]string{
	"tiers-lieu":         {"Tiers-lieu", "Café-atelier", "Fabrique", "Espace partagé", "Maison des projets", "Coworking solidaire", "Tiers-lieu nourricier", "Friche culturelle"},
	"epicerie-solidaire": {"Épicerie solidaire", "Épicerie sociale", "Épicerie participative", "Comptoir solidaire", "Boutique alimentaire solidaire", "Épicerie itinérante"},
	"jardin-partage":     {"Jardin partagé", "Potager collectif", "Jardin solidaire", "Jardin de quartier", "Jardin pédagogique", "Verger partagé", "Jardin nourricier"},
	"echange-services":   {"Accorderie", "SEL", "Banque de temps", "Réseau d’échanges de savoirs", "Bourse d’échanges", "Troc de services"},
	"repair-cafe":        {"Repair café", "Atelier de réparation", "Atelier vélo", "Atelier couture et retouches", "Répar’tout", "Atelier bricolage partagé"},
	"ressourcerie":       {"Ressourcerie", "Recyclerie", "Vestiaire solidaire", "Boutique de seconde main", "Donnerie", "Bric-à-brac solidaire"},
	"cafe-social":        {"Café social", "Café solidaire", "Café des aidants", "Café des parents", "Café-rencontre", "Café des habitants", "Café des femmes", "Café-tricot"},
	"frigo-solidaire":    {"Frigo solidaire", "Frigo partagé", "Garde-manger solidaire", "Armoire anti-gaspi"},
	"panier-solidaire":   {"AMAP", "Panier solidaire", "Paniers de saison", "Paniers paysans", "Marché solidaire", "Légumerie solidaire"},
	"lieu-numerique":     {"Point numérique", "Espace public numérique", "Permanence numérique", "Atelier informatique", "Cyber-espace", "Aidants numériques"},
	"benevolat":          {"Bénévolat", "Mission bénévole", "Réseau de bénévoles", "Coup de main solidaire", "Visites de convivialité", "Chantier bénévole"},
}

// structureKinds begin structure names.
var structureKinds = []string{
	"Association", "Association", "Association", "Collectif", "Centre social", "Maison de quartier",
	"Coopérative", "Amicale", "Comité de quartier", "Fondation", "Réseau", "Union locale",
}

// cores are the proper parts of names (« Le Panier du Cœur », « La Ruche des Voisins »).
var cores = []string{
	"Le Panier", "La Ruche", "L’Escale", "Les Colibris", "Le Relais", "La Boussole", "Le Grenier",
	"La Passerelle", "Le Fil d’Ariane", "La Source", "Le Tournesol", "La Main tendue", "Le Pont",
	"L’Étincelle", "La Clé", "Le Comptoir", "La Cabane", "Le Trait d’union", "L’Arbre à palabres",
	"La Fourmilière", "Le Bocal", "La Marmite", "Le Chaudron", "La Fabrique", "L’Atelier", "Le Moulin",
	"La Grange", "Le Jardin d’Éden", "Les Quatre Saisons", "Le Petit Prince", "La Belle Étoile",
	"Le Phare", "L’Oasis", "La Halte", "Le Refuge", "La Bulle", "Le Cocon", "La Ribambelle",
	"Le Carrousel", "La Farandole", "Le Chêne", "L’Olivier", "La Luciole", "Le Cerf-Volant",
	"La Bergerie", "Le Bercail", "La Maison bleue", "Le Nid", "L’Envol", "La Renaissance",
	"Le Rebond", "L’Élan", "La Traversée", "Le Chemin", "La Caravelle", "L’Horizon", "Le Rivage",
	"La Vague", "Le Sillon", "La Graine", "Le Terreau", "La Récolte", "Le Potager", "La Gerbe",
	"Le Levain", "La Miche", "Le Fournil", "La Tartine", "Le Bol d’air", "La Pause", "Le Répit",
	"L’Entracte", "La Parenthèse", "Le Tremplin", "La Marelle", "Le Cerisier", "L’Amandier",
	"La Glycine", "Le Lilas", "La Capucine", "Le Coquelicot", "La Pâquerette", "Le Myosotis",
	"L’Œillet", "La Mésange", "Le Rouge-Gorge", "L’Hirondelle", "Le Martin-Pêcheur", "La Chouette",
	"Le Hérisson", "L’Écureuil", "La Tortue", "Le Castor", "L’Abeille", "La Coccinelle",
	"Le Chœur des voisins", "L’Œuvre commune", "Les Sœurs de cœur", "Le Nœud papillon",
	"Le Vœu", "La Manœuvre", "Le Bœuf sur le toit", "Les Mille-Pattes", "La Clef des champs",
	"Le Bon Grain", "La Bonne Pioche", "Le Coup de pouce", "La Corde à linge", "Le Fil rouge",
	"La Navette", "Le Wagon", "La Roulotte", "Le Kiosque", "La Guinguette", "Le Lavoir",
	"La Criée", "Le Marché couvert", "La Halle", "Le Préau", "La Cour commune", "Le Square",
}

// complements follow a core or a head (« du Cœur », « des Voisins »).
var complements = []string{
	"du Cœur", "des Voisins", "de l’Espoir", "du Partage", "des Habitants", "de la Solidarité",
	"du Quartier", "des Familles", "de l’Amitié", "des Possibles", "du Lien", "des Savoirs",
	"de la Fraternité", "des Mille Mains", "de l’Entraide", "des Rencontres", "du Vivre-ensemble",
	"de la Bienveillance", "des Petits Pas", "du Bon Voisinage", "de l’Avenir", "des Générations",
	"des Bricoleurs", "des Jardiniers", "des Gourmands", "des Curieux", "des Marmots", "des Aînés",
	"de la Seconde Chance", "de l’Œuvre", "des Sœurs", "du Renouveau", "de la Débrouille",
	"de la Bonne Humeur", "du Bon Pain", "des Quatre Vents", "du Soleil levant", "de la Lune",
}

// firstNames and the generated surnames make contact names and street names.
var firstNames = []string{
	"Martine", "Claire", "Nadia", "Samira", "Fatou", "Hélène", "Lucie", "Odile", "Anne-Sophie",
	"Lætitia", "Cæcilia", "Zoé", "Chloé", "Noémie", "Maëlle", "Anaïs", "Inès", "Héloïse", "Gaëlle",
	"Joëlle", "Françoise", "Geneviève", "Thérèse", "Bérénice", "Océane", "Léa", "Amélie", "Célia",
	"Aïcha", "Yasmina", "Leïla", "Mariam", "Aminata", "Awa", "Rokia", "Mélissa", "Sophie", "Camille",
	"Juliette", "Margaux", "Pauline", "Élodie", "Émilie", "Agnès", "Brigitte", "Colette", "Danièle",
	"Édith", "Ginette", "Huguette", "Irène", "Josiane", "Monique", "Nicole", "Paulette", "Renée",
	"Solange", "Yvette", "Mireille", "Valérie", "Sandrine", "Karima", "Malika", "Djamila", "Ndeye",
	"Bernard", "Karim", "Jean-Pierre", "Jérôme", "Stéphane", "Frédéric", "Hervé", "Loïc", "Gaël",
	"Noël", "Raphaël", "Joël", "Mickaël", "Anthony", "Benoît", "Thibault", "Grégoire", "Clément",
	"Étienne", "Hugo", "Mathéo", "Théo", "Léon", "Adrien", "Bastien", "Cédric", "Damien", "Éric",
	"Fabrice", "Gérard", "Henri", "Ibrahim", "Moussa", "Mamadou", "Youssef", "Mehdi", "Rachid",
	"Saïd", "Tarek", "Ousmane", "Boubacar", "Dimitri", "Hamid", "Kévin", "Laurent", "Marcel",
	"Nicolas", "Olivier", "Pascal", "Quentin", "René", "Sébastien", "Thierry", "Vincent", "Xavier",
	"Yann", "Zacharie", "Aurélien", "Baptiste", "François", "Jacques", "Lucien", "Maxime", "Rémi",
}

// surnamePrefixes × surnameSuffixes spell thousands of French-sounding family and place names
// (Beaumont, Clairval, Hautecourt, Rochefontaine): the long tail of rare words that real
// directories have in street, place and people names.
var surnamePrefixes = []string{
	"Beau", "Bel", "Belle", "Bon", "Bonne", "Blanc", "Blanche", "Bois", "Champ", "Château", "Clair",
	"Claire", "Croix", "Fon", "Font", "Fontaine", "Grand", "Grande", "Haut", "Haute", "Lac", "Long",
	"Mal", "Mar", "Mont", "Mon", "Neuf", "Noir", "Pré", "Roche", "Rouge", "Saint-", "Sainte-", "Val",
	"Vieux", "Ville", "Vert", "Verte", "Gué", "Pont", "Mesnil", "Bourg", "Lévê", "Char", "Cour",
	"Dam", "Four", "Gar", "Mé", "Mor", "Ro", "Ver", "Ger", "Ma", "Ber", "Lan", "Tré", "Pé",
}

var surnameSuffixes = []string{
	"mont", "val", "champ", "court", "ville", "bois", "fort", "lieu", "pré", "rive", "vallon", "fond",
	"fontaine", "roche", "mare", "noue", "lande", "marais", "gny", "chère", "trand", "vin", "mard",
	"teuil", "nay", "nel", "rieux", "bert", "cœur", "thaud", "geot", "quet", "chard", "zières",
	"lès", "ssy", "fosse", "mesnil", "tôt", "beuf", "ouin", "sart", "bœuf", "seigne", "moulin",
	"erre", "guet", "thier", "lard", "naud",
}

// placeNouns make quarter and street names (« des Tilleuls », « du Clos-Beaumont »).
var (
	pluralNames = []string{
		"Tilleuls", "Peupliers", "Acacias", "Glycines", "Mésanges", "Lilas", "Marronniers", "Platanes",
		"Bleuets", "Coquelicots", "Primevères", "Violettes", "Jonquilles", "Hortensias", "Camélias",
		"Roses", "Œillets", "Capucines", "Pivoines", "Tournesols", "Myosotis", "Fauvettes", "Pinsons",
		"Rossignols", "Hirondelles", "Alouettes", "Loriots", "Bouvreuils", "Merisiers", "Érables",
		"Charmes", "Frênes", "Bouleaux", "Saules", "Aulnes", "Noisetiers", "Châtaigniers", "Pommiers",
		"Poiriers", "Cerisiers", "Pruniers", "Vergers", "Vignes", "Prés", "Jardins", "Sources",
		"Fontaines", "Moulins", "Coteaux", "Carrières", "Sablons", "Vallées", "Bruyères", "Genêts",
		"Ajoncs", "Fougères", "Roseaux", "Nénuphars", "Iris", "Dahlias", "Mimosas", "Magnolias",
		"Jacinthes", "Anémones", "Pervenches", "Églantines", "Lavandes", "Sureaux", "Aubépines",
		"Houx", "Ifs", "Cèdres", "Sapins", "Mélèzes", "Ormes", "Chênes", "Hêtres", "Buis",
		"Quatre-Chemins", "Trois-Ponts", "Sept-Arpents", "Mille-Fleurs", "Grands-Champs", "Hauts-Prés",
	}
	placeMasc = []string{"Clos", "Moulin", "Pré", "Val", "Bois", "Parc", "Plateau", "Coteau", "Mail",
		"Puits", "Champ", "Verger", "Carrefour", "Hameau", "Chemin", "Vallon", "Bosquet", "Marché", "Port"}
	placeFem = []string{"Fontaine", "Butte", "Source", "Ferme", "Prairie", "Colline", "Croix", "Cité",
		"Garenne", "Pépinière", "Terrasse", "Sente", "Grange", "Roseraie", "Tour", "Ruelle", "Lisière", "Chaussée"}
	streetTypes = []string{"rue", "rue", "rue", "avenue", "avenue", "allée", "place", "impasse",
		"boulevard", "chemin", "square", "sentier", "quai", "villa", "passage", "cours", "sente"}
)

// Category vocabulary for descriptions: what one finds, does or brings there.
var (
	foods = []string{
		"fruits et légumes frais", "produits laitiers", "œufs fermiers", "pâtes et riz", "lentilles et pois chiches",
		"café équitable", "huile d’olive", "conserves de poisson", "farine et levure", "confitures maison",
		"pain de la veille", "yaourts", "fromages de la crémerie voisine", "céréales pour enfants",
		"couches et petits pots", "produits d’hygiène", "lessive et produits d’entretien", "épices du monde",
		"semoule et boulgour", "légumes secs en vrac", "compotes", "jus de pomme pressé", "miel local",
		"viande halal", "poisson surgelé", "soupes de saison", "thé et tisanes", "chocolat", "biscuits",
		"courges et potirons", "pommes de terre", "carottes et poireaux", "salades", "herbes aromatiques",
		"protections périodiques", "savon et shampoing", "dentifrice", "lait infantile", "sucre et sel",
	}
	objects = []string{
		"grille-pain", "lampes de chevet", "vélos", "machines à café", "aspirateurs", "téléphones",
		"ordinateurs portables", "radios", "bouilloires", "sèche-cheveux", "vêtements", "chaussures",
		"sacs et valises", "jouets", "poussettes", "meubles", "chaises", "tables", "étagères", "vaisselle",
		"casseroles", "livres", "disques", "jeux de société", "machines à coudre", "fers à repasser",
		"ventilateurs", "réveils", "montres", "lunettes", "parapluies", "trottinettes", "rideaux",
		"linge de maison", "couettes", "manteaux d’hiver", "cartables", "instruments de musique",
		"platines vinyles", "appareils photo", "consoles de jeux", "mixeurs", "micro-ondes", "imprimantes",
	}
	plants = []string{
		"tomates", "courgettes", "fraises", "haricots verts", "radis", "salades", "poireaux", "potirons",
		"aromatiques", "framboisiers", "groseilliers", "tournesols", "capucines", "œillets d’Inde",
		"fèves", "petits pois", "betteraves", "blettes", "épinards", "topinambours", "artichauts",
		"fenouil", "basilic", "ciboulette", "menthe", "thym", "romarin", "sauge", "lavande", "rhubarbe",
		"pommiers en espalier", "vignes", "kiwis", "figuiers", "cassis", "mûres", "citrouilles",
		"piments", "aubergines", "poivrons", "concombres", "oignons", "ail", "échalotes", "navets",
	}
	skills = []string{
		"la couture", "la cuisine", "le repassage", "le petit bricolage", "le jardinage", "l’aide aux devoirs",
		"l’informatique", "la conversation en anglais", "l’arabe", "le portugais", "la guitare", "le piano",
		"le tricot", "le covoiturage", "la garde d’animaux", "un déménagement", "la peinture", "la photographie",
		"la coiffure", "la réparation de vélos", "la rédaction de courriers", "la relecture de CV",
		"le soutien en mathématiques", "la pâtisserie", "le yoga", "la marche nordique", "la lecture à voix haute",
		"la calligraphie", "le dessin", "la broderie", "la menuiserie", "l’électricité", "la plomberie",
		"la traduction", "la comptabilité", "la tenue d’un budget", "l’usage du smartphone", "la création de site",
		"le théâtre", "le crochet", "la vannerie", "l’apiculture", "la reliure", "le chant",
	}
	digital = []string{
		"créer une adresse e-mail", "déclarer ses ressources à la CAF", "prendre rendez-vous chez le médecin",
		"actualiser sa situation à France Travail", "déclarer ses impôts", "scanner un document",
		"faire une demande de titre de séjour", "ouvrir son compte Ameli", "consulter son compte bancaire",
		"retrouver un mot de passe", "imprimer un billet", "remplir un formulaire en ligne",
		"faire une visio avec sa famille", "installer une application", "repérer les arnaques",
		"envoyer une pièce jointe", "demander une carte grise", "faire une demande de logement social",
		"suivre la scolarité de ses enfants", "préparer sa retraite en ligne", "chercher une formation",
	}
	missions = []string{
		"trier les dons", "accueillir le public", "animer un atelier", "accompagner des enfants après l’école",
		"rendre visite à des personnes âgées", "distribuer des colis alimentaires", "tenir le café",
		"conduire le minibus", "réparer des vélos", "entretenir le jardin", "aider aux démarches",
		"lire des histoires", "préparer un repas partagé", "organiser une fête de quartier",
		"ramasser les déchets des berges", "tenir la comptabilité", "traduire des documents",
		"animer une conversation en français", "accompagner aux rendez-vous médicaux", "collecter les invendus",
	}
	activities = []string{
		"un café à prix libre", "des grandes tables pour travailler", "une imprimante et le wifi",
		"des ateliers de menuiserie", "une cuisine partagée", "une petite scène", "une bibliothèque de rue",
		"des jeux de société", "une salle de réunion", "un atelier de sérigraphie", "des concerts",
		"des permanences d’écrivain public", "un coin enfants", "une grainothèque", "une outilthèque",
		"un fablab avec imprimante 3D", "des repas partagés", "une épicerie vrac", "un espace de coworking",
		"des expositions d’habitants", "un club d’échecs", "une chorale", "des ateliers d’écriture",
	}
	adjectives = []string{
		"chaleureux", "convivial", "accueillant", "lumineux", "calme", "animé", "familial", "simple",
		"joyeux", "discret", "spacieux", "paisible", "vivant", "ouvert",
	}
	adjectivesFem = []string{
		"chaleureuse", "conviviale", "accueillante", "lumineuse", "calme", "animée", "familiale", "simple",
		"joyeuse", "discrète", "spacieuse", "paisible", "vivante", "ouverte",
	}
	transportModes = []string{"Bus", "Bus", "Bus", "Tram", "Métro", "RER", "Transilien"}
	stopWords      = []string{"Mairie", "Gare", "Église", "Marché", "Place de la République", "Hôtel de Ville",
		"Lycée", "Collège", "Stade", "Piscine", "Médiathèque", "Cimetière", "Poste", "Hôpital", "Parc",
		"Centre commercial", "Théâtre", "Conservatoire", "Gymnase", "Caserne"}
)

// Sentences of descriptions, by local category; {} is replaced by a word of the list given for it.
var (
	intros = map[string][]sentence{
		"tiers-lieu": {
			tpl("Un tiers-lieu {} avec {} et {}.", adjectives, activities, activities),
			tpl("Un ancien atelier devenu lieu ouvert : {}, {} et des rencontres sur l’emploi.", activities, activities),
			tpl("On y trouve {} et {}, et l’on peut y apprendre {} avec des habitants.", activities, activities, skills),
		},
		"epicerie-solidaire": {
			tpl("On y fait ses courses à petit prix : {}, {} et {}.", foods, foods, foods),
			tpl("Une épicerie {} où l’on trouve {} et {} pour environ un quart du prix.", adjectivesFem, foods, foods),
			tpl("Au rayon : {}, {}, {} et {}, dans le respect du choix de chacun.", foods, foods, foods, foods),
		},
		"jardin-partage": {
			tpl("Un jardin {} où l’on cultive ensemble {}, {} et {}.", adjectives, plants, plants, plants),
			tpl("Des parcelles collectives où poussent {} et {}, avec un composteur de quartier.", plants, plants),
			tpl("On y apprend à semer et à récolter, cette saison {} et {}, sans produits chimiques.", plants, plants),
		},
		"echange-services": {
			tpl("Une heure de service vaut une heure, que ce soit pour {} ou {} : on échange son temps, jamais de l’argent.", skills, skills),
			tpl("Chacun propose ce qu’il sait faire, {} ou {}, et reçoit en échange {}.", skills, skills, skills),
			tpl("Un réseau {} où l’on troque savoir-faire et coups de main : {}, {}.", adjectives, skills, skills),
		},
		"repair-cafe": {
			tpl("Des bénévoles aident à réparer {}, {} et {}.", objects, objects, objects),
			tpl("On apporte ce qui est cassé, {} ou {}, et on répare ensemble avec les outils prêtés.", objects, objects),
			tpl("Un atelier {} où l’on apprend à réparer {} et {} plutôt que de les jeter.", adjectives, objects, objects),
		},
		"ressourcerie": {
			tpl("On y trouve {}, {} et {} de seconde main, à petits prix.", objects, objects, objects),
			tpl("Une boutique {} où {} et {} donnés par les habitants trouvent une seconde vie.", adjectivesFem, objects, objects),
		},
		"cafe-social": {
			tpl("Un café {} pour se poser, parler et sortir de l’isolement, avec {}.", adjectives, activities),
			tpl("On y vient pour un thé, une partie de cartes ou une discussion, sans raison particulière."),
			tpl("Un lieu {} où des bénévoles accueillent chacun autour d’un café ; on y trouve aussi {}.", adjectives, activities),
		},
		"frigo-solidaire": {
			tpl("Un réfrigérateur en libre-service où commerçants et voisins déposent leurs surplus : {}, {}.", foods, foods),
			tpl("On y trouve selon les jours {} ou {}, à prendre librement.", foods, foods),
		},
		"panier-solidaire": {
			tpl("Des paniers de saison avec {}, {} et {}, d’une ferme voisine, à prix solidaire.", plants, plants, foods),
			tpl("Chaque semaine, un maraîcher livre {}, {} et {}.", plants, plants, foods),
		},
		"lieu-numerique": {
			tpl("Une aide pas à pas pour {} ou {}.", digital, digital),
			tpl("Des ordinateurs en libre accès et un médiateur pour {}, {} ou {}.", digital, digital, digital),
			tpl("Un espace {} où l’on apprend à {} sans jargon.", adjectives, digital),
		},
		"benevolat": {
			tpl("L’association cherche des bénévoles pour {} ou {}.", missions, missions),
			tpl("Donner deux heures par semaine pour {} : une façon de reprendre confiance et d’élargir son réseau.", missions),
			tpl("Des missions courtes, à la carte : {}, {}, {}.", missions, missions, missions),
		},
	}
	whoSentences = map[string][]sentence{
		"tous-publics":                       {tpl("Ouvert à tous, sans condition."), tpl("Tout le monde est bienvenu, {} ou pas.", []string{"habitant du quartier", "adhérent", "bénévole", "voisin"})},
		"seniors":                            {tpl("Pensé pour les personnes âgées et leurs proches.")},
		"jeunes":                             {tpl("Pour les jeunes de 16 à 25 ans, avec un accompagnement s’ils le souhaitent.")},
		"familles":                           {tpl("Les familles viennent avec leurs enfants, un coin jeux les attend.")},
		"femmes":                             {tpl("Un temps réservé aux femmes, en toute confiance.")},
		"demandeurs-emploi":                  {tpl("Les personnes en recherche d’emploi y trouvent aussi des contacts et des conseils.")},
		"beneficiaires-des-minimas-sociaux":  {tpl("Pour les foyers aux revenus modestes, notamment au RSA.")},
		"personnes-exilees":                  {tpl("Les personnes exilées sont accueillies, des bénévoles parlent {} et {}.", languages, languages)},
		"personnes-en-situation-de-handicap": {tpl("Le lieu est accessible en fauteuil et l’accueil est adapté.")},
	}
	languages    = []string{"anglais", "arabe", "portugais", "espagnol", "tamoul", "dari", "pachto", "wolof", "russe", "ukrainien", "roumain", "turc", "soninké", "lingala"}
	howSentences = []sentence{
		tpl("Sans inscription : il suffit de pousser la porte."),
		tpl("Inscription sur place lors de la première visite."),
		tpl("Sur rendez-vous, par téléphone ou par courriel."),
		tpl("Venez avec vos {} et un peu de patience.", []string{"papiers", "identifiants", "objets", "questions", "enfants", "idées"}),
		tpl("Un premier entretien permet de faire connaissance."),
		tpl("On peut venir une fois pour essayer, puis revenir quand on veut."),
	}
	remoteSentences = []sentence{
		tpl("Tout se passe par téléphone ou en ligne, depuis chez soi."),
		tpl("Laissez un message : on vous rappelle sous deux jours ouvrés."),
	}
)

// sentence is a template whose {} are filled, in order, with words of its slot lists.
type sentence struct {
	parts []string
	slots [][]string
}

func tpl(t string, slots ...[]string) sentence {
	parts := strings.Split(t, "{}")
	if len(parts) != len(slots)+1 {
		panic("demo: template " + t + ": slots and placeholders differ")
	}
	return sentence{parts: parts, slots: slots}
}

// Opening hours, OpenStreetMap syntax, with the occasional unreadable free text real data has.
var hoursPatterns = []string{
	"Mo-Fr 09:00-12:00,14:00-17:00; PH off", "Mo-Fr 09:00-12:00,14:00-17:00; PH off",
	"Tu,Th 14:00-18:00", "We 14:00-17:30; Sa 10:00-12:30", "Sa[1] 10:00-12:00", "Sa[2] 14:00-17:30",
	"Apr-Oct We,Sa 14:00-18:00", "Mo-Sa 08:00-20:00", "Tu-Fr 10:00-18:00; Sa 10:00-13:00",
	"Mo,We,Fr 14:00-17:00", "Th 18:30-21:00", "Su 10:00-13:00", "Mo-Fr 14:00-18:00", "24/7",
	"Tu-Sa 10:00-19:00", "We 14:00-18:00", "Mo-Fr 09:30-12:30", "Sa 09:00-12:00", "Fr 17:00-19:00",
	"Mar-Nov Sa 09:30-12:30", "Mo,Th 09:30-11:30", "Tu 09:30-11:30", "We-Su 11:00-20:00",
	"le mardi après-midi", "sur rendez-vous",
}

// feePrecisions explain a payant service's cost.
var feePrecisions = []string{
	"Adhésion 5 € par an", "Adhésion 10 € par an", "Adhésion 2 € par an", "Environ 20 % du prix habituel",
	"Environ 30 % du prix habituel", "Prix libre", "Panier à 8 € ; tarif solidaire à 4 €",
	"De 0,50 € à 5 € la pièce", "Petits prix", "Consommations à prix libre", "Repas à 3 €",
}

// conditionTexts are conditions_acces of some services (referrals are drawn apart, with their
// mobilisation fields).
var conditionTexts = []string{
	"Inscription préalable, places limitées.", "Sur présentation d’un justificatif de ressources.",
	"Après un premier entretien.", "Adhésion à l’association demandée.", "Inscription à l’accueil.",
}

// defaultTypes is the data·inclusion type most services of a category have.
var defaultTypes = map[string]string{
	"tiers-lieu": "", "epicerie-solidaire": "aide-materielle", "jardin-partage": "atelier",
	"echange-services": "", "repair-cafe": "atelier", "ressourcerie": "aide-materielle",
	"cafe-social": "accompagnement", "frigo-solidaire": "aide-materielle", "panier-solidaire": "aide-materielle",
	"lieu-numerique": "accompagnement", "benevolat": "information",
}

// givesShare is the part of a category's services where a usager can also give (PeutDonner), in
// percent.
var givesShare = map[string]int{
	"echange-services": 100, "benevolat": 100, "repair-cafe": 100, "frigo-solidaire": 80,
	"jardin-partage": 40, "ressourcerie": 30, "tiers-lieu": 20, "panier-solidaire": 10,
}

// coreThemes are the thématiques central to the département's approach, added to some services
// whatever their category.
var coreThemes = []string{
	"remobilisation--lien-social", "preparer-sa-candidature--developper-son-reseau",
	"equipement-et-alimentation--alimentation", "sante--acces-aux-soins",
}
