package chaosproxy

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
)

// counter is a server that counts the requests whose whole body it read.
type counter struct{ applied atomic.Int64 }

func (c *counter) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	b, err := io.ReadAll(r.Body)
	if err != nil {
		return // a truncated body: nothing applied
	}
	c.applied.Add(1)
	_, _ = io.WriteString(w, strings.Repeat("ok:"+string(b)+";", 100))
}

func TestProxy_Faults(t *testing.T) {
	t.Parallel()
	tests := []struct {
		fault       Fault
		applied     int64 // requests the server read whole
		clientError bool  // the client fails to read a whole response
	}{
		{Pass, 1, false},
		{Delay, 1, false},
		{Drop, 0, true},
		{CutRequest, 0, true},
		{Duplicate, 2, false},
		{CutResponse, 1, true},
		{LoseResponse, 1, true},
	}
	for _, tt := range tests {
		t.Run(tt.fault.String(), func(t *testing.T) {
			t.Parallel()
			c := &counter{}
			srv := httptest.NewServer(c)
			defer srv.Close()
			p, err := Start(strings.TrimPrefix(srv.URL, "http://"), 1, 0)
			if err != nil {
				t.Fatal(err)
			}
			defer p.Close()
			p.Force(tt.fault)
			body := `{"mutations":[1,2,3]}`
			resp, err := http.Post(p.URL()+"/api/v1/push", "application/json", strings.NewReader(body))
			var got string
			if err == nil {
				b, rerr := io.ReadAll(resp.Body)
				resp.Body.Close()
				err = rerr
				got = string(b)
			}
			if gotErr := err != nil; gotErr != tt.clientError {
				t.Errorf("client error = %v, want an error: %v", err, tt.clientError)
			}
			if !tt.clientError && got != strings.Repeat("ok:"+body+";", 100) {
				t.Errorf("response = %.60q…, want the server's whole answer", got)
			}
			if n := c.applied.Load(); n != tt.applied {
				t.Errorf("server applied %d requests, want %d", n, tt.applied)
			}
			if n := p.Counts()[tt.fault.String()]; n != 1 {
				t.Errorf("count of %s = %d, want 1", tt.fault, n)
			}
		})
	}
}

func TestProxy_ServerDown(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(&counter{})
	addr := strings.TrimPrefix(srv.URL, "http://")
	srv.Close()
	p, err := Start(addr, 1, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	if resp, err := http.Get(p.URL() + "/healthz"); err == nil {
		resp.Body.Close()
		t.Fatalf("a request through a proxy to a stopped server answered %s", resp.Status)
	}
	c := &counter{}
	srv2 := httptest.NewServer(c)
	defer srv2.Close()
	p.SetTarget(strings.TrimPrefix(srv2.URL, "http://"))
	resp, err := http.Get(p.URL() + "/healthz")
	if err != nil {
		t.Fatalf("after SetTarget: %v", err)
	}
	resp.Body.Close()
	if c.applied.Load() != 1 {
		t.Errorf("the new target got %d requests, want 1", c.applied.Load())
	}
}
