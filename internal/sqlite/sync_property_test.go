package sqlite

import (
	"context"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"pgregory.net/rapid"

	"github.com/edas92/passerelle/internal/domain"
)

// propDesk is a desk of the property test.
type propDesk struct {
	db   *DB
	site int
	name string
}

// propState is what the desks of the property test made, per site.
type propState struct {
	usagers    [2][]string
	interviews [2][]string
	referrals  [2][]string
	services   []string
}

// siteView is a desk's view of its site's work, through the public reads: what the desks of a
// site must agree on once synced. The answers' history is the desk's own record of corrections
// it saw (not synced data), and selections made in the same millisecond list in the order each
// desk stored them: both are left out or put in order.
type siteView struct {
	Usagers   []domain.UsagerSummary
	Work      map[string]workOf
	Referrals map[string]domain.Referral
	Conflicts map[string][]domain.ConflictingAnswer
}

func viewOf(db *DB, st *propState, site int) (siteView, error) {
	ctx := context.Background()
	v := siteView{Work: map[string]workOf{}, Referrals: map[string]domain.Referral{}, Conflicts: map[string][]domain.ConflictingAnswer{}}
	var err error
	if v.Usagers, err = db.Usagers(ctx, ""); err != nil {
		return v, err
	}
	for _, u := range st.usagers[site] {
		w, err := snapshotWork(db, u)
		if err != nil {
			return v, err
		}
		w.History = nil
		for iv, sels := range w.Selections {
			slices.SortFunc(sels, func(a, b domain.Selection) int { return strings.Compare(a.ServiceUUID, b.ServiceUUID) })
			w.Selections[iv] = sels
		}
		v.Work[u] = w
	}
	for _, r := range st.referrals[site] {
		got, err := db.Referral(ctx, r)
		if domain.ErrorCode(err) == domain.ENOTFOUND {
			continue // never reached this desk: the same as gone
		} else if err != nil {
			return v, err
		}
		got.UpdatedAt = time.Time{}
		v.Referrals[r] = got
	}
	for _, iv := range st.interviews[site] {
		cs, err := db.AnswerConflicts(ctx, iv)
		if err != nil && domain.ErrorCode(err) != domain.ENOTFOUND {
			return v, err
		}
		if len(cs) > 0 {
			v.Conflicts[iv] = cs
		}
	}
	return v, nil
}

// propQuestions are the questions the property test answers, with their sensitivity.
var propQuestions = []struct {
	id        string
	sensitive bool
}{{"liens-auto", false}, {"emploi-metier", false}, {"sante-suivi", true}}

// tolerated are the refusals a random step may meet (a move the referral's status does not
// allow, an interview already completed): they must change nothing.
func tolerated(err error) bool {
	code := domain.ErrorCode(err)
	return err == nil || code == domain.ECONFLICT || code == domain.ENOTFOUND
}

// step makes one random change on a desk, among the records that desk holds.
func step(t *rapid.T, env *syncEnv, d *propDesk, st *propState) {
	ctx := context.Background()
	db := d.db
	list, err := db.Usagers(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	pickUsager := func() (string, bool) {
		if len(list) == 0 {
			return "", false
		}
		return list[rapid.IntRange(0, len(list)-1).Draw(t, "usager")].UUID, true
	}
	pickInterview := func() (string, string, bool) {
		u, ok := pickUsager()
		if !ok {
			return "", "", false
		}
		ivs, err := db.InterviewsOf(ctx, u)
		if err != nil {
			t.Fatal(err)
		}
		if len(ivs) == 0 {
			return "", "", false
		}
		return u, ivs[rapid.IntRange(0, len(ivs)-1).Draw(t, "interview")].UUID, true
	}
	var werr error
	switch op := rapid.IntRange(0, 10).Draw(t, "op"); op {
	case 0:
		u := newUsager(rapid.SampledFrom([]string{"Camille", "Dominique", "Alix"}).Draw(t, "name"))
		if werr = db.CreateUsager(ctx, u); werr == nil {
			st.usagers[d.site] = append(st.usagers[d.site], u.UUID)
		}
	case 1:
		if u, ok := pickUsager(); ok {
			v, err := db.Usager(ctx, u)
			if err != nil {
				t.Fatal(err)
			}
			v.Commune = rapid.SampledFrom([]string{"92040", "92075", "92050"}).Draw(t, "commune")
			v.Notes = rapid.SampledFrom([]string{"", "Rappeler", "Vu au guichet"}).Draw(t, "notes")
			werr = db.UpdateUsager(ctx, v)
		}
	case 2:
		if u, ok := pickUsager(); ok {
			iv := domain.NewUUID()
			werr = db.StartInterview(ctx, domain.Interview{Meta: domain.Meta{UUID: iv}, UsagerUUID: u, GridID: testGridID, GridVersion: 1})
			if werr == nil {
				st.interviews[d.site] = append(st.interviews[d.site], iv)
			}
		}
	case 3, 4:
		if _, iv, ok := pickInterview(); ok {
			q := rapid.SampledFrom(propQuestions).Draw(t, "question")
			a := domain.Answer{InterviewUUID: iv, QuestionID: q.id, Sensitive: q.sensitive}
			switch rapid.IntRange(0, 3).Draw(t, "value") {
			case 0: // cleared
			case 1:
				a.Value = text(domain.Yes)
			case 2:
				a.Value = text(domain.No)
			default:
				a.Value = text("Cuisinier")
			}
			if q.id == "liens-auto" && !a.Value.IsZero() {
				a.Value = num(float64(rapid.IntRange(1, 3).Draw(t, "number")))
			}
			_, werr = db.SaveAnswer(ctx, a, "")
		}
	case 5:
		if _, iv, ok := pickInterview(); ok {
			sv := rapid.SampledFrom(st.services).Draw(t, "service")
			werr = db.SetSelection(ctx, domain.Selection{InterviewUUID: iv, ServiceUUID: sv, Why: "Proche"},
				rapid.Bool().Draw(t, "selected"))
		}
	case 6:
		if _, iv, ok := pickInterview(); ok {
			_, werr = db.CompleteInterview(ctx, iv)
		}
	case 7:
		if u, iv, ok := pickInterview(); ok {
			r := newReferral(domain.NewUUID(), u, iv, 1)
			r.ServiceUUID = st.services[0]
			if werr = db.CreateReferrals(ctx, []domain.Referral{r}); werr == nil {
				st.referrals[d.site] = append(st.referrals[d.site], r.UUID)
			}
		}
	case 8:
		if rs := st.referrals[d.site]; len(rs) > 0 {
			r := rapid.SampledFrom(rs).Draw(t, "referral")
			status := rapid.SampledFrom([]string{domain.ReferralGiven, domain.ReferralDone, domain.ReferralCancelled}).Draw(t, "status")
			_, werr = db.SetReferralStatus(ctx, r, domain.ReferralChange{Status: status, Note: "Suivi " + d.name})
		}
	case 9:
		if u, ok := pickUsager(); ok && rapid.IntRange(0, 2).Draw(t, "erase") == 0 {
			werr = db.DeleteUsager(ctx, u)
		}
	case 10:
		if rej := env.sync(db); len(rej) > 0 {
			t.Fatalf("%s: rejected %+v", d.name, rej)
		}
	}
	if !tolerated(werr) {
		t.Fatalf("%s: %v", d.name, werr)
	}
}

// TestSync_Convergence is the property of the protocol on the desk's side: desks of two EDAS
// make random changes offline and sync now and then through the real server; once every desk
// has synced twice, the desks of an EDAS show the same work, with the same conflicts, no desk
// holds the other EDAS's files, nothing was refused, and a third sync has nothing left to send.
func TestSync_Convergence(t *testing.T) {
	if raceEnabled {
		// The race detector makes SQLite about 45 times slower: a few cases only.
		if err := flag.Set("rapid.checks", "3"); err != nil {
			t.Fatal(err)
		}
	}
	maxSteps := 40
	if raceEnabled {
		maxSteps = 15
	}
	rapid.Check(t, func(t *rapid.T) {
		dir, err := os.MkdirTemp("", "passerelle-sync-")
		if err != nil {
			t.Fatal(err)
		}
		defer os.RemoveAll(dir)
		clock := &testClock{t: t0}
		env, stop := startSyncEnv(t, dir, clock)
		defer stop()
		sites := []domain.Site{env.site("EDAS 1"), env.site("EDAS 2")}
		desks := []*propDesk{{site: 0, name: "A1"}, {site: 0, name: "A2"}, {site: 1, name: "B1"}}
		for _, d := range desks {
			db, err := Open(filepath.Join(dir, d.name+".db"), Options{Now: clock.Now})
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			if _, err := db.SaveGrid(context.Background(), testGrid(1), true); err != nil {
				t.Fatal(err)
			}
			d.db = db
			env.enrol(db, sites[d.site], d.name)
		}
		st := &propState{services: []string{domain.NewUUID(), domain.NewUUID()}}

		for range rapid.IntRange(1, maxSteps).Draw(t, "steps") {
			clock.Advance(time.Duration(rapid.IntRange(0, 3).Draw(t, "advance")) * time.Millisecond)
			step(t, env, rapid.SampledFrom(desks).Draw(t, "desk"), st)
		}

		check := func(when string) {
			for site := range 2 {
				var first siteView
				for i, d := range desks {
					if d.site != site {
						continue
					}
					v, err := viewOf(d.db, st, site)
					if err != nil {
						t.Fatalf("%s: %v", d.name, err)
					}
					if i == 0 || (site == 1 && d.name == "B1") {
						first = v
						continue
					}
					if !reflect.DeepEqual(v, first) {
						t.Fatalf("%s: desks of EDAS %d differ:\n  %+v\n  %+v", when, site+1, first, v)
					}
				}
			}
			// No desk holds a file of the other EDAS.
			for _, d := range desks {
				for _, u := range st.usagers[1-d.site] {
					if _, err := d.db.Usager(context.Background(), u); domain.ErrorCode(err) != domain.ENOTFOUND {
						t.Fatalf("%s holds file %s of the other EDAS (%v)", d.name, u, err)
					}
					var n int
					if err := d.db.read.QueryRow(`SELECT count(*) FROM usager WHERE uuid = ?`, u).Scan(&n); err != nil || n != 0 {
						t.Fatalf("%s has a row of file %s of the other EDAS (%v)", d.name, u, err)
					}
				}
			}
		}
		for round := range 2 {
			for _, d := range desks {
				if rej := env.sync(d.db); len(rej) > 0 {
					t.Fatalf("round %d, %s: rejected %+v", round, d.name, rej)
				}
			}
		}
		check("after two syncs")
		for _, d := range desks {
			env.sync(d.db)
		}
		for _, d := range desks {
			if muts := outbox(t, d.db); len(muts) != 0 {
				t.Fatalf("%s still sends %+v after three syncs", d.name, summarize(muts))
			}
		}
		check("after three syncs")
	})
}
