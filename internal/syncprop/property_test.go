// Package syncprop holds the sync protocol's system property test: real desks (SQLite files and
// the real sync client) of two EDAS, the real passerelle-server process, and a loopback proxy
// that breaks the network on purpose. It has no code of its own.
package syncprop

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"maps"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"pgregory.net/rapid"

	"github.com/edas92/passerelle/internal/chaosproxy"
	"github.com/edas92/passerelle/internal/domain"
	"github.com/edas92/passerelle/internal/grid"
	"github.com/edas92/passerelle/internal/sqlite"
	"github.com/edas92/passerelle/internal/syncclient"
)

// serverBin is the passerelle-server binary TestMain builds.
var serverBin string

func TestMain(m *testing.M) {
	flag.Parse()
	// Each check starts a server process and runs a few dozen syncs: a handful of checks is
	// what CI can afford. -rapid.checks on the command line asks for more.
	if f := flag.Lookup("rapid.checks"); f != nil && f.Value.String() == f.DefValue {
		checks := "20"
		if raceEnabled {
			checks = "6"
		}
		_ = flag.Set("rapid.checks", checks)
	}
	dir, err := os.MkdirTemp("", "syncprop-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	serverBin = filepath.Join(dir, "passerelle-server")
	build := exec.Command("go", "build", "-o", serverBin, "github.com/edas92/passerelle/cmd/passerelle-server")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "build passerelle-server:", err)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// server is a passerelle-server process on a data folder.
type server struct {
	t    rapid.TB
	dir  string
	cmd  *exec.Cmd
	addr string // host:port it listens on
	logs *os.File
}

func startServer(t rapid.TB, dir string) *server {
	t.Helper()
	s := &server{t: t, dir: dir}
	s.start()
	return s
}

// start runs `serve` and waits for its ready line.
func (s *server) start() {
	s.t.Helper()
	logs, err := os.OpenFile(filepath.Join(s.dir, "serve.log"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		s.t.Fatal(err)
	}
	cmd := exec.Command(serverBin, "serve", "--addr", "127.0.0.1:0", "--data-dir", s.dir, "--log-level", "warn")
	cmd.Stderr = logs
	out, err := cmd.StdoutPipe()
	if err != nil {
		s.t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		s.t.Fatal(err)
	}
	ready := make(chan string, 1)
	go func() {
		line, _ := bufio.NewReader(out).ReadString('\n')
		ready <- line
		_, _ = io.Copy(io.Discard, out)
	}()
	select {
	case line := <-ready:
		i := strings.LastIndex(line, "http://")
		if i < 0 {
			_ = cmd.Process.Kill()
			s.t.Fatalf("passerelle-server did not say where it listens: %q", line)
		}
		s.addr = strings.TrimSpace(line[i+len("http://"):])
	case <-time.After(30 * time.Second):
		_ = cmd.Process.Kill()
		s.t.Fatal("passerelle-server did not start in 30 s")
	}
	s.cmd, s.logs = cmd, logs
}

// kill stops the process with SIGKILL: no shutdown, no flush, as a power cut would.
func (s *server) kill() {
	_ = s.cmd.Process.Kill()
	_ = s.cmd.Wait()
	_ = s.logs.Close()
}

// admin runs an administration command with --json and decodes its output.
func (s *server) admin(out any, args ...string) {
	s.t.Helper()
	cmd := exec.Command(serverBin, append(args, "--json", "--data-dir", s.dir)...)
	b, err := cmd.Output()
	if err != nil {
		s.t.Fatalf("passerelle-server %s: %v %s", strings.Join(args, " "), err, b)
	}
	if err := json.Unmarshal(b, out); err != nil {
		s.t.Fatalf("passerelle-server %s: %v in %s", strings.Join(args, " "), err, b)
	}
}

// desk is one desk: its own SQLite file and the real sync client, reaching the server through
// the proxy.
type desk struct {
	name   string
	site   string
	db     *sqlite.DB
	client *syncclient.Client
}

// sleepShort stands for the client's waits (429 Retry-After): a property run cannot wait
// minutes, and a sync that gives up is only retried later, like any failed sync.
func sleepShort(ctx context.Context, d time.Duration) error {
	select {
	case <-time.After(min(d, 200*time.Millisecond)):
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func newDesk(t rapid.TB, srv *server, proxyURL, dir, name, siteID string) *desk {
	t.Helper()
	db, err := sqlite.Open(filepath.Join(dir, name+".db"), sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var code struct {
		Code string `json:"code"`
	}
	srv.admin(&code, "enroll", "--site", siteID)
	ctx := context.Background()
	hc := &http.Client{Timeout: 10 * time.Second}
	// Enrolment goes straight to the server: the code is single-use, and a lost answer would
	// spend it (a worker would ask for another code; the test has no worker).
	enr, err := syncclient.Enroll(ctx, "http://"+srv.addr, code.Code, name, syncclient.EnrollOptions{HTTPClient: hc})
	if err != nil {
		t.Fatalf("enrol %s: %v", name, err)
	}
	enr.ServerURL = proxyURL
	if err := db.Enrol(ctx, enr); err != nil {
		t.Fatal(err)
	}
	if _, err := db.SaveGrid(ctx, grid.Default(), true); err != nil {
		t.Fatal(err)
	}
	return &desk{name: name, site: siteID, db: db,
		client: syncclient.New(db, syncclient.ClientOptions{HTTPClient: hc, Sleep: sleepShort, BatchSize: 7, PageSize: 5})}
}

// scaleQuestions are the self-assessment questions of the default grid answered by the test
// (numbers 1 to 5), in two domains.
var scaleQuestions = []string{"situation-auto", "liens-auto"}

// deskInterviews lists the live interviews a desk holds.
func deskInterviews(t rapid.TB, d *desk) []string {
	t.Helper()
	ctx := context.Background()
	list, err := d.db.Usagers(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, u := range list {
		ivs, err := d.db.InterviewsOf(ctx, u.UUID)
		if err != nil {
			t.Fatal(err)
		}
		for _, iv := range ivs {
			out = append(out, iv.UUID)
		}
	}
	return out
}

// deskAnswers returns a desk's answers by "interview:question", each as "value|conflicting
// values" (sorted).
func deskAnswers(t rapid.TB, d *desk) map[string]string {
	t.Helper()
	ctx := context.Background()
	out := map[string]string{}
	for _, iv := range deskInterviews(t, d) {
		answers, err := d.db.Answers(ctx, iv, true)
		if err != nil {
			t.Fatal(err)
		}
		conflicts, err := d.db.AnswerConflicts(ctx, iv)
		if err != nil {
			t.Fatal(err)
		}
		others := map[string][]string{}
		for _, c := range conflicts {
			others[c.QuestionID] = append(others[c.QuestionID], numberOf(c.Value))
		}
		for _, a := range answers {
			o := others[a.QuestionID]
			slices.Sort(o)
			out[iv+":"+a.QuestionID] = numberOf(a.Value) + "|" + strings.Join(o, ",")
		}
	}
	return out
}

func numberOf(v domain.AnswerValue) string {
	if v.Number == nil {
		return "-"
	}
	return fmt.Sprintf("%g", *v.Number)
}

// write is one change a desk's database acknowledged: the model of what must survive.
type write struct {
	usager string
	field  string // "display_name", "notes", "commune" or "deleted"
	value  string
}

// fieldOf reads a field of a usager file as the model names it.
func fieldOf(u domain.Usager, field string) string {
	switch field {
	case "display_name":
		return u.DisplayName
	case "notes":
		return u.Notes
	case "commune":
		return u.Commune
	}
	panic("unknown field " + field)
}

var communes = []string{"92050", "92040", "92012", "92026", "92063"}

func TestSync_Property(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		dir := t.TempDir()
		srvDir := filepath.Join(dir, "serveur")
		if err := os.Mkdir(srvDir, 0o700); err != nil {
			rt.Fatal(err)
		}
		srv := startServer(rt, srvDir)
		defer func() { srv.kill() }()
		proxy, err := chaosproxy.Start(srv.addr, rapid.Uint64().Draw(rt, "seed"), 0.35)
		if err != nil {
			rt.Fatal(err)
		}
		defer proxy.Close()

		var siteA, siteB domain.Site
		srv.admin(&siteA, "site", "add", "--name", "EDAS A")
		srv.admin(&siteB, "site", "add", "--name", "EDAS B")
		desks := []*desk{
			newDesk(rt, srv, proxy.URL(), dir, "a1", siteA.ID),
			newDesk(rt, srv, proxy.URL(), dir, "a2", siteA.ID),
			newDesk(rt, srv, proxy.URL(), dir, "a3", siteA.ID),
			newDesk(rt, srv, proxy.URL(), dir, "b1", siteB.ID),
			newDesk(rt, srv, proxy.URL(), dir, "b2", siteB.ID),
		}
		defer func() {
			for _, d := range desks {
				d.db.Close()
			}
		}()
		ctx := context.Background()

		var (
			writes  []write
			created = map[string]string{} // usager uuid → site
			n       int
			kills   int
			// rounds of housekeeping that dropped every tombstone
			housekept int
			// interviews started, by site; the last value written to each answer (HLC order is
			// test order) by "interview:question".
			interviews = map[string]string{}
			lastAnswer = map[string]float64{}
		)
		unique := func(prefix string) string { n++; return fmt.Sprintf("%s-%d", prefix, n) }
		// Every write waits for the next millisecond: the desks share this machine's clock, so
		// the HLC order of their writes is then the order of this test, which the model uses.
		tick := func() { time.Sleep(2 * time.Millisecond) }

		steps := rapid.IntRange(20, 60).Draw(rt, "steps")
		for range steps {
			d := desks[rapid.IntRange(0, len(desks)-1).Draw(rt, "desk")]
			known, err := d.db.Usagers(ctx, "")
			if err != nil {
				rt.Fatal(err)
			}
			switch op := rapid.SampledFrom([]string{"create", "update", "update", "delete", "interview", "answer", "answer", "sync", "sync", "sync", "restart", "kill-mid-sync", "housekeeping"}).Draw(rt, "op"); {
			case op == "create" || (op == "update" || op == "delete" || op == "interview") && len(known) == 0:
				tick()
				u := domain.Usager{DisplayName: unique("U"), Commune: rapid.SampledFrom(communes).Draw(rt, "commune"), Notes: unique("note")}
				u.UUID = domain.NewUUID()
				if err := d.db.CreateUsager(ctx, u); err != nil {
					rt.Fatal(err)
				}
				created[u.UUID] = d.site
				writes = append(writes, write{u.UUID, "display_name", u.DisplayName}, write{u.UUID, "notes", u.Notes}, write{u.UUID, "commune", u.Commune})
			case op == "update":
				s := known[rapid.IntRange(0, len(known)-1).Draw(rt, "usager")]
				u, err := d.db.Usager(ctx, s.UUID)
				if err != nil {
					rt.Fatal(err)
				}
				tick()
				field := rapid.SampledFrom([]string{"display_name", "notes", "commune"}).Draw(rt, "field")
				w := write{usager: u.UUID, field: field}
				switch field {
				case "display_name":
					u.DisplayName = unique("U")
					w.value = u.DisplayName
				case "notes":
					u.Notes = unique("note")
					w.value = u.Notes
				case "commune":
					// Always another commune: a write that changes nothing sends nothing.
					others := slices.DeleteFunc(slices.Clone(communes), func(c string) bool { return c == u.Commune })
					u.Commune = rapid.SampledFrom(others).Draw(rt, "commune")
					w.value = u.Commune
				}
				if err := d.db.UpdateUsager(ctx, u); err != nil {
					rt.Fatal(err)
				}
				writes = append(writes, w)
			case op == "delete":
				s := known[rapid.IntRange(0, len(known)-1).Draw(rt, "usager")]
				tick()
				if err := d.db.DeleteUsager(ctx, s.UUID); err != nil {
					rt.Fatal(err)
				}
				writes = append(writes, write{usager: s.UUID, field: "deleted"})
			case op == "sync":
				sctx, cancel := context.WithTimeout(ctx, 60*time.Second)
				_, _ = d.client.Sync(sctx, nil) // failures are the point: the next sync catches up
				cancel()
			case op == "interview":
				s := known[rapid.IntRange(0, len(known)-1).Draw(rt, "usager")]
				g := grid.Default()
				iv := domain.Interview{UsagerUUID: s.UUID, GridID: g.ID, GridVersion: g.Version, Status: domain.InterviewInProgress, StartedAt: time.Now()}
				iv.UUID = domain.NewUUID()
				if err := d.db.StartInterview(ctx, iv); err != nil {
					rt.Fatal(err)
				}
				interviews[iv.UUID] = d.site
			case op == "answer":
				ivs := deskInterviews(rt, d)
				if len(ivs) == 0 {
					continue
				}
				iv := ivs[rapid.IntRange(0, len(ivs)-1).Draw(rt, "interview")]
				q := rapid.SampledFrom(scaleQuestions).Draw(rt, "question")
				cur := map[string]float64{}
				answers, err := d.db.Answers(ctx, iv, false)
				if err != nil {
					rt.Fatal(err)
				}
				for _, a := range answers {
					if a.Value.Number != nil {
						cur[a.QuestionID] = *a.Value.Number
					}
				}
				// Always another value than the one on this desk's screen.
				v := float64(rapid.IntRange(1, 5).Filter(func(v int) bool { return float64(v) != cur[q] }).Draw(rt, "value"))
				tick()
				if _, err := d.db.SaveAnswer(ctx, domain.Answer{InterviewUUID: iv, QuestionID: q, Value: domain.AnswerValue{Number: &v}}, ""); err != nil {
					rt.Fatal(err)
				}
				lastAnswer[iv+":"+q] = v
			case op == "kill-mid-sync":
				// The server dies while a desk is syncing: mid-push, mid-pull or between.
				done := make(chan struct{})
				go func() {
					defer close(done)
					sctx, cancel := context.WithTimeout(ctx, 60*time.Second)
					defer cancel()
					_, _ = d.client.Sync(sctx, nil)
				}()
				time.Sleep(time.Duration(rapid.IntRange(0, 8000).Draw(rt, "after-µs")) * time.Microsecond)
				srv.kill()
				<-done
				srv.start()
				proxy.SetTarget(srv.addr)
				kills++
			case op == "housekeeping":
				// The server drops every tombstone now, as its housekeeping does those older than
				// --tombstone-days, from another process while it serves: desks behind resync,
				// in pages below the tombstone floor, and a deletion must still win.
				store, err := sqlite.OpenServer(filepath.Join(srvDir, "passerelle-server.db"), sqlite.ServerOptions{})
				if err != nil {
					rt.Fatal(err)
				}
				v, err := store.Version(ctx)
				if err == nil {
					err = store.DropTombstones(ctx, v+1)
				}
				if cerr := store.Close(); err == nil {
					err = cerr
				}
				if err != nil {
					rt.Fatal(err)
				}
				housekept++
			case op == "restart":
				srv.kill()
				srv.start()
				proxy.SetTarget(srv.addr)
				kills++
			}
		}

		// The network heals; everyone syncs twice.
		proxy.SetRate(0)
		for round := range 2 {
			for _, d := range desks {
				rep, err := d.client.Sync(ctx, nil)
				if err != nil {
					rt.Fatalf("round %d, desk %s: sync failed on a healed network: %v (%+v)", round, d.name, err, rep)
				}
			}
		}
		for _, d := range desks {
			st, err := d.db.SyncState(ctx)
			if err != nil {
				rt.Fatal(err)
			}
			if st.Pending != 0 || st.Rejected != 0 {
				muts, _ := d.db.Outbox(ctx, 10)
				for _, m := range muts {
					b, _ := json.Marshal(m)
					rt.Logf("waiting: %s", b)
				}
				rt.Fatalf("desk %s after healing: %d changes waiting, %d refused", d.name, st.Pending, st.Rejected)
			}
		}

		// The model: per usager, deleted or the last value written to each field.
		want := map[string]map[string]string{} // site → uuid → "name|notes|commune"
		last := map[string]map[string]string{}
		deleted := map[string]bool{}
		for _, w := range writes {
			if w.field == "deleted" {
				deleted[w.usager] = true
				continue
			}
			if last[w.usager] == nil {
				last[w.usager] = map[string]string{}
			}
			last[w.usager][w.field] = w.value
		}
		for uuid, site := range created {
			if want[site] == nil {
				want[site] = map[string]string{}
			}
			if !deleted[uuid] {
				f := last[uuid]
				want[site][uuid] = f["display_name"] + "|" + f["notes"] + "|" + f["commune"]
			}
		}

		// Every desk holds exactly its site's files, as the model says: no change lost, none
		// duplicated, nothing of the other EDAS.
		for _, d := range desks {
			got := map[string]string{}
			list, err := d.db.Usagers(ctx, "")
			if err != nil {
				rt.Fatal(err)
			}
			for _, s := range list {
				u, err := d.db.Usager(ctx, s.UUID)
				if err != nil {
					rt.Fatal(err)
				}
				if site, ok := created[u.UUID]; ok && site != d.site {
					rt.Fatalf("desk %s of %s holds %s, a file of the other EDAS", d.name, d.site, u.UUID)
				}
				got[u.UUID] = fieldOf(u, "display_name") + "|" + fieldOf(u, "notes") + "|" + fieldOf(u, "commune")
			}
			if len(list) != len(got) {
				rt.Fatalf("desk %s lists %d files for %d distinct ones", d.name, len(list), len(got))
			}
			wantSite := want[d.site]
			for uuid, w := range wantSite {
				if got[uuid] != w {
					rt.Errorf("desk %s, file %s: %q, want %q", d.name, uuid, got[uuid], w)
				}
			}
			for uuid := range got {
				if _, ok := wantSite[uuid]; !ok {
					rt.Errorf("desk %s holds file %s, which should not be there (deleted: %v)", d.name, uuid, deleted[uuid])
				}
			}
		}

		// Every desk of a site holds the same interviews and answers, each answer the last one
		// written, and the same conflicts; nothing of the other EDAS.
		for site := range want {
			var ref map[string]string
			var refDesk string
			for _, d := range desks {
				if d.site != site {
					continue
				}
				got := deskAnswers(rt, d)
				for key, v := range got {
					iv, _, _ := strings.Cut(key, ":")
					if s, ok := interviews[iv]; ok && s != d.site {
						rt.Fatalf("desk %s holds answers of interview %s of the other EDAS", d.name, iv)
					}
					if w, ok := lastAnswer[key]; ok && !strings.HasPrefix(v, fmt.Sprintf("%g", w)+"|") {
						// A deleted file takes its interviews' answers with it.
						rt.Errorf("desk %s, answer %s: %q, want the last value written, %g", d.name, key, v, w)
					}
				}
				if ref == nil {
					ref, refDesk = got, d.name
				} else if !maps.Equal(ref, got) {
					rt.Errorf("desks %s and %s disagree on answers:\n%v\n%v", refDesk, d.name, ref, got)
				}
			}
		}

		// And the server holds the same: read its file once it is stopped.
		srv.kill()
		store, err := sqlite.OpenServer(filepath.Join(srvDir, "passerelle-server.db"), sqlite.ServerOptions{})
		if err != nil {
			rt.Fatal(err)
		}
		defer store.Close()
		for _, site := range []domain.Site{siteA, siteB} {
			page, err := store.Pull(ctx, site.ID, 0, 0, 100000)
			if err != nil {
				rt.Fatal(err)
			}
			live := 0
			for _, r := range page.Changes {
				if r.Kind != domain.KindUsager || r.Deleted {
					continue
				}
				live++
				var name, notes, commune string
				_ = json.Unmarshal(r.Fields["display_name"].V, &name)
				_ = json.Unmarshal(r.Fields["notes"].V, &notes)
				_ = json.Unmarshal(r.Fields["commune"].V, &commune)
				if got, w := name+"|"+notes+"|"+commune, want[site.ID][r.UUID]; got != w {
					rt.Errorf("server, site %s, file %s: %q, want %q", site.Name, r.UUID, got, w)
				}
			}
			if live != len(want[site.ID]) {
				rt.Errorf("server, site %s: %d live files, want %d", site.Name, live, len(want[site.ID]))
			}
		}
		t.Logf("%d steps, %d writes, %d files, server killed %d times, tombstones dropped %d times; faults met: %v", steps, len(writes), len(created), kills, housekept, proxy.Counts())
	})
}
