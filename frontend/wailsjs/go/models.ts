export namespace app {
	
	export class Code {
	    code: string;
	    label: string;
	
	    static createFrom(source: any = {}) {
	        return new Code(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.code = source["code"];
	        this.label = source["label"];
	    }
	}
	export class Household {
	    code: string;
	    label: string;
	
	    static createFrom(source: any = {}) {
	        return new Household(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.code = source["code"];
	        this.label = source["label"];
	    }
	}
	export class ConsentInfo {
	    wording: string;
	    retention_years: number;
	    households: Household[];
	
	    static createFrom(source: any = {}) {
	        return new ConsentInfo(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.wording = source["wording"];
	        this.retention_years = source["retention_years"];
	        this.households = this.convertValues(source["households"], Household);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	
	export class Info {
	    version: string;
	    data_dir: string;
	
	    static createFrom(source: any = {}) {
	        return new Info(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.version = source["version"];
	        this.data_dir = source["data_dir"];
	    }
	}
	export class PDFFile {
	    path: string;
	    opened: boolean;
	
	    static createFrom(source: any = {}) {
	        return new PDFFile(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.path = source["path"];
	        this.opened = source["opened"];
	    }
	}
	export class Reference {
	    communes: geo.Commune[];
	    categories: vocab.Category[];
	    theme_categories: vocab.Term[];
	    thematiques: vocab.Term[];
	    publics: vocab.Term[];
	    frais: vocab.Term[];
	    modes_accueil: vocab.Term[];
	    near_km_default: number;
	
	    static createFrom(source: any = {}) {
	        return new Reference(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.communes = this.convertValues(source["communes"], geo.Commune);
	        this.categories = this.convertValues(source["categories"], vocab.Category);
	        this.theme_categories = this.convertValues(source["theme_categories"], vocab.Term);
	        this.thematiques = this.convertValues(source["thematiques"], vocab.Term);
	        this.publics = this.convertValues(source["publics"], vocab.Term);
	        this.frais = this.convertValues(source["frais"], vocab.Term);
	        this.modes_accueil = this.convertValues(source["modes_accueil"], vocab.Term);
	        this.near_km_default = source["near_km_default"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class ReferralVocabulary {
	    statuses: Code[];
	    reasons: Code[];
	    transitions: Record<string, Array<string>>;
	
	    static createFrom(source: any = {}) {
	        return new ReferralVocabulary(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.statuses = this.convertValues(source["statuses"], Code);
	        this.reasons = this.convertValues(source["reasons"], Code);
	        this.transitions = source["transitions"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Status {
	    loaded: boolean;
	    services: number;
	    demo_services: number;
	    demo_loaded: boolean;
	    error: string;
	
	    static createFrom(source: any = {}) {
	        return new Status(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.loaded = source["loaded"];
	        this.services = source["services"];
	        this.demo_services = source["demo_services"];
	        this.demo_loaded = source["demo_loaded"];
	        this.error = source["error"];
	    }
	}
	export class SyncStatus {
	    enrolled: boolean;
	    server_url: string;
	    device_id: string;
	    site_id: string;
	    site_name: string;
	    revoked: boolean;
	    cursor: number;
	    pending: number;
	    rejected: number;
	    // Go type: time
	    last_sync_at?: any;
	    last_error: string;
	    // Go type: time
	    last_error_at?: any;
	    running: boolean;
	    progress?: syncclient.Progress;
	    // Go type: time
	    next_attempt_at?: any;
	    paused: boolean;
	    failures: number;
	    rejections: domain.SyncRejection[];
	    last_report?: syncclient.Report;
	
	    static createFrom(source: any = {}) {
	        return new SyncStatus(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.enrolled = source["enrolled"];
	        this.server_url = source["server_url"];
	        this.device_id = source["device_id"];
	        this.site_id = source["site_id"];
	        this.site_name = source["site_name"];
	        this.revoked = source["revoked"];
	        this.cursor = source["cursor"];
	        this.pending = source["pending"];
	        this.rejected = source["rejected"];
	        this.last_sync_at = this.convertValues(source["last_sync_at"], null);
	        this.last_error = source["last_error"];
	        this.last_error_at = this.convertValues(source["last_error_at"], null);
	        this.running = source["running"];
	        this.progress = this.convertValues(source["progress"], syncclient.Progress);
	        this.next_attempt_at = this.convertValues(source["next_attempt_at"], null);
	        this.paused = source["paused"];
	        this.failures = source["failures"];
	        this.rejections = this.convertValues(source["rejections"], domain.SyncRejection);
	        this.last_report = this.convertValues(source["last_report"], syncclient.Report);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}

}

export namespace directory {
	
	export class Label {
	    code: string;
	    label: string;
	
	    static createFrom(source: any = {}) {
	        return new Label(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.code = source["code"];
	        this.label = source["label"];
	    }
	}
	export class Hours {
	    raw: string;
	    sentences: string[];
	    readable: boolean;
	    week: string[];
	    from_structure: boolean;
	
	    static createFrom(source: any = {}) {
	        return new Hours(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.raw = source["raw"];
	        this.sentences = source["sentences"];
	        this.readable = source["readable"];
	        this.week = source["week"];
	        this.from_structure = source["from_structure"];
	    }
	}
	export class Detail {
	    service: domain.Service;
	    structure: domain.Structure;
	    uuid: string;
	    structure_uuid: string;
	    origin: string;
	    deleted: boolean;
	    location: domain.Location;
	    hours: Hours;
	    freshness: domain.Freshness;
	    categorie?: Label;
	    thematiques: Label[];
	    publics: Label[];
	    frais: string;
	    type: string;
	    modes_accueil: string[];
	    mobilisation: string[];
	    mobilisable_par: string[];
	    eligibilite: string;
	    note: domain.Note;
	
	    static createFrom(source: any = {}) {
	        return new Detail(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.service = this.convertValues(source["service"], domain.Service);
	        this.structure = this.convertValues(source["structure"], domain.Structure);
	        this.uuid = source["uuid"];
	        this.structure_uuid = source["structure_uuid"];
	        this.origin = source["origin"];
	        this.deleted = source["deleted"];
	        this.location = this.convertValues(source["location"], domain.Location);
	        this.hours = this.convertValues(source["hours"], Hours);
	        this.freshness = this.convertValues(source["freshness"], domain.Freshness);
	        this.categorie = this.convertValues(source["categorie"], Label);
	        this.thematiques = this.convertValues(source["thematiques"], Label);
	        this.publics = this.convertValues(source["publics"], Label);
	        this.frais = source["frais"];
	        this.type = source["type"];
	        this.modes_accueil = source["modes_accueil"];
	        this.mobilisation = source["mobilisation"];
	        this.mobilisable_par = source["mobilisable_par"];
	        this.eligibilite = source["eligibilite"];
	        this.note = this.convertValues(source["note"], domain.Note);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	
	
	export class Proposal {
	    nom: string;
	    structure_nom: string;
	    description: string;
	    categorie: string;
	    thematiques: string[];
	    publics: string[];
	    frais: string;
	    frais_precisions: string;
	    modes_accueil: string[];
	    adresse: string;
	    commune: string;
	    telephone: string;
	    courriel: string;
	    site_web: string;
	    horaires: string;
	    conditions_acces: string;
	    contact_nom_prenom: string;
	    peut_donner: boolean;
	    acces_transport: string;
	
	    static createFrom(source: any = {}) {
	        return new Proposal(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.nom = source["nom"];
	        this.structure_nom = source["structure_nom"];
	        this.description = source["description"];
	        this.categorie = source["categorie"];
	        this.thematiques = source["thematiques"];
	        this.publics = source["publics"];
	        this.frais = source["frais"];
	        this.frais_precisions = source["frais_precisions"];
	        this.modes_accueil = source["modes_accueil"];
	        this.adresse = source["adresse"];
	        this.commune = source["commune"];
	        this.telephone = source["telephone"];
	        this.courriel = source["courriel"];
	        this.site_web = source["site_web"];
	        this.horaires = source["horaires"];
	        this.conditions_acces = source["conditions_acces"];
	        this.contact_nom_prenom = source["contact_nom_prenom"];
	        this.peut_donner = source["peut_donner"];
	        this.acces_transport = source["acces_transport"];
	    }
	}

}

export namespace domain {
	
	export class AnswerValue {
	    text?: string;
	    choices?: string[];
	    number?: number;
	
	    static createFrom(source: any = {}) {
	        return new AnswerValue(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.text = source["text"];
	        this.choices = source["choices"];
	        this.number = source["number"];
	    }
	}
	export class Answer {
	    interview_uuid: string;
	    question_id: string;
	    value: AnswerValue;
	    worker_rating?: number;
	    // Go type: time
	    answered_at: any;
	    correction: boolean;
	    sensitive: boolean;
	
	    static createFrom(source: any = {}) {
	        return new Answer(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.interview_uuid = source["interview_uuid"];
	        this.question_id = source["question_id"];
	        this.value = this.convertValues(source["value"], AnswerValue);
	        this.worker_rating = source["worker_rating"];
	        this.answered_at = this.convertValues(source["answered_at"], null);
	        this.correction = source["correction"];
	        this.sensitive = source["sensitive"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class AnswerChange {
	    question_id: string;
	    value: AnswerValue;
	    worker_rating?: number;
	    // Go type: time
	    answered_at: any;
	    // Go type: time
	    replaced_at: any;
	
	    static createFrom(source: any = {}) {
	        return new AnswerChange(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.question_id = source["question_id"];
	        this.value = this.convertValues(source["value"], AnswerValue);
	        this.worker_rating = source["worker_rating"];
	        this.answered_at = this.convertValues(source["answered_at"], null);
	        this.replaced_at = this.convertValues(source["replaced_at"], null);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	
	export class Condition {
	    question?: string;
	    equals?: string;
	    in?: string[];
	    answered?: boolean;
	    all?: Condition[];
	    any?: Condition[];
	
	    static createFrom(source: any = {}) {
	        return new Condition(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.question = source["question"];
	        this.equals = source["equals"];
	        this.in = source["in"];
	        this.answered = source["answered"];
	        this.all = this.convertValues(source["all"], Condition);
	        this.any = this.convertValues(source["any"], Condition);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class ConflictingAnswer {
	    question_id: string;
	    value: AnswerValue;
	    worker_rating?: number;
	    device: string;
	    // Go type: time
	    answered_at: any;
	
	    static createFrom(source: any = {}) {
	        return new ConflictingAnswer(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.question_id = source["question_id"];
	        this.value = this.convertValues(source["value"], AnswerValue);
	        this.worker_rating = source["worker_rating"];
	        this.device = source["device"];
	        this.answered_at = this.convertValues(source["answered_at"], null);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Facets {
	    categories: Record<string, number>;
	    themes: Record<string, number>;
	    publics: Record<string, number>;
	    frais: Record<string, number>;
	    modes: Record<string, number>;
	    communes: Record<string, number>;
	    open_days: Record<number, number>;
	    can_give: number;
	
	    static createFrom(source: any = {}) {
	        return new Facets(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.categories = source["categories"];
	        this.themes = source["themes"];
	        this.publics = source["publics"];
	        this.frais = source["frais"];
	        this.modes = source["modes"];
	        this.communes = source["communes"];
	        this.open_days = source["open_days"];
	        this.can_give = source["can_give"];
	    }
	}
	export class Freshness {
	    level: string;
	    score: number;
	    months_old: number;
	
	    static createFrom(source: any = {}) {
	        return new Freshness(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.level = source["level"];
	        this.score = source["score"];
	        this.months_old = source["months_old"];
	    }
	}
	export class Scale {
	    min_label?: string;
	    max_label?: string;
	    worker_rating?: boolean;
	
	    static createFrom(source: any = {}) {
	        return new Scale(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.min_label = source["min_label"];
	        this.max_label = source["max_label"];
	        this.worker_rating = source["worker_rating"];
	    }
	}
	export class Option {
	    value: string;
	    label: string;
	    thematiques?: string[];
	    categories?: string[];
	    publics?: string[];
	    give?: boolean;
	
	    static createFrom(source: any = {}) {
	        return new Option(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.value = source["value"];
	        this.label = source["label"];
	        this.thematiques = source["thematiques"];
	        this.categories = source["categories"];
	        this.publics = source["publics"];
	        this.give = source["give"];
	    }
	}
	export class Question {
	    id: string;
	    type: string;
	    label: string;
	    help?: string;
	    required?: boolean;
	    options?: Option[];
	    min?: number;
	    max?: number;
	    unit?: string;
	    scale?: Scale;
	    show_if?: Condition;
	
	    static createFrom(source: any = {}) {
	        return new Question(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.type = source["type"];
	        this.label = source["label"];
	        this.help = source["help"];
	        this.required = source["required"];
	        this.options = this.convertValues(source["options"], Option);
	        this.min = source["min"];
	        this.max = source["max"];
	        this.unit = source["unit"];
	        this.scale = this.convertValues(source["scale"], Scale);
	        this.show_if = this.convertValues(source["show_if"], Condition);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class GridDomain {
	    id: string;
	    title: string;
	    description?: string;
	    sensitive?: boolean;
	    thematiques?: string[];
	    categories?: string[];
	    questions: Question[];
	
	    static createFrom(source: any = {}) {
	        return new GridDomain(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.title = source["title"];
	        this.description = source["description"];
	        this.sensitive = source["sensitive"];
	        this.thematiques = source["thematiques"];
	        this.categories = source["categories"];
	        this.questions = this.convertValues(source["questions"], Question);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Grid {
	    id: string;
	    version: number;
	    title: string;
	    description?: string;
	    domains: GridDomain[];
	
	    static createFrom(source: any = {}) {
	        return new Grid(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.version = source["version"];
	        this.title = source["title"];
	        this.description = source["description"];
	        this.domains = this.convertValues(source["domains"], GridDomain);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	
	export class GridInfo {
	    id: string;
	    version: number;
	    title: string;
	    embedded: boolean;
	    current: boolean;
	
	    static createFrom(source: any = {}) {
	        return new GridInfo(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.version = source["version"];
	        this.title = source["title"];
	        this.embedded = source["embedded"];
	        this.current = source["current"];
	    }
	}
	export class Hit {
	    service_uuid: string;
	    id: string;
	    structure_uuid: string;
	    structure_id: string;
	    source: string;
	    nom: string;
	    structure_nom: string;
	    commune: string;
	    code_insee: string;
	    distance_km?: number;
	    remote: boolean;
	    thematiques: string[];
	    frais: string;
	    modes_accueil: string[];
	    categorie: string;
	    peut_donner: boolean;
	    freshness: Freshness;
	    open_state: string;
	    week: string[];
	    origin: string;
	    score: number;
	    why: string[];
	
	    static createFrom(source: any = {}) {
	        return new Hit(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.service_uuid = source["service_uuid"];
	        this.id = source["id"];
	        this.structure_uuid = source["structure_uuid"];
	        this.structure_id = source["structure_id"];
	        this.source = source["source"];
	        this.nom = source["nom"];
	        this.structure_nom = source["structure_nom"];
	        this.commune = source["commune"];
	        this.code_insee = source["code_insee"];
	        this.distance_km = source["distance_km"];
	        this.remote = source["remote"];
	        this.thematiques = source["thematiques"];
	        this.frais = source["frais"];
	        this.modes_accueil = source["modes_accueil"];
	        this.categorie = source["categorie"];
	        this.peut_donner = source["peut_donner"];
	        this.freshness = this.convertValues(source["freshness"], Freshness);
	        this.open_state = source["open_state"];
	        this.week = source["week"];
	        this.origin = source["origin"];
	        this.score = source["score"];
	        this.why = source["why"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Rejection {
	    file: string;
	    position: number;
	    id: string;
	    reason: string;
	
	    static createFrom(source: any = {}) {
	        return new Rejection(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.file = source["file"];
	        this.position = source["position"];
	        this.id = source["id"];
	        this.reason = source["reason"];
	    }
	}
	export class ImportReport {
	    imported: number;
	    updated: number;
	    unchanged: number;
	    rejected: Rejection[];
	
	    static createFrom(source: any = {}) {
	        return new ImportReport(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.imported = source["imported"];
	        this.updated = source["updated"];
	        this.unchanged = source["unchanged"];
	        this.rejected = this.convertValues(source["rejected"], Rejection);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Interview {
	    usager_uuid: string;
	    grid_id: string;
	    grid_version: number;
	    status: string;
	    // Go type: time
	    started_at: any;
	    // Go type: time
	    completed_at?: any;
	    current_domain: string;
	    next_contact: string;
	
	    static createFrom(source: any = {}) {
	        return new Interview(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.usager_uuid = source["usager_uuid"];
	        this.grid_id = source["grid_id"];
	        this.grid_version = source["grid_version"];
	        this.status = source["status"];
	        this.started_at = this.convertValues(source["started_at"], null);
	        this.completed_at = this.convertValues(source["completed_at"], null);
	        this.current_domain = source["current_domain"];
	        this.next_contact = source["next_contact"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Location {
	    adresse: string;
	    complement_adresse: string;
	    code_postal: string;
	    code_insee: string;
	    commune: string;
	    latitude?: number;
	    longitude?: number;
	    from_structure: boolean;
	
	    static createFrom(source: any = {}) {
	        return new Location(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.adresse = source["adresse"];
	        this.complement_adresse = source["complement_adresse"];
	        this.code_postal = source["code_postal"];
	        this.code_insee = source["code_insee"];
	        this.commune = source["commune"];
	        this.latitude = source["latitude"];
	        this.longitude = source["longitude"];
	        this.from_structure = source["from_structure"];
	    }
	}
	export class Need {
	    domain: string;
	    domain_title: string;
	    sensitive: boolean;
	    thematiques: string[];
	    categories: string[];
	    publics: string[];
	    give: boolean;
	    words: string[];
	    self_assessment?: number;
	    worker_rating?: number;
	
	    static createFrom(source: any = {}) {
	        return new Need(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.domain = source["domain"];
	        this.domain_title = source["domain_title"];
	        this.sensitive = source["sensitive"];
	        this.thematiques = source["thematiques"];
	        this.categories = source["categories"];
	        this.publics = source["publics"];
	        this.give = source["give"];
	        this.words = source["words"];
	        this.self_assessment = source["self_assessment"];
	        this.worker_rating = source["worker_rating"];
	    }
	}
	export class Note {
	    service_uuid: string;
	    body: string;
	    // Go type: time
	    updated_at: any;
	
	    static createFrom(source: any = {}) {
	        return new Note(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.service_uuid = source["service_uuid"];
	        this.body = source["body"];
	        this.updated_at = this.convertValues(source["updated_at"], null);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	
	
	export class ReferralChange {
	    status: string;
	    // Go type: time
	    at: any;
	    reason: string;
	    reason_text: string;
	    note: string;
	
	    static createFrom(source: any = {}) {
	        return new ReferralChange(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.status = source["status"];
	        this.at = this.convertValues(source["at"], null);
	        this.reason = source["reason"];
	        this.reason_text = source["reason_text"];
	        this.note = source["note"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	
	
	export class SearchQuery {
	    text: string;
	    themes: string[];
	    categories: string[];
	    publics: string[];
	    free_only: boolean;
	    mode: string;
	    commune: string;
	    near: string;
	    km: number;
	    eligible_for: string;
	    open_on: number;
	    can_give: boolean;
	    limit: number;
	    offset: number;
	
	    static createFrom(source: any = {}) {
	        return new SearchQuery(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.text = source["text"];
	        this.themes = source["themes"];
	        this.categories = source["categories"];
	        this.publics = source["publics"];
	        this.free_only = source["free_only"];
	        this.mode = source["mode"];
	        this.commune = source["commune"];
	        this.near = source["near"];
	        this.km = source["km"];
	        this.eligible_for = source["eligible_for"];
	        this.open_on = source["open_on"];
	        this.can_give = source["can_give"];
	        this.limit = source["limit"];
	        this.offset = source["offset"];
	    }
	}
	export class SearchResult {
	    total: number;
	    remote: number;
	    hits: Hit[];
	    facets: Facets;
	
	    static createFrom(source: any = {}) {
	        return new SearchResult(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.total = source["total"];
	        this.remote = source["remote"];
	        this.hits = this.convertValues(source["hits"], Hit);
	        this.facets = this.convertValues(source["facets"], Facets);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Service {
	    id: string;
	    source: string;
	    structure_id: string;
	    nom: string;
	    description: string;
	    date_maj: string;
	    type?: string;
	    thematiques: string[];
	    frais?: string;
	    frais_precisions?: string;
	    publics: string[];
	    publics_precisions?: string;
	    conditions_acces?: string;
	    telephone?: string;
	    courriel?: string;
	    contact_nom_prenom?: string;
	    modes_accueil: string[];
	    zone_eligibilite: string[];
	    lien_mobilisation?: string;
	    modes_mobilisation: string[];
	    mobilisable_par: string[];
	    mobilisation_precisions?: string;
	    adresse?: string;
	    complement_adresse?: string;
	    code_postal?: string;
	    code_insee?: string;
	    commune?: string;
	    latitude?: number;
	    longitude?: number;
	    horaires_accueil?: string;
	    lien_source?: string;
	    nombre_semaines?: number;
	    volume_horaire_hebdomadaire?: number;
	    passerelle_categorie?: string;
	    passerelle_peut_donner?: boolean;
	    passerelle_acces_transport?: string;
	
	    static createFrom(source: any = {}) {
	        return new Service(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.source = source["source"];
	        this.structure_id = source["structure_id"];
	        this.nom = source["nom"];
	        this.description = source["description"];
	        this.date_maj = source["date_maj"];
	        this.type = source["type"];
	        this.thematiques = source["thematiques"];
	        this.frais = source["frais"];
	        this.frais_precisions = source["frais_precisions"];
	        this.publics = source["publics"];
	        this.publics_precisions = source["publics_precisions"];
	        this.conditions_acces = source["conditions_acces"];
	        this.telephone = source["telephone"];
	        this.courriel = source["courriel"];
	        this.contact_nom_prenom = source["contact_nom_prenom"];
	        this.modes_accueil = source["modes_accueil"];
	        this.zone_eligibilite = source["zone_eligibilite"];
	        this.lien_mobilisation = source["lien_mobilisation"];
	        this.modes_mobilisation = source["modes_mobilisation"];
	        this.mobilisable_par = source["mobilisable_par"];
	        this.mobilisation_precisions = source["mobilisation_precisions"];
	        this.adresse = source["adresse"];
	        this.complement_adresse = source["complement_adresse"];
	        this.code_postal = source["code_postal"];
	        this.code_insee = source["code_insee"];
	        this.commune = source["commune"];
	        this.latitude = source["latitude"];
	        this.longitude = source["longitude"];
	        this.horaires_accueil = source["horaires_accueil"];
	        this.lien_source = source["lien_source"];
	        this.nombre_semaines = source["nombre_semaines"];
	        this.volume_horaire_hebdomadaire = source["volume_horaire_hebdomadaire"];
	        this.passerelle_categorie = source["passerelle_categorie"];
	        this.passerelle_peut_donner = source["passerelle_peut_donner"];
	        this.passerelle_acces_transport = source["passerelle_acces_transport"];
	    }
	}
	export class Settings {
	    worker_name: string;
	    edas: string;
	    worker_phone: string;
	    follow_up_days: number;
	    include_health: boolean;
	
	    static createFrom(source: any = {}) {
	        return new Settings(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.worker_name = source["worker_name"];
	        this.edas = source["edas"];
	        this.worker_phone = source["worker_phone"];
	        this.follow_up_days = source["follow_up_days"];
	        this.include_health = source["include_health"];
	    }
	}
	export class Structure {
	    id: string;
	    source: string;
	    nom: string;
	    date_maj: string;
	    siret?: string;
	    telephone?: string;
	    courriel?: string;
	    site_web?: string;
	    lien_source?: string;
	    horaires_accueil?: string;
	    accessibilite_lieu?: string;
	    reseaux_porteurs: string[];
	    description?: string;
	    adresse?: string;
	    complement_adresse?: string;
	    code_postal?: string;
	    code_insee?: string;
	    commune?: string;
	    latitude?: number;
	    longitude?: number;
	
	    static createFrom(source: any = {}) {
	        return new Structure(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.source = source["source"];
	        this.nom = source["nom"];
	        this.date_maj = source["date_maj"];
	        this.siret = source["siret"];
	        this.telephone = source["telephone"];
	        this.courriel = source["courriel"];
	        this.site_web = source["site_web"];
	        this.lien_source = source["lien_source"];
	        this.horaires_accueil = source["horaires_accueil"];
	        this.accessibilite_lieu = source["accessibilite_lieu"];
	        this.reseaux_porteurs = source["reseaux_porteurs"];
	        this.description = source["description"];
	        this.adresse = source["adresse"];
	        this.complement_adresse = source["complement_adresse"];
	        this.code_postal = source["code_postal"];
	        this.code_insee = source["code_insee"];
	        this.commune = source["commune"];
	        this.latitude = source["latitude"];
	        this.longitude = source["longitude"];
	    }
	}
	export class Suggestion {
	    hit: Hit;
	    domains: string[];
	    give: boolean;
	    score: number;
	    why: string;
	    selected: boolean;
	
	    static createFrom(source: any = {}) {
	        return new Suggestion(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.hit = this.convertValues(source["hit"], Hit);
	        this.domains = source["domains"];
	        this.give = source["give"];
	        this.score = source["score"];
	        this.why = source["why"];
	        this.selected = source["selected"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class SyncRejection {
	    kind: string;
	    uuid: string;
	    reason: string;
	    // Go type: time
	    at: any;
	
	    static createFrom(source: any = {}) {
	        return new SyncRejection(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.kind = source["kind"];
	        this.uuid = source["uuid"];
	        this.reason = source["reason"];
	        this.at = this.convertValues(source["at"], null);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Usager {
	    display_name: string;
	    birth_year?: number;
	    commune: string;
	    household: string;
	    contact: string;
	    notes: string;
	    consent_given: boolean;
	    // Go type: time
	    consent_at?: any;
	    consent_text: string;
	    // Go type: time
	    last_contact_at: any;
	    anonymised: boolean;
	
	    static createFrom(source: any = {}) {
	        return new Usager(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.display_name = source["display_name"];
	        this.birth_year = source["birth_year"];
	        this.commune = source["commune"];
	        this.household = source["household"];
	        this.contact = source["contact"];
	        this.notes = source["notes"];
	        this.consent_given = source["consent_given"];
	        this.consent_at = this.convertValues(source["consent_at"], null);
	        this.consent_text = source["consent_text"];
	        this.last_contact_at = this.convertValues(source["last_contact_at"], null);
	        this.anonymised = source["anonymised"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class UsagerSummary {
	    uuid: string;
	    display_name: string;
	    commune: string;
	    // Go type: time
	    last_interview_at?: any;
	    open_interview: string;
	    next_contact: string;
	    // Go type: time
	    last_contact_at: any;
	
	    static createFrom(source: any = {}) {
	        return new UsagerSummary(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.uuid = source["uuid"];
	        this.display_name = source["display_name"];
	        this.commune = source["commune"];
	        this.last_interview_at = this.convertValues(source["last_interview_at"], null);
	        this.open_interview = source["open_interview"];
	        this.next_contact = source["next_contact"];
	        this.last_contact_at = this.convertValues(source["last_contact_at"], null);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}

}

export namespace geo {
	
	export class Commune {
	    code_insee: string;
	    nom: string;
	    codes_postaux: string[];
	    population: number;
	    ept_code: string;
	    ept: string;
	    lat: number;
	    lon: number;
	
	    static createFrom(source: any = {}) {
	        return new Commune(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.code_insee = source["code_insee"];
	        this.nom = source["nom"];
	        this.codes_postaux = source["codes_postaux"];
	        this.population = source["population"];
	        this.ept_code = source["ept_code"];
	        this.ept = source["ept"];
	        this.lat = source["lat"];
	        this.lon = source["lon"];
	    }
	}

}

export namespace grid {
	
	export class DomainProgress {
	    domain: string;
	    answered: number;
	    required: number;
	    done: boolean;
	
	    static createFrom(source: any = {}) {
	        return new DomainProgress(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.domain = source["domain"];
	        this.answered = source["answered"];
	        this.required = source["required"];
	        this.done = source["done"];
	    }
	}

}

export namespace interviews {
	
	export class JourneyPoint {
	    interview_uuid: string;
	    // Go type: time
	    at: any;
	    value: number;
	    worker_rating?: number;
	
	    static createFrom(source: any = {}) {
	        return new JourneyPoint(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.interview_uuid = source["interview_uuid"];
	        this.at = this.convertValues(source["at"], null);
	        this.value = source["value"];
	        this.worker_rating = source["worker_rating"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class DomainJourney {
	    domain: string;
	    title: string;
	    sensitive: boolean;
	    points: JourneyPoint[];
	    first?: JourneyPoint;
	    latest?: JourneyPoint;
	
	    static createFrom(source: any = {}) {
	        return new DomainJourney(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.domain = source["domain"];
	        this.title = source["title"];
	        this.sensitive = source["sensitive"];
	        this.points = this.convertValues(source["points"], JourneyPoint);
	        this.first = this.convertValues(source["first"], JourneyPoint);
	        this.latest = this.convertValues(source["latest"], JourneyPoint);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class InterviewItem {
	    uuid: string;
	    usager_uuid: string;
	    grid_id: string;
	    grid_version: number;
	    status: string;
	    // Go type: time
	    started_at: any;
	    // Go type: time
	    completed_at?: any;
	    current_domain: string;
	    next_contact: string;
	
	    static createFrom(source: any = {}) {
	        return new InterviewItem(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.uuid = source["uuid"];
	        this.usager_uuid = source["usager_uuid"];
	        this.grid_id = source["grid_id"];
	        this.grid_version = source["grid_version"];
	        this.status = source["status"];
	        this.started_at = this.convertValues(source["started_at"], null);
	        this.completed_at = this.convertValues(source["completed_at"], null);
	        this.current_domain = source["current_domain"];
	        this.next_contact = source["next_contact"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class File {
	    usager: domain.Usager;
	    uuid: string;
	    interviews: InterviewItem[];
	    journey: DomainJourney[];
	    retention_until: string;
	
	    static createFrom(source: any = {}) {
	        return new File(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.usager = this.convertValues(source["usager"], domain.Usager);
	        this.uuid = source["uuid"];
	        this.interviews = this.convertValues(source["interviews"], InterviewItem);
	        this.journey = this.convertValues(source["journey"], DomainJourney);
	        this.retention_until = source["retention_until"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	
	
	export class UsagerInput {
	    display_name: string;
	    birth_year?: number;
	    commune: string;
	    household: string;
	    contact: string;
	    notes: string;
	    consent: boolean;
	
	    static createFrom(source: any = {}) {
	        return new UsagerInput(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.display_name = source["display_name"];
	        this.birth_year = source["birth_year"];
	        this.commune = source["commune"];
	        this.household = source["household"];
	        this.contact = source["contact"];
	        this.notes = source["notes"];
	        this.consent = source["consent"];
	    }
	}
	export class View {
	    interview: domain.Interview;
	    uuid: string;
	    grid: domain.Grid;
	    answers: Record<string, domain.Answer>;
	    previous: Record<string, domain.Answer>;
	    // Go type: time
	    previous_at?: any;
	    visible: Record<string, boolean>;
	    progress: grid.DomainProgress[];
	    history: domain.AnswerChange[];
	    with_sensitive: boolean;
	    conflicts: Record<string, Array<domain.ConflictingAnswer>>;
	
	    static createFrom(source: any = {}) {
	        return new View(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.interview = this.convertValues(source["interview"], domain.Interview);
	        this.uuid = source["uuid"];
	        this.grid = this.convertValues(source["grid"], domain.Grid);
	        this.answers = this.convertValues(source["answers"], domain.Answer, true);
	        this.previous = this.convertValues(source["previous"], domain.Answer, true);
	        this.previous_at = this.convertValues(source["previous_at"], null);
	        this.visible = source["visible"];
	        this.progress = this.convertValues(source["progress"], grid.DomainProgress);
	        this.history = this.convertValues(source["history"], domain.AnswerChange);
	        this.with_sensitive = source["with_sensitive"];
	        this.conflicts = this.convertValues(source["conflicts"], Array<domain.ConflictingAnswer>, true);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}

}

export namespace referrals {
	
	export class Item {
	    uuid: string;
	    // Go type: time
	    created_at: any;
	    sheet_uuid: string;
	    usager_uuid: string;
	    interview_uuid: string;
	    service_uuid: string;
	    service_name: string;
	    service_id: string;
	    need: string;
	    message: string;
	    include_health: boolean;
	    worker_name: string;
	    edas: string;
	    worker_phone: string;
	    status: string;
	    follow_up_on: string;
	    history: domain.ReferralChange[];
	    usager_name: string;
	
	    static createFrom(source: any = {}) {
	        return new Item(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.uuid = source["uuid"];
	        this.created_at = this.convertValues(source["created_at"], null);
	        this.sheet_uuid = source["sheet_uuid"];
	        this.usager_uuid = source["usager_uuid"];
	        this.interview_uuid = source["interview_uuid"];
	        this.service_uuid = source["service_uuid"];
	        this.service_name = source["service_name"];
	        this.service_id = source["service_id"];
	        this.need = source["need"];
	        this.message = source["message"];
	        this.include_health = source["include_health"];
	        this.worker_name = source["worker_name"];
	        this.edas = source["edas"];
	        this.worker_phone = source["worker_phone"];
	        this.status = source["status"];
	        this.follow_up_on = source["follow_up_on"];
	        this.history = this.convertValues(source["history"], domain.ReferralChange);
	        this.usager_name = source["usager_name"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class PrepareInput {
	    usager_uuid: string;
	    interview_uuid: string;
	    service_uuids: string[];
	    message: string;
	    include_health: boolean;
	    follow_up_days: number;
	
	    static createFrom(source: any = {}) {
	        return new PrepareInput(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.usager_uuid = source["usager_uuid"];
	        this.interview_uuid = source["interview_uuid"];
	        this.service_uuids = source["service_uuids"];
	        this.message = source["message"];
	        this.include_health = source["include_health"];
	        this.follow_up_days = source["follow_up_days"];
	    }
	}
	export class SheetView {
	    sheet_uuid: string;
	    referrals: Item[];
	    document: sheet.Document;
	
	    static createFrom(source: any = {}) {
	        return new SheetView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.sheet_uuid = source["sheet_uuid"];
	        this.referrals = this.convertValues(source["referrals"], Item);
	        this.document = this.convertValues(source["document"], sheet.Document);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}

}

export namespace sheet {
	
	export class QR {
	    content: string;
	    caption: string;
	
	    static createFrom(source: any = {}) {
	        return new QR(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.content = source["content"];
	        this.caption = source["caption"];
	    }
	}
	export class Block {
	    kind: string;
	    gap?: number;
	    text?: string;
	    label?: string;
	    lines?: string[];
	    size?: number;
	    bold?: boolean;
	    muted?: boolean;
	    qrs?: QR[];
	    qr_size?: number;
	    keep_together?: boolean;
	    blocks?: Block[];
	
	    static createFrom(source: any = {}) {
	        return new Block(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.kind = source["kind"];
	        this.gap = source["gap"];
	        this.text = source["text"];
	        this.label = source["label"];
	        this.lines = source["lines"];
	        this.size = source["size"];
	        this.bold = source["bold"];
	        this.muted = source["muted"];
	        this.qrs = this.convertValues(source["qrs"], QR);
	        this.qr_size = source["qr_size"];
	        this.keep_together = source["keep_together"];
	        this.blocks = this.convertValues(source["blocks"], Block);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Running {
	    text?: string;
	    size: number;
	    page_numbers?: string;
	
	    static createFrom(source: any = {}) {
	        return new Running(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.text = source["text"];
	        this.size = source["size"];
	        this.page_numbers = source["page_numbers"];
	    }
	}
	export class Page {
	    size: string;
	    width: number;
	    height: number;
	    margin_top: number;
	    margin_right: number;
	    margin_bottom: number;
	    margin_left: number;
	    label_width: number;
	
	    static createFrom(source: any = {}) {
	        return new Page(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.size = source["size"];
	        this.width = source["width"];
	        this.height = source["height"];
	        this.margin_top = source["margin_top"];
	        this.margin_right = source["margin_right"];
	        this.margin_bottom = source["margin_bottom"];
	        this.margin_left = source["margin_left"];
	        this.label_width = source["label_width"];
	    }
	}
	export class Document {
	    title: string;
	    // Go type: time
	    date: any;
	    page: Page;
	    header: Running;
	    footer: Running;
	    blocks: Block[];
	
	    static createFrom(source: any = {}) {
	        return new Document(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.title = source["title"];
	        this.date = this.convertValues(source["date"], null);
	        this.page = this.convertValues(source["page"], Page);
	        this.header = this.convertValues(source["header"], Running);
	        this.footer = this.convertValues(source["footer"], Running);
	        this.blocks = this.convertValues(source["blocks"], Block);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	
	

}

export namespace syncclient {
	
	export class Progress {
	    phase: string;
	    done: number;
	    total: number;
	
	    static createFrom(source: any = {}) {
	        return new Progress(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.phase = source["phase"];
	        this.done = source["done"];
	        this.total = source["total"];
	    }
	}
	export class Report {
	    // Go type: time
	    started_at: any;
	    duration_ms: number;
	    pushed: number;
	    rejected: domain.SyncRejection[];
	    pulled: number;
	    directory: number;
	    grids: number;
	    work: number;
	    removed: number;
	    resynced: boolean;
	    cursor: number;
	    pending: number;
	    error: string;
	    error_code: string;
	
	    static createFrom(source: any = {}) {
	        return new Report(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.started_at = this.convertValues(source["started_at"], null);
	        this.duration_ms = source["duration_ms"];
	        this.pushed = source["pushed"];
	        this.rejected = this.convertValues(source["rejected"], domain.SyncRejection);
	        this.pulled = source["pulled"];
	        this.directory = source["directory"];
	        this.grids = source["grids"];
	        this.work = source["work"];
	        this.removed = source["removed"];
	        this.resynced = source["resynced"];
	        this.cursor = source["cursor"];
	        this.pending = source["pending"];
	        this.error = source["error"];
	        this.error_code = source["error_code"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}

}

export namespace vocab {
	
	export class Category {
	    code: string;
	    label: string;
	    description: string;
	    thematiques: string[];
	
	    static createFrom(source: any = {}) {
	        return new Category(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.code = source["code"];
	        this.label = source["label"];
	        this.description = source["description"];
	        this.thematiques = source["thematiques"];
	    }
	}
	export class Term {
	    value: string;
	    label: string;
	    description?: string;
	
	    static createFrom(source: any = {}) {
	        return new Term(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.value = source["value"];
	        this.label = source["label"];
	        this.description = source["description"];
	    }
	}

}

