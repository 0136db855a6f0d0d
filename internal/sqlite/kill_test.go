package sqlite

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/edas92/passerelle/internal/domain"
)

// killTestEnv names the database the child process of TestSaveAnswer_SurvivesKill answers in.
const killTestEnv = "PASSERELLE_KILL_TEST_DB"

// killGrid has 10 domains of 20 short-text questions; domains 2, 5 and 8 are sensitive, so that
// both answer tables are written.
func killGrid() domain.Grid {
	g := domain.Grid{ID: "grille-kill", Version: 1, Title: "Grille du test d’arrêt brutal"}
	for d := range 10 {
		gd := domain.GridDomain{ID: fmt.Sprintf("d%d", d), Title: fmt.Sprintf("Domaine %d", d), Sensitive: d%3 == 2}
		for q := range 20 {
			gd.Questions = append(gd.Questions, domain.Question{ID: fmt.Sprintf("d%d-q%02d", d, q), Type: domain.QShortText, Label: "?"})
		}
		g.Domains = append(g.Domains, gd)
	}
	return g
}

// killValue is the answer the child gives to question in its n-th interview.
func killValue(n int, question string) string {
	return fmt.Sprintf("Réponse à %s de l’entretien n°%d — « ça va »", question, n)
}

// killMaxAnswers stops a child the parent failed to kill.
const killMaxAnswers = 20_000

// TestHelperAnswerer is the child process of TestSaveAnswer_SurvivesKill, not a test of its own:
// it skips unless killTestEnv is set. It opens the database, stores the grid and a file, then
// starts interviews one after the other and answers their questions one by one, writing one line
// to stdout after each call returned: "interview\t<uuid>\t<n>" and "ack\t<uuid>\t<question>".
// Stdout is not buffered: a line is out of the process when it is printed.
func TestHelperAnswerer(t *testing.T) {
	path := os.Getenv(killTestEnv)
	if path == "" {
		t.Skip("child process of TestSaveAnswer_SurvivesKill")
	}
	if err := answerUntilKilled(path, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "answerer:", err)
		os.Exit(2)
	}
}

func answerUntilKilled(path string, out io.Writer) error {
	ctx := context.Background()
	db, err := Open(path, Options{})
	if err != nil {
		return err
	}
	defer db.Close()
	g := killGrid()
	if _, err := db.SaveGrid(ctx, g, false); err != nil {
		return err
	}
	u := domain.NewUUID()
	if err := db.CreateUsager(ctx, domain.Usager{Meta: domain.Meta{UUID: u}, DisplayName: "Arrêt brutal"}); err != nil {
		return err
	}
	answers := 0
	for n := 0; ; n++ {
		iv := domain.NewUUID()
		if err := db.StartInterview(ctx, domain.Interview{Meta: domain.Meta{UUID: iv}, UsagerUUID: u,
			GridID: g.ID, GridVersion: g.Version}); err != nil {
			return err
		}
		if _, err := fmt.Fprintf(out, "interview\t%s\t%d\n", iv, n); err != nil {
			return err
		}
		for _, d := range g.Domains {
			for _, q := range d.Questions {
				a := domain.Answer{InterviewUUID: iv, QuestionID: q.ID, Value: text(killValue(n, q.ID)), Sensitive: d.Sensitive}
				if _, err := db.SaveAnswer(ctx, a, d.ID); err != nil {
					return err
				}
				// The acknowledgement: SaveAnswer returned.
				if _, err := fmt.Fprintf(out, "ack\t%s\t%s\n", iv, q.ID); err != nil {
					return err
				}
				if answers++; answers == killMaxAnswers {
					return nil
				}
			}
		}
	}
}

// TestSaveAnswer_SurvivesKill runs the answerer in a real child process, kills it (SIGKILL on
// Unix) after a number of acknowledged answers while it keeps answering, then reopens the
// database: every acknowledged answer must be there with its value, at most one more (committed,
// not yet acknowledged), each with its change-log row, and the file must pass integrity_check.
func TestSaveAnswer_SurvivesKill(t *testing.T) {
	t.Parallel()
	if os.Getenv(killTestEnv) != "" {
		t.Skip("in the child process")
	}
	seed := uint64(time.Now().UnixNano())
	t.Logf("kill points drawn with seed %d", seed)
	rng := rand.New(rand.NewPCG(seed, 0))
	most := 450 // more than two interviews of 200 questions
	if raceEnabled {
		most = 60
	}
	points := []int{0, 1, 2 + rng.IntN(most), 2 + rng.IntN(most), 2 + rng.IntN(most), 2 + rng.IntN(most)}
	for round, k := range points {
		t.Run(fmt.Sprintf("round %d, kill after %d acks", round, k), func(t *testing.T) {
			t.Parallel()
			killAndCheck(t, k)
		})
	}
}

type ack struct{ interview, question string }

func killAndCheck(t *testing.T, killAfter int) {
	path := filepath.Join(t.TempDir(), "kill.db")
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperAnswerer$", "-test.count=1")
	cmd.Env = append(os.Environ(), killTestEnv+"="+path)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}

	var (
		acks       []ack
		interviews = map[string]int{} // UUID → its number
		killed     bool
	)
	sc := bufio.NewScanner(stdout)
	for sc.Scan() {
		f := strings.Split(sc.Text(), "\t")
		switch {
		case len(f) == 3 && f[0] == "interview":
			var n int
			if _, err := fmt.Sscan(f[2], &n); err != nil {
				t.Fatalf("bad line %q", sc.Text())
			}
			interviews[f[1]] = n
		case len(f) == 3 && f[0] == "ack":
			acks = append(acks, ack{f[1], f[2]})
		default:
			continue // the test framework's own output
		}
		// The child goes on answering while the signal flies: it dies mid-stream.
		if !killed && len(interviews) > 0 && len(acks) >= killAfter {
			if err := cmd.Process.Kill(); err != nil {
				t.Fatal(err)
			}
			killed = true
		}
	}
	// Lines read after Kill were printed before the child died: they are acknowledgements too.
	waitErr := cmd.Wait()
	if !killed {
		t.Fatalf("the child ended after %d acknowledgements, before it was killed: %v\n%s", len(acks), waitErr, stderr.String())
	}
	if waitErr == nil {
		t.Fatalf("the child exited normally: the kill came too late\n%s", stderr.String())
	}
	t.Logf("killed after %d acknowledged answers (%v)", len(acks), waitErr)

	db, err := Open(path, Options{})
	if err != nil {
		t.Fatalf("reopen after the kill: %v", err)
	}
	defer db.Close()
	var integrity string
	if err := db.read.QueryRow(`PRAGMA integrity_check`).Scan(&integrity); err != nil || integrity != "ok" {
		t.Fatalf("integrity_check = %q, %v", integrity, err)
	}

	ctx := context.Background()
	found := map[ack]domain.Answer{}
	for iv := range interviews {
		if _, err := db.Interview(ctx, iv); err != nil {
			t.Errorf("acknowledged interview %s lost: %v", iv, err)
			continue
		}
		as, err := db.Answers(ctx, iv, true)
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range as {
			found[ack{iv, a.QuestionID}] = a
			if want := killValue(interviews[iv], a.QuestionID); a.Value.Text != want {
				t.Errorf("answer %s:%s = %q, want %q", iv, a.QuestionID, a.Value.Text, want)
			}
		}
	}
	for _, a := range acks {
		if _, ok := found[a]; !ok {
			t.Errorf("acknowledged answer %s:%s is lost", a.interview, a.question)
		}
	}
	// The child answers one at a time: at most the answer in flight committed without its line.
	total := count(t, db, "answer", "") + count(t, db, "answer_sensitive", "")
	if total != len(acks) && total != len(acks)+1 {
		t.Errorf("%d answers stored for %d acknowledged", total, len(acks))
	}
	if n := count(t, db, "change_log", "kind = 'answer'"); n != total {
		t.Errorf("%d answer rows in the change log for %d answers stored", n, total)
	}
}
