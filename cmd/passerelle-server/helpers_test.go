package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/edas92/passerelle/internal/domain"
	"github.com/edas92/passerelle/internal/hlc"
)

// bin is the passerelle-server binary the tests run, built once by TestMain (with the race
// detector when the tests run under it).
var bin string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "passerelle-server-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	bin = filepath.Join(dir, "passerelle-server")
	args := []string{"build", "-o", bin}
	if raceEnabled {
		args = append(args, "-race")
	}
	if out, err := exec.Command("go", append(args, ".")...).CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "go build: %v\n%s", err, out)
		os.RemoveAll(dir)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// cli runs the binary to its end on a data folder ("" for none) and returns its exit code and
// outputs.
func cli(t testing.TB, dataDir string, args ...string) (int, string, string) {
	t.Helper()
	if dataDir != "" {
		args = append(args, "--data-dir", dataDir)
	}
	// A command that hangs is made to print its goroutines (SIGQUIT) and fails the test, rather
	// than hang it until go test's own timeout.
	ctx, cancel := context.WithTimeout(context.Background(), readyWait)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Cancel = func() error { return cmd.Process.Signal(syscall.SIGQUIT) }
	cmd.WaitDelay = 10 * time.Second
	cmd.Env = append(os.Environ(), envDataDir+"=") // never the developer's own server
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	if ctx.Err() != nil {
		t.Fatalf("%v did not end within %s; its goroutines:\n%s", args, readyWait, errOut.String())
	}
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("run %v: %v", args, err)
	}
	return code, out.String(), errOut.String()
}

// cliJSON runs a command with --json, wants exit 0 and decodes its output into out.
func cliJSON(t testing.TB, dataDir string, out any, args ...string) {
	t.Helper()
	code, stdout, stderr := cli(t, dataDir, append(args, "--json")...)
	if code != exitOK {
		t.Fatalf("%v: exit %d\nstdout: %s\nstderr: %s", args, code, stdout, stderr)
	}
	if err := json.Unmarshal([]byte(stdout), out); err != nil {
		t.Fatalf("%v: output is not JSON: %v\n%s", args, err, stdout)
	}
}

// lockedBuffer collects output written by a process while the test reads it.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// server is a running passerelle-server serve.
type server struct {
	t      testing.TB
	cmd    *exec.Cmd
	url    string
	stderr *lockedBuffer
	done   chan struct{} // closed when the process has exited
	code   int
}

// readyWait bounds the wait for the ready line: a server that never says it is ready fails the
// test instead of hanging it. It is not a speed assertion (a start takes milliseconds).
const readyWait = 60 * time.Second

// startServer runs serve on a data folder, on a free loopback port unless args say otherwise,
// and returns once it has printed its address. The process is stopped at the end of the test.
func startServer(t testing.TB, dataDir string, args ...string) *server {
	t.Helper()
	s, line, err := tryServer(t, dataDir, args...)
	if err != nil {
		t.Fatalf("serve %v: %v\nstderr: %s", args, err, s.stderr)
	}
	prefix := "passerelle-server : à l’écoute sur "
	if !strings.HasPrefix(line, prefix) {
		t.Fatalf("ready line %q, want %q followed by the URL", line, prefix)
	}
	s.url = strings.TrimPrefix(line, prefix)
	return s
}

// tryServer starts serve and returns its first line of output, or an error when it exits
// before printing one (its code is then in s.code).
func tryServer(t testing.TB, dataDir string, args ...string) (*server, string, error) {
	t.Helper()
	hasAddr := false
	for _, a := range args {
		hasAddr = hasAddr || a == "--addr" || strings.HasPrefix(a, "--addr=")
	}
	if !hasAddr {
		args = append(args, "--addr", "127.0.0.1:0")
	}
	args = append([]string{"serve", "--data-dir", dataDir}, args...)
	s := &server{t: t, cmd: exec.Command(bin, args...), stderr: &lockedBuffer{}, done: make(chan struct{})}
	s.cmd.Env = append(os.Environ(), envDataDir+"=")
	s.cmd.Stderr = s.stderr
	stdout, err := s.cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := s.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	lines := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		if sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
		io.Copy(io.Discard, stdout)
	}()
	go func() {
		err := s.cmd.Wait()
		if ee, ok := err.(*exec.ExitError); ok {
			s.code = ee.ExitCode()
		} else if err != nil {
			s.code = -1
		}
		close(s.done)
	}()
	t.Cleanup(func() {
		select {
		case <-s.done:
		default:
			if t.Failed() { // show where the server is
				s.cmd.Process.Signal(syscall.SIGQUIT)
				select {
				case <-s.done:
					t.Logf("server's stderr:\n%s", s.stderr)
				case <-time.After(10 * time.Second):
				}
			}
			s.cmd.Process.Kill()
			<-s.done
		}
	})
	select {
	case line, ok := <-lines:
		if !ok {
			<-s.done
			return s, "", fmt.Errorf("exited with code %d before it was ready", s.code)
		}
		return s, line, nil
	case <-time.After(readyWait):
		return s, "", fmt.Errorf("not ready after %s", readyWait)
	}
}

// stop sends SIGTERM (what systemd sends) and returns the exit code.
func (s *server) stop() int {
	s.t.Helper()
	return s.stopWith(syscall.SIGTERM)
}

// stopWith sends a signal and returns the exit code.
func (s *server) stopWith(sig os.Signal) int {
	s.t.Helper()
	if err := s.cmd.Process.Signal(sig); err != nil {
		s.t.Fatal(err)
	}
	select {
	case <-s.done:
	case <-time.After(readyWait):
		s.t.Fatalf("still running %s after %v\nstderr: %s", readyWait, sig, s.stderr)
	}
	return s.code
}

// call sends a request with a JSON body (nil for none; a string is sent as is) and a bearer
// token ("" for none) and returns the status and the body.
func (s *server) call(method, path, token string, body any) (int, []byte) {
	s.t.Helper()
	st, b, _ := s.callHeader(method, path, token, body)
	return st, b
}

// callHeader is call, with the answer's headers.
func (s *server) callHeader(method, path, token string, body any) (int, []byte, http.Header) {
	s.t.Helper()
	var r io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		r = strings.NewReader(b)
	default:
		j, err := json.Marshal(b)
		if err != nil {
			s.t.Fatal(err)
		}
		r = bytes.NewReader(j)
	}
	req, err := http.NewRequestWithContext(context.Background(), method, s.url+path, r)
	if err != nil {
		s.t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := httpClient.Do(req)
	if err != nil {
		s.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		s.t.Fatal(err)
	}
	return resp.StatusCode, b, resp.Header
}

// httpClient bounds every request: a server that stops answering fails the test instead of
// hanging it (the bound is far above any answer's time, it asserts no speed).
var httpClient = &http.Client{Timeout: readyWait}

// errorCode reads the code of an error body.
func errorCode(t testing.TB, b []byte) string {
	t.Helper()
	var e struct{ Code, Message string }
	if err := json.Unmarshal(b, &e); err != nil || e.Code == "" || e.Message == "" {
		t.Fatalf("not an error body: %s", b)
	}
	return e.Code
}

// desk is a device enrolled through the API, as a desk uses it.
type desk struct {
	s      *server
	id     string
	site   string
	token  string
	nextID int64
	clock  *hlc.Clock
}

// setup creates a site with the command line and enrols a desk of it over HTTP.
func (s *server) setup(dataDir, siteName, deskName string) *desk {
	s.t.Helper()
	var site domain.Site
	cliJSON(s.t, dataDir, &site, "site", "add", "--name", siteName)
	var code enrolment
	cliJSON(s.t, dataDir, &code, "enroll", "--site", site.ID)
	return s.enrol(code.Code, deskName)
}

// enrol exchanges a code for a device token.
func (s *server) enrol(code, name string) *desk {
	s.t.Helper()
	st, b := s.call(http.MethodPost, "/api/v1/enroll", "", map[string]string{"code": code, "device_name": name})
	if st != http.StatusOK {
		s.t.Fatalf("enroll: %d %s", st, b)
	}
	var resp struct {
		DeviceID string `json:"device_id"`
		SiteID   string `json:"site_id"`
		Token    string `json:"token"`
	}
	if err := json.Unmarshal(b, &resp); err != nil || resp.Token == "" {
		s.t.Fatalf("enroll answer %s", b)
	}
	return &desk{s: s, id: resp.DeviceID, site: resp.SiteID, token: resp.Token, nextID: 1,
		clock: hlc.New(resp.DeviceID, time.Now, "")}
}

// push sends mutations built by the caller (their ids are numbered here) and returns the status
// and the body.
func (d *desk) push(muts ...map[string]any) (int, []byte) {
	d.s.t.Helper()
	for i, m := range muts {
		m["id"] = d.nextID + int64(i)
		m["hlc"] = d.clock.Now()
	}
	if muts == nil {
		muts = []map[string]any{}
	}
	st, b := d.s.call(http.MethodPost, "/api/v1/push", d.token, map[string]any{"mutations": muts})
	if st == http.StatusOK { // else the same ids go again with the next push, as a desk's outbox
		d.nextID += int64(len(muts))
	}
	return st, b
}

// pullAll pulls every page from cursor: the records by kind/uuid (latest state) and the cursor.
func (d *desk) pullAll(cursor int64) (map[string]domain.SyncRecord, int64) {
	d.s.t.Helper()
	out := map[string]domain.SyncRecord{}
	for {
		st, b, h := d.s.callHeader(http.MethodGet, fmt.Sprintf("/api/v1/pull?cursor=%d&limit=1000", cursor), d.token, nil)
		if st == http.StatusTooManyRequests { // as a desk does: come back when told
			secs, _ := strconv.Atoi(h.Get("Retry-After"))
			time.Sleep(time.Duration(max(secs, 1)) * time.Second)
			continue
		}
		if st != http.StatusOK {
			d.s.t.Fatalf("pull: %d %s", st, b)
		}
		var page domain.PullResult
		if err := json.Unmarshal(b, &page); err != nil {
			d.s.t.Fatal(err)
		}
		for _, r := range page.Changes {
			out[r.Kind+"/"+r.UUID] = r
		}
		cursor = page.Cursor
		if !page.More {
			return out, cursor
		}
	}
}

// usager is an upsert of a usager file.
func usager(uuid, name string) map[string]any {
	return map[string]any{"kind": domain.KindUsager, "uuid": uuid, "op": domain.MutUpsert,
		"fields": map[string]any{"display_name": name}}
}

// writeFile writes a file in dir and returns its path.
func writeFile(t testing.TB, dir, name string, b []byte) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}
