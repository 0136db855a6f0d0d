package sqlite

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/edas92/passerelle/internal/datainclusion"
	"github.com/edas92/passerelle/internal/domain"
)

// benchPageServices is the size of a pull page of services: the server's default page.
func benchPageServices() int {
	if raceEnabled {
		return 50
	}
	return 500
}

// BenchmarkApplyPull_Services500 applies a page of 500 services (their structures already
// pulled) into a desk: new on a fresh desk, and a new edition of every one on a desk that holds
// them (each op is one ApplyPull of the whole page).
func BenchmarkApplyPull_Services500(b *testing.B) {
	ctx := context.Background()
	n := benchPageServices()
	batch := demoBatch(n)
	remote := newRemote("serveur", time.Now)
	recs := dirRecords(b, remote, batch)
	structures, services := recs[:len(batch.Structures)], recs[len(batch.Structures):]
	if len(services) != n {
		b.Fatalf("%d services, want %d", len(services), n)
	}
	open := func(b *testing.B) *DB {
		db, err := Open(filepath.Join(b.TempDir(), "bench.db"), Options{})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := db.ApplyPull(ctx, domain.PullResult{Changes: structures, Cursor: int64(len(structures))}); err != nil {
			b.Fatal(err)
		}
		return db
	}

	b.Run("new", func(b *testing.B) {
		for b.Loop() {
			b.StopTimer()
			db := open(b)
			b.StartTimer()
			res, err := db.ApplyPull(ctx, domain.PullResult{Changes: services, Cursor: int64(len(recs))})
			if err != nil {
				b.Fatal(err)
			}
			b.StopTimer()
			if res.Directory != n {
				b.Fatalf("applied = %+v, want %d services written", res, n)
			}
			db.Close()
			b.StartTimer()
		}
		b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "services/s")
	})

	b.Run("updated", func(b *testing.B) {
		db := open(b)
		defer db.Close()
		if _, err := db.ApplyPull(ctx, domain.PullResult{Changes: services, Cursor: int64(len(recs))}); err != nil {
			b.Fatal(err)
		}
		cursor := int64(len(recs))
		edition := 0
		for b.Loop() {
			b.StopTimer()
			edition++
			page := make([]domain.SyncRecord, len(services))
			for i, sv := range batch.Services {
				sv.Description = fmt.Sprintf("Édition %d. %s", edition, sv.Description)
				data, err := encodeDI(datainclusion.EncodeServices, sv)
				if err != nil {
					b.Fatal(err)
				}
				cursor++
				page[i] = domain.SyncRecord{Version: cursor, Kind: domain.KindService, UUID: svUUID(sv),
					Fields: map[string]domain.FieldValue{"data": {V: data, HLC: remote.clock.Now()}}}
			}
			b.StartTimer()
			res, err := db.ApplyPull(ctx, domain.PullResult{Changes: page, Cursor: cursor})
			if err != nil {
				b.Fatal(err)
			}
			if res.Directory != n {
				b.Fatalf("applied = %+v, want %d services written", res, n)
			}
		}
		b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "services/s")
	})
}

// BenchmarkTrack_SaveAnswer is BenchmarkSaveAnswer (same database: benchFiles() files with three
// completed interviews each, all questions answered) on a desk where the existing answers are
// already synced, so that each op pays what tracking adds to SaveAnswer: the answer's mutation,
// and the interview's and the file's when they change. Compare with BenchmarkSaveAnswer run on
// a tree without tracking.
func BenchmarkTrack_SaveAnswer(b *testing.B) {
	ctx := context.Background()
	db, err := Open(filepath.Join(b.TempDir(), "bench.db"), Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	g := benchGrid()
	if _, err := db.SaveGrid(ctx, g, true); err != nil {
		b.Fatal(err)
	}
	fillBenchFiles(b, db, g)
	// fillBenchFiles writes its answers and change-log rows by SQL, as no desk does: track them
	// now, untimed, as the desk would have when they were given, and forget the outbox (sent).
	muts, err := db.Outbox(ctx, 1)
	if err != nil || len(muts) == 0 {
		b.Fatalf("backlog not tracked: %v", err)
	}
	if _, err := db.write.Exec(`DELETE FROM sync_outbox`); err != nil {
		b.Fatal(err)
	}

	u := domain.NewUUID()
	if err := db.CreateUsager(ctx, domain.Usager{Meta: domain.Meta{UUID: u}, DisplayName: "Bench"}); err != nil {
		b.Fatal(err)
	}
	var questions []domain.Answer
	for _, d := range g.Domains {
		for _, q := range d.Questions {
			questions = append(questions, domain.Answer{QuestionID: q.ID, Sensitive: d.Sensitive})
		}
	}
	value := func(i int) domain.AnswerValue {
		switch i % 3 {
		case 0:
			return num(float64(1 + i%5))
		case 1:
			return choices("a", fmt.Sprint(i%7))
		}
		return text(fmt.Sprintf("Réponse libre n°%d, dans les mots de la personne.", i))
	}
	for _, state := range []string{domain.InterviewInProgress, domain.InterviewCompleted} {
		b.Run(state, func(b *testing.B) {
			iv := domain.NewUUID()
			if err := db.StartInterview(ctx, domain.Interview{Meta: domain.Meta{UUID: iv}, UsagerUUID: u,
				GridID: g.ID, GridVersion: g.Version}); err != nil {
				b.Fatal(err)
			}
			if state == domain.InterviewCompleted {
				if _, err := db.CompleteInterview(ctx, iv); err != nil {
					b.Fatal(err)
				}
			}
			before, err := db.SyncState(ctx)
			if err != nil {
				b.Fatal(err)
			}
			i := 0
			for b.Loop() {
				a := questions[i%len(questions)]
				a.InterviewUUID, a.Value = iv, value(i)
				if _, err := db.SaveAnswer(ctx, a, ""); err != nil {
					b.Fatal(err)
				}
				i++
			}
			after, err := db.SyncState(ctx)
			if err != nil {
				b.Fatal(err)
			}
			b.ReportMetric(float64(after.Pending-before.Pending)/float64(b.N), "mutations/op")
		})
	}
}

// BenchmarkApplyPull_Work1000 applies a page of about 1,000 records of a colleague's work (files,
// interviews, answers, a referral each) into a desk of the same EDAS: the pull of an incremental
// sync after a busy day. Each op is one ApplyPull of the whole page into a fresh desk.
func BenchmarkApplyPull_Work1000(b *testing.B) {
	ctx := context.Background()
	clock := &testClock{t: t0}
	a := openTestAt(b, clock)
	srv := newMemServer()
	mustEnrol(b, a, srv.site)
	files := 100
	if raceEnabled {
		files = 10
	}
	for f := range files {
		clock.Advance(time.Second)
		u := mustUsager(b, a, fmt.Sprintf("Personne %d", f))
		iv := mustInterview(b, a, u)
		for _, an := range []domain.Answer{
			{InterviewUUID: iv, QuestionID: "liens-auto", Value: num(3), WorkerRating: domain.Ptr(2)},
			{InterviewUUID: iv, QuestionID: "liens-sorties", Value: choices("marche", "cafe")},
			{InterviewUUID: iv, QuestionID: "liens-isole", Value: text(domain.No)},
			{InterviewUUID: iv, QuestionID: "emploi-situation", Value: text("recherche")},
			{InterviewUUID: iv, QuestionID: "emploi-metier", Value: text("Cuisinier")},
			{InterviewUUID: iv, QuestionID: "sante-auto", Value: num(4), Sensitive: true},
		} {
			mustAnswer(b, a, an)
		}
		mustReferrals(b, a, newReferral(domain.NewUUID(), u, iv, f))
	}
	srv.push(b, a)
	page := srv.changes(0)
	for b.Loop() {
		b.StopTimer()
		desk, err := Open(filepath.Join(b.TempDir(), "bench.db"), Options{Now: clock.Now})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := desk.SaveGrid(ctx, testGrid(1), true); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		res, err := desk.ApplyPull(ctx, domain.PullResult{Changes: page, Cursor: srv.version})
		if err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		if res.Work != len(page) {
			b.Fatalf("applied = %+v, want %d", res, len(page))
		}
		if muts, _ := desk.Outbox(ctx, 1); len(muts) != 0 {
			b.Fatalf("the desk sends back %+v", muts)
		}
		desk.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(len(page)), "records/op")
	b.ReportMetric(float64(len(page)*b.N)/b.Elapsed().Seconds(), "records/s")
}

// BenchmarkApplyPull_FirstSync100k applies a whole directory of benchServices() services and
// their structures to a new desk, in version order (structures first, as the server publishes an
// import): the store's part of a first sync, without the network. Each op is the whole sync into
// a fresh file, in calls of 1,000 records (one page of the protocol a call) or of 5,000 (the
// pages the client already has, applied together).
func BenchmarkApplyPull_FirstSync100k(b *testing.B) {
	ctx := context.Background()
	batch := benchBatch(b)
	remote := newRemote("serveur", time.Now)
	recs := dirRecords(b, remote, batch)
	for i := range recs {
		recs[i].Version = int64(i + 1)
	}
	for _, perCall := range []int{1000, 5000} {
		b.Run(fmt.Sprintf("calls_of_%d", perCall), func(b *testing.B) {
			for b.Loop() {
				b.StopTimer()
				db := benchOpen(b)
				mustEnrol(b, db, "site-a")
				b.StartTimer()
				written := 0
				for start := 0; start < len(recs); start += perCall {
					end := min(start+perCall, len(recs))
					res, err := db.ApplyPull(ctx, domain.PullResult{Changes: recs[start:end], Cursor: int64(end),
						More: end < len(recs)})
					if err != nil {
						b.Fatal(err)
					}
					written += res.Directory
				}
				b.StopTimer()
				if written != len(recs) {
					b.Fatalf("%d directory records written, want %d", written, len(recs))
				}
				if err := db.Close(); err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
			}
			b.ReportMetric(float64(len(recs)), "records/op")
			b.ReportMetric(float64(len(recs)*b.N)/b.Elapsed().Seconds(), "records/s")
		})
	}
}
