package sqlite

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"golang.org/x/time/rate"

	"github.com/edas92/passerelle/internal/datainclusion"
	"github.com/edas92/passerelle/internal/domain"
	"github.com/edas92/passerelle/internal/syncserver"
)

// syncEnv is the real sync server (syncserver on a SQLite server store) behind a real HTTP
// server on loopback, with desks that push and pull through it. The desk's HTTP client is
// written elsewhere (internal/syncclient); the loop here is the least that drives the protocol.
type syncEnv struct {
	t     fataler
	store *ServerDB
	srv   *syncserver.Server
	url   string
	clock *testClock
	page  int // pull page size
}

// fataler is what the sync helpers need of a test: a *testing.T or a *rapid.T.
type fataler interface {
	Helper()
	Fatal(args ...any)
	Fatalf(format string, args ...any)
}

func newSyncEnv(t testing.TB, clock *testClock) *syncEnv {
	t.Helper()
	e, stop := startSyncEnv(t, t.TempDir(), clock)
	t.Cleanup(stop)
	return e
}

// startSyncEnv starts a server whose store lives in dir; stop shuts it down.
func startSyncEnv(t fataler, dir string, clock *testClock) (*syncEnv, func()) {
	t.Helper()
	store, err := OpenServer(filepath.Join(dir, "serveur.db"), ServerOptions{Now: clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	srv := syncserver.New(store, syncserver.Options{Now: clock.Now, DeviceRate: rate.Inf, EnrolRate: rate.Inf})
	hs := httptest.NewServer(srv.Handler())
	stop := func() {
		hs.Close()
		if err := store.Close(); err != nil {
			t.Fatal(err)
		}
	}
	return &syncEnv{t: t, store: store, srv: srv, url: hs.URL, clock: clock, page: 50}, stop
}

func (e *syncEnv) site(name string) domain.Site {
	e.t.Helper()
	s, err := e.srv.AddSite(context.Background(), name)
	if err != nil {
		e.t.Fatal(err)
	}
	return s
}

// call sends a JSON request and decodes a 200 answer into out; it returns the status and body.
func (e *syncEnv) call(method, path, token string, body, out any) (int, []byte) {
	e.t.Helper()
	var r io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			e.t.Fatal(err)
		}
		r = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, e.url+path, r)
	if err != nil {
		e.t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		e.t.Fatal(err)
	}
	if resp.StatusCode == http.StatusOK && out != nil {
		if err := json.Unmarshal(b, out); err != nil {
			e.t.Fatalf("%s %s: %v in %s", method, path, err, b)
		}
	}
	return resp.StatusCode, b
}

// enrol enrols a desk for a site through the API, as a worker would with a printed code.
func (e *syncEnv) enrol(db *DB, site domain.Site, name string) {
	e.t.Helper()
	code, _, err := e.srv.NewEnrolment(context.Background(), site.ID)
	if err != nil {
		e.t.Fatal(err)
	}
	var resp syncserver.EnrollResponse
	if st, b := e.call(http.MethodPost, "/api/v1/enroll", "", map[string]string{"code": code, "device_name": name}, &resp); st != http.StatusOK {
		e.t.Fatalf("enrol: %d %s", st, b)
	}
	if err := db.Enrol(context.Background(), domain.DeskEnrolment{ServerURL: e.url, Token: resp.Token, DeviceID: resp.DeviceID,
		SiteID: resp.SiteID, SiteName: resp.SiteName}); err != nil {
		e.t.Fatal(err)
	}
}

// sync pushes a desk's outbox, then pulls until the server has nothing more; it returns the
// rejections the server reported.
func (e *syncEnv) sync(db *DB) []domain.MutationRejection {
	e.t.Helper()
	ctx := context.Background()
	token, err := db.SyncToken(ctx)
	if err != nil || token == "" {
		e.t.Fatalf("SyncToken = %q, %v", token, err)
	}
	var rejected []domain.MutationRejection
	for {
		muts, err := db.Outbox(ctx, 100)
		if err != nil {
			e.t.Fatal(err)
		}
		if len(muts) == 0 {
			break
		}
		var res domain.PushResult
		if st, b := e.call(http.MethodPost, "/api/v1/push", token, map[string]any{"mutations": muts}, &res); st != http.StatusOK {
			e.t.Fatalf("push: %d %s", st, b)
		}
		if err := db.Acknowledge(ctx, res.AppliedThrough, res.Rejected); err != nil {
			e.t.Fatal(err)
		}
		rejected = append(rejected, res.Rejected...)
	}
	for {
		st, err := db.SyncState(ctx)
		if err != nil {
			e.t.Fatal(err)
		}
		q := url.Values{"cursor": {strconv.FormatInt(st.Cursor, 10)}, "limit": {strconv.Itoa(e.page)}}
		var page domain.PullResult
		code, b := e.call(http.MethodGet, "/api/v1/pull?"+q.Encode(), token, nil, &page)
		if code == http.StatusGone {
			if err := db.ResetCursor(ctx); err != nil {
				e.t.Fatal(err)
			}
			continue
		}
		if code != http.StatusOK {
			e.t.Fatalf("pull: %d %s", code, b)
		}
		if _, err := db.ApplyPull(ctx, page); err != nil {
			e.t.Fatal(err)
		}
		if !page.More {
			break
		}
	}
	if err := db.RecordSync(ctx, e.clock.Now(), ""); err != nil {
		e.t.Fatal(err)
	}
	return rejected
}

// importDirectory publishes a directory on the server, as `passerelle-server import` does.
func (e *syncEnv) importDirectory(b domain.ImportBatch) {
	e.t.Helper()
	var sts, svs bytes.Buffer
	if err := datainclusion.EncodeStructures(&sts, b.Structures); err != nil {
		e.t.Fatal(err)
	}
	if err := datainclusion.EncodeServices(&svs, b.Services); err != nil {
		e.t.Fatal(err)
	}
	rep, err := e.srv.ImportDirectory(context.Background(), []syncserver.ImportFile{
		syncserver.FileBytes("structures.json", sts.Bytes()), syncserver.FileBytes("services.json", svs.Bytes())},
		datainclusion.FormatDIJSON)
	if err != nil || len(rep.Rejected) > 0 {
		e.t.Fatalf("import = %+v, %v", rep, err)
	}
}

// TestDB_Sync_RoundTrip runs desks of two EDAS through the real server: the work of one desk
// reaches its colleague's desk exactly, never the other EDAS; the directory imported on the
// server reaches every desk; a proposal made on a desk is accepted by the curators and comes back
// as directory data; a « signaler une erreur » reaches the curators.
func TestDB_Sync_RoundTrip(t *testing.T) {
	t.Parallel()
	clock := &testClock{t: t0}
	env := newSyncEnv(t, clock)
	ctx := context.Background()
	issy, nanterre := env.site("EDAS Issy-les-Moulineaux–Vanves"), env.site("EDAS Nanterre")
	dir := demoBatch(30)
	env.importDirectory(dir)

	a, a2, b := openTestAt(t, clock), openTestAt(t, clock), openTestAt(t, clock)
	// Desk A worked before it was enrolled: that goes at the enrolment.
	u := mustUsager(t, a, "Camille")
	env.enrol(a, issy, "Poste A")
	env.enrol(a2, issy, "Poste A2")
	env.enrol(b, nanterre, "Poste B")

	env.sync(a) // the directory first: the worker ticks services of it
	service := svUUID(dir.Services[3])
	clock.Advance(time.Minute)
	iv := mustInterview(t, a, u)
	for _, an := range []domain.Answer{
		{InterviewUUID: iv, QuestionID: "liens-auto", Value: num(3), WorkerRating: domain.Ptr(2)},
		{InterviewUUID: iv, QuestionID: "liens-sorties", Value: choices("marche", "cafe")},
		{InterviewUUID: iv, QuestionID: "emploi-metier", Value: text("Cuisinier")},
		{InterviewUUID: iv, QuestionID: "sante-suivi", Value: text(domain.No), Sensitive: true},
	} {
		mustAnswer(t, a, an)
	}
	if err := a.SetSelection(ctx, domain.Selection{InterviewUUID: iv, ServiceUUID: service, Why: "Proche", Domain: "liens"}, true); err != nil {
		t.Fatal(err)
	}
	sheet := domain.NewUUID()
	r1, r2 := newReferral(sheet, u, iv, 1), newReferral(sheet, u, iv, 2)
	r1.ServiceUUID, r2.ServiceUUID = service, svUUID(dir.Services[4])
	mustReferrals(t, a, r1, r2)
	mustStatus(t, a, r1.UUID, domain.ReferralGiven)
	if err := a.SetNextContact(ctx, iv, "2026-04-02"); err != nil {
		t.Fatal(err)
	}
	if err := a.ReportDirectoryError(ctx, service, "Le numéro de téléphone ne répond plus."); err != nil {
		t.Fatal(err)
	}
	st, sv := proposal()
	if err := a.CreateProposal(ctx, st, sv); err != nil {
		t.Fatal(err)
	}

	for _, d := range []*DB{a, a2, b} {
		if rej := env.sync(d); len(rej) > 0 {
			t.Fatalf("rejected: %+v", rej)
		}
	}

	t.Run("the colleague's desk holds the same", func(t *testing.T) {
		wantSameWork(t, a, a2, u)
		w := readWork(t, a2, u)
		if len(w.Answers[iv]) != 4 || len(w.Selections[iv]) != 1 || len(w.Referrals) != 2 || len(w.Referrals[0].History)+len(w.Referrals[1].History) != 3 {
			t.Fatalf("work on A2 = %+v", w)
		}
		list, err := a2.Usagers(ctx, "")
		if err != nil || len(list) != 1 || list[0].NextContact != "2026-04-02" {
			t.Fatalf("Usagers on A2 = %+v, %v", list, err)
		}
		sheetA, _ := a.Sheet(ctx, sheet)
		sheetA2, err := a2.Sheet(ctx, sheet)
		if err != nil || len(sheetA2) != 2 || sheetA2[0].UUID != sheetA[0].UUID || sheetA2[1].UUID != sheetA[1].UUID {
			t.Fatalf("sheet on A2 = %+v, %v", sheetA2, err)
		}
	})
	t.Run("another EDAS sees none of it", func(t *testing.T) {
		if list, err := b.Usagers(ctx, ""); err != nil || len(list) != 0 {
			t.Fatalf("Usagers on B = %+v, %v", list, err)
		}
		if n := count(t, b, "sync_record", "kind IN ("+workKindsSQL+")"); n != 0 {
			t.Fatalf("B knows %d records of another EDAS's work", n)
		}
		for _, table := range []string{"interview", "answer", "answer_sensitive", "selection", "referral", "referral_event"} {
			if n := count(t, b, table, ""); n != 0 {
				t.Fatalf("B has %d rows in %s", n, table)
			}
		}
	})
	t.Run("the directory reached every desk", func(t *testing.T) {
		for name, d := range map[string]*DB{"A2": a2, "B": b} {
			sts, svs, err := d.LoadDirectory(ctx)
			if err != nil || len(sts) != len(dir.Structures) || len(svs) != len(dir.Services) {
				t.Fatalf("%s: LoadDirectory = %d structures, %d services, %v; want %d, %d", name, len(sts), len(svs), err,
					len(dir.Structures), len(dir.Services))
			}
		}
	})
	t.Run("suggestions reach the curators", func(t *testing.T) {
		sgs, err := env.srv.Suggestions(ctx, "")
		if err != nil || len(sgs) != 2 {
			t.Fatalf("suggestions = %+v, %v", sgs, err)
		}
		var corr, prop domain.CuratorSuggestion
		for _, sg := range sgs {
			switch sg.Type {
			case "correction":
				corr = sg
			case "proposition":
				prop = sg
			}
		}
		var named map[string]string
		if err := json.Unmarshal(corr.Service, &named); err != nil || named["id"] != dir.Services[3].ID ||
			named["nom"] != dir.Services[3].Nom || corr.Message != "Le numéro de téléphone ne répond plus." || corr.SiteID != issy.ID {
			t.Fatalf("correction = %+v (%v)", corr, err)
		}
		_, counts, err := env.srv.Accept(ctx, prop.UUID)
		if err != nil || counts.Imported != 2 {
			t.Fatalf("Accept = %+v, %v", counts, err)
		}
		for _, d := range []*DB{a, a2, b} {
			env.sync(d)
			got, err := d.Service(ctx, sv.UUID)
			if err != nil || got.Nom != sv.Nom || got.Origin != domain.OriginImport || got.DeletedAt != nil {
				t.Fatalf("accepted proposal on a desk = %+v, %v", got, err)
			}
		}
	})
	t.Run("changes from the colleague come back", func(t *testing.T) {
		clock.Advance(time.Hour)
		mustAnswer(t, a2, domain.Answer{InterviewUUID: iv, QuestionID: "liens-auto", Value: num(5), WorkerRating: domain.Ptr(4)})
		if _, err := a2.SetReferralStatus(ctx, r1.UUID, domain.ReferralChange{Status: domain.ReferralDone, Note: "Très contente"}); err != nil {
			t.Fatal(err)
		}
		env.sync(a2)
		env.sync(a)
		wantSameWork(t, a, a2, u)
		for _, d := range []*DB{a, a2, b} {
			env.sync(d)
			if muts := outbox(t, d); len(muts) != 0 {
				t.Fatalf("outbox after syncing = %+v", summarize(muts))
			}
		}
	})
	t.Run("erased on one desk, erased on the other", func(t *testing.T) {
		clock.Advance(time.Hour)
		if err := a2.DeleteUsager(ctx, u); err != nil {
			t.Fatal(err)
		}
		env.sync(a2)
		env.sync(a)
		if _, err := a.Usager(ctx, u); domain.ErrorCode(err) != domain.ENOTFOUND {
			t.Fatalf("erased file on A: %v", err)
		}
		wantSameWork(t, a, a2, u)
		env.sync(a)
		if muts := outbox(t, a); len(muts) != 0 {
			t.Fatalf("A sends back %+v", summarize(muts))
		}
	})
}

// proposal returns an initiative proposed on a desk, as internal/directory builds it: a valid
// data·inclusion structure and service of the local source.
func proposal() (domain.Structure, domain.Service) {
	st := domain.Structure{Source: domain.LocalSource, Nom: "Jardin des Hauts", DateMaj: "2026-03-01",
		CodeInsee: domain.Ptr("92040"), Commune: domain.Ptr("Issy-les-Moulineaux"), Adresse: domain.Ptr("3 rue des Lilas")}
	st.UUID = domain.NewUUID()
	st.ID = domain.LocalID(st.UUID)
	st.Origin = domain.OriginProposal
	sv := domain.Service{Source: domain.LocalSource, StructureID: st.ID, Nom: "Jardin partagé des Hauts",
		Description: "Un jardin ouvert à tous, le samedi.", DateMaj: "2026-03-01", Categorie: "jardin-partage",
		Thematiques: []string{"remobilisation--lien-social"}, Publics: []string{"tous-publics"}, ModesAccueil: []string{"en-presentiel"}}
	sv.UUID = domain.NewUUID()
	sv.ID = domain.LocalID(sv.UUID)
	sv.Origin = domain.OriginProposal
	return st, sv
}

// TestDB_ReportDirectoryError checks the errors of « signaler une erreur » and what it queues.
func TestDB_ReportDirectoryError(t *testing.T) {
	t.Parallel()
	db, _ := openTest(t)
	ctx := context.Background()
	b := demoBatch(2)
	mustImport(t, db, b)
	sv := b.Services[0]
	for _, c := range []struct {
		name, service, message, code string
	}{
		{"empty", svUUID(sv), "  \n", domain.EINVALID},
		{"too long", svUUID(sv), string(bytes.Repeat([]byte("é"), maxReportRunes+1)), domain.EINVALID},
		{"unknown service", domain.NewUUID(), "Fermé", domain.ENOTFOUND},
	} {
		t.Run(c.name, func(t *testing.T) {
			wantCode(t, db.ReportDirectoryError(ctx, c.service, c.message), c.code)
		})
	}
	if _, err := db.SetNote(ctx, svUUID(sv), "Note privée"); err != nil {
		t.Fatal(err)
	}
	if err := db.ReportDirectoryError(ctx, svUUID(sv), " Fermé le lundi. "); err != nil {
		t.Fatal(err)
	}
	muts := outbox(t, db)
	wantMuts(t, muts, up("suggestion", "message,service,type"))
	var typ, msg string
	var service map[string]string
	field(t, muts[0], "type", &typ)
	field(t, muts[0], "message", &msg)
	field(t, muts[0], "service", &service)
	if typ != "correction" || msg != "Fermé le lundi." || service["id"] != sv.ID || service["nom"] != sv.Nom || len(service) != 2 {
		t.Fatalf("suggestion = %s %q %v", typ, msg, service)
	}
	if bytes.Contains([]byte(fmt.Sprint(muts[0].Fields)), []byte("Note privée")) {
		t.Fatal("the worker's note travels")
	}
}
