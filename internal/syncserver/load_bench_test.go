package syncserver

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/edas92/passerelle/internal/domain"
)

// BenchmarkServer_500Desks measures the server as a département's desks meet it on a Monday
// morning: 500 enrolled desks of 25 EDAS all sync at once — each pushes the 10 changes it made
// offline, then pulls what its colleagues pushed — over real HTTP on loopback, with the default
// rate limits. One iteration is one such wave; the latencies of every request of every wave
// give p50 and p99, and every answer that is not a 200 counts as an error.
//
// Two arrivals: "herd", every desk released at the same instant (the worst case: the server's
// whole wave of work is queued at once), and "spread-1s", the desks starting within one second
// (a Monday morning at 9:00, when the desks' five-minute timers are not aligned).
func BenchmarkServer_500Desks(b *testing.B) {
	b.Run("herd", func(b *testing.B) { bench500Desks(b, 0) })
	b.Run("spread-1s", func(b *testing.B) { bench500Desks(b, time.Second) })
}

func bench500Desks(b *testing.B, spread time.Duration) {
	const (
		desks       = 500
		sites       = 25
		perPush     = 10
		transportIO = 4 * desks // enough idle connections for every desk to keep its own
	)
	env := newEnv(b, func(o *Options) {
		// The production limits: a wave is two requests per desk, far under the burst.
		o.DeviceRate, o.DeviceBurst = DefaultDeviceRate, DefaultDeviceBurst
	})
	env.importFixtures()
	var all []*desk
	for s := range sites {
		site := env.addSite(fmt.Sprintf("EDAS %02d", s))
		for d := range desks / sites {
			all = append(all, env.enrol(site.ID, fmt.Sprintf("poste %02d-%02d", s, d)))
		}
	}
	client := &http.Client{Transport: &http.Transport{MaxIdleConns: transportIO, MaxIdleConnsPerHost: transportIO}}
	cursors := make([]int64, desks)
	var (
		mu        sync.Mutex
		latencies []time.Duration
		errors    int
	)
	do := func(method, path, token string, body []byte, out any) {
		req, _ := http.NewRequest(method, env.url+path, bytes.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+token)
		start := time.Now()
		resp, err := client.Do(req)
		var data []byte
		if err == nil {
			data, err = io.ReadAll(resp.Body)
			resp.Body.Close()
		}
		elapsed := time.Since(start)
		ok := err == nil && resp.StatusCode == http.StatusOK && decode(data, out) == nil
		mu.Lock()
		latencies = append(latencies, elapsed)
		if !ok {
			errors++
		}
		mu.Unlock()
	}
	wave := func() {
		var wg sync.WaitGroup
		start := make(chan struct{})
		for i, d := range all {
			muts := make([]domain.Mutation, perPush)
			for j := range muts {
				muts[j] = d.upsert(domain.KindUsager, newUUID(), map[string]any{
					"display_name": "M. D.", "commune": "92050", "notes": "Orientation vers l’épicerie solidaire."})
			}
			body, _ := json.Marshal(map[string]any{"mutations": muts})
			offset := time.Duration(0)
			if spread > 0 {
				offset = time.Duration(i) * spread / desks
			}
			wg.Go(func() {
				<-start
				time.Sleep(offset)
				var pushed domain.PushResult
				do(http.MethodPost, "/api/v1/push", d.token, body, &pushed)
				for {
					var page pageTail
					do(http.MethodGet, fmt.Sprintf("/api/v1/pull?cursor=%d", cursors[i]), d.token, nil, &page)
					if page.Cursor <= cursors[i] || !page.More {
						cursors[i] = max(cursors[i], page.Cursor)
						return
					}
					cursors[i] = page.Cursor
				}
			})
		}
		close(start)
		wg.Wait()
	}
	wave() // the first wave pulls the directory: not the steady state measured
	latencies, errors = nil, 0
	b.ResetTimer()
	for b.Loop() {
		// Let the token buckets refill as the few minutes between two syncs would.
		env.clock.Add(5 * time.Minute)
		wave()
	}
	b.StopTimer()
	slices.Sort(latencies)
	pct := func(p float64) float64 {
		return float64(latencies[int(p*float64(len(latencies)-1))].Microseconds()) / 1000
	}
	b.ReportMetric(pct(0.50), "p50-ms")
	b.ReportMetric(pct(0.99), "p99-ms")
	b.ReportMetric(float64(errors), "errors")
	b.ReportMetric(float64(len(latencies))/float64(b.N), "requests/wave")
}

// pageTail is the end of a pull page: what drives a simulated desk's loop. A desk decodes its
// pages, but not on the server's two cores: the 500 simulated desks read only the tail.
type pageTail struct {
	Cursor int64 `json:"cursor"`
	More   bool  `json:"more"`
}

// decode reads a pull page's tail without the changes, or any other answer whole.
func decode(data []byte, out any) error {
	if t, ok := out.(*pageTail); ok {
		i := bytes.LastIndex(data, []byte(`],"cursor":`))
		if i < 0 {
			return fmt.Errorf("not a pull page: %.80s", data)
		}
		return json.Unmarshal(append([]byte("{"), data[i+2:]...), t)
	}
	return json.Unmarshal(data, out)
}
