package sqlite

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"runtime"
	"sync"
	"testing"

	"github.com/edas92/passerelle/internal/domain"
)

// TestInTx_GroupCommit checks that calls queued while the writer is busy run together, in one
// transaction: each sees the writes of the calls before it, while the read pool does not see
// them until the group commits.
func TestInTx_GroupCommit(t *testing.T) {
	t.Parallel()
	s := openServerTest(t, ServerOptions{})
	ctx := context.Background()
	site, err := s.AddSite(ctx, "EDAS Clichy")
	if err != nil {
		t.Fatal(err)
	}
	committed := func() int64 {
		var v int64
		if err := s.db.read.QueryRowContext(ctx, `SELECT version FROM meta WHERE id = 1`).Scan(&v); err != nil {
			t.Fatal(err)
		}
		return v
	}
	rec := func(i int) domain.SyncRecord {
		return domain.SyncRecord{Kind: domain.KindUsager, UUID: fmt.Sprintf("u%02d", i), Site: site.ID,
			Fields: map[string]domain.FieldValue{"n": {V: []byte(fmt.Sprint(i)), HLC: "0000000000001-0000-d"}}}
	}

	// The first call holds the writer until the others are queued.
	started, release := make(chan struct{}), make(chan struct{})
	first := make(chan error, 1)
	go func() {
		first <- s.InTx(ctx, func(tx domain.ServerTx) error {
			close(started)
			<-release
			_, err := tx.PutRecord(ctx, rec(0))
			return err
		})
	}()
	<-started
	const queued = 10
	var wg sync.WaitGroup
	seenCommitted := make([]int64, queued)
	for i := range queued {
		wg.Go(func() {
			err := s.InTx(ctx, func(tx domain.ServerTx) error {
				seenCommitted[i] = committed()
				_, err := tx.PutRecord(ctx, rec(1+i))
				return err
			})
			if err != nil {
				t.Errorf("call %d: %v", i, err)
			}
		})
	}
	// Wait until all are queued: the queue is the store's own.
	for {
		s.txg.mu.Lock()
		n := len(s.txg.queue)
		s.txg.mu.Unlock()
		if n == queued {
			break
		}
		runtime.Gosched()
	}
	close(release)
	if err := <-first; err != nil {
		t.Fatal(err)
	}
	wg.Wait()
	for i, v := range seenCommitted {
		// The first call committed alone (version 1); the queued ones ran in one group, so none
		// of them could see another's write committed.
		if v != 1 {
			t.Errorf("queued call %d saw version %d committed, want 1: it did not share the group's transaction", i, v)
		}
	}
	if v := committed(); v != 1+queued {
		t.Errorf("version %d after the group, want %d", v, 1+queued)
	}
}

// TestInTx_Cancel checks what a cancelled context does: before fn runs, InTx refuses and fn never
// runs; while fn runs, its statements finish and commit, so that one desk hanging up cannot
// roll back the pushes of the others sharing its transaction.
func TestInTx_Cancel(t *testing.T) {
	t.Parallel()
	s := openServerTest(t, ServerOptions{})
	site, err := s.AddSite(context.Background(), "EDAS Clichy")
	if err != nil {
		t.Fatal(err)
	}
	rec := domain.SyncRecord{Kind: domain.KindUsager, UUID: "u1", Site: site.ID,
		Fields: map[string]domain.FieldValue{"n": {V: []byte("1"), HLC: "0000000000001-0000-d"}}}

	t.Run("before fn", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		ran := false
		err := s.InTx(ctx, func(domain.ServerTx) error { ran = true; return nil })
		if !errors.Is(err, context.Canceled) || ran {
			t.Errorf("InTx = %v, fn ran %v; want context.Canceled and fn not run", err, ran)
		}
	})
	t.Run("while fn runs", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		err := s.InTx(ctx, func(tx domain.ServerTx) error {
			cancel()
			if _, err := tx.PutRecord(ctx, rec); err != nil {
				return err
			}
			_, found, err := tx.Record(ctx, rec.Kind, rec.UUID)
			if err == nil && !found {
				err = errors.New("the record written is not found")
			}
			return err
		})
		if err != nil {
			t.Fatalf("InTx = %v, want the writes of fn committed", err)
		}
		if res, err := s.Pull(context.Background(), site.ID, 0, 0, 10); err != nil || len(res.Changes) != 1 {
			t.Errorf("pulled %d records (%v), want the one written", len(res.Changes), err)
		}
	})
}

// TestInTx_BrokenGroup checks the failures of a group's own transaction: a savepoint that cannot
// be released fails its call and the calls before it (their writes went with the transaction),
// while the calls after it run in the next group; a transaction that cannot begin fails every
// call, none of them run.
func TestInTx_BrokenGroup(t *testing.T) {
	t.Parallel()
	ctx := context.Background()

	t.Run("savepoint", func(t *testing.T) {
		s := openServerTest(t, ServerOptions{})
		site, err := s.AddSite(ctx, "EDAS Clichy")
		if err != nil {
			t.Fatal(err)
		}
		put := func(uuid string) func(domain.ServerTx) error {
			return func(tx domain.ServerTx) error {
				_, err := tx.PutRecord(ctx, domain.SyncRecord{Kind: domain.KindUsager, UUID: uuid, Site: site.ID,
					Fields: map[string]domain.FieldValue{"n": {V: []byte("1"), HLC: "0000000000001-0000-d"}}})
				return err
			}
		}
		// B ends the shared transaction behind the store's back: its savepoint cannot be
		// released.
		breakTx := func(tx domain.ServerTx) error {
			_, err := tx.(*serverTx).tx.ExecContext(ctx, `ROLLBACK`)
			return err
		}
		started, release := make(chan struct{}), make(chan struct{})
		go func() {
			_ = s.InTx(ctx, func(domain.ServerTx) error { close(started); <-release; return nil })
		}()
		<-started
		errs := make([]chan error, 3)
		for i, fn := range []func(domain.ServerTx) error{put("a"), breakTx, put("c")} {
			errs[i] = make(chan error, 1)
			go func() { errs[i] <- s.InTx(ctx, fn) }()
			for queued := 0; queued != i+1; runtime.Gosched() { // in this order
				s.txg.mu.Lock()
				queued = len(s.txg.queue)
				s.txg.mu.Unlock()
			}
		}
		close(release)
		for i, want := range []bool{false, false, true} {
			if err := <-errs[i]; (err == nil) != want {
				t.Errorf("call %c: InTx = %v, want success %v", 'a'+i, err, want)
			}
		}
		res, err := s.Pull(ctx, site.ID, 0, 0, 10)
		if err != nil || len(res.Changes) != 1 || res.Changes[0].UUID != "c" {
			t.Errorf("stored %+v (%v), want c alone", res.Changes, err)
		}
	})

	t.Run("begin", func(t *testing.T) {
		s, err := OpenServer(filepath.Join(t.TempDir(), "server.db"), ServerOptions{})
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		if err := s.db.write.Close(); err != nil {
			t.Fatal(err)
		}
		ran := false
		if err := s.InTx(ctx, func(domain.ServerTx) error { ran = true; return nil }); err == nil || ran {
			t.Errorf("InTx on a writer that cannot begin = %v, fn ran %v; want an error and fn not run", err, ran)
		}
	})
}
