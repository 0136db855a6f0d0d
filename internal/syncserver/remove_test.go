package syncserver

import (
	"context"
	"strings"
	"testing"

	"github.com/edas92/passerelle/internal/domain"
)

// TestRemoveDirectory checks the withdrawal of directory records: tombstones every desk pulls,
// a structure taking its services along (services first), all or nothing, and a second run that
// changes nothing.
func TestRemoveDirectory(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := newEnv(t, nil)
	d := e.enrol(e.addSite("EDAS").ID, "Accueil")
	e.importFixtures()
	svUUID := func(id string) string { return domain.RecordUUID(domain.KindService, "", id) }
	stUUID := func(id string) string { return domain.RecordUUID(domain.KindStructure, "", id) }
	version := func() int64 {
		t.Helper()
		v, err := e.store.Version(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}

	for _, tc := range []struct {
		name string
		ids  []string
		code string
	}{
		{"no identifier", nil, domain.EINVALID},
		{"an identifier without its source", []string{"v1"}, domain.EINVALID},
		{"an empty local part", []string{"cd92--"}, domain.EINVALID},
		{"one unknown among known ones", []string{"cd92--v1", "cd92--inconnu"}, domain.ENOTFOUND},
	} {
		t.Run("refused: "+tc.name, func(t *testing.T) {
			before := version()
			_, err := e.srv.RemoveDirectory(ctx, tc.ids)
			if domain.ErrorCode(err) != tc.code {
				t.Fatalf("error %v, want %s", err, tc.code)
			}
			if tc.code == domain.ENOTFOUND && !strings.Contains(domain.ErrorMessage(err), "cd92--inconnu") {
				t.Errorf("the message does not name the unknown identifier: %q", domain.ErrorMessage(err))
			}
			if v := version(); v != before {
				t.Errorf("a refused removal wrote: version %d → %d", before, v)
			}
		})
	}

	var cursor int64
	t.Run("a service", func(t *testing.T) {
		_, cursor = d.pullAll(0)
		rep, err := e.srv.RemoveDirectory(ctx, []string{" cd92--v1 ", "cd92--v1"})
		if err != nil {
			t.Fatal(err)
		}
		want := []RemovedRecord{{Kind: domain.KindService, ID: "cd92--v1", UUID: svUUID("cd92--v1")}}
		if len(rep.Removed) != 1 || rep.Removed[0] != want[0] || len(rep.AlreadyRemoved) != 0 {
			t.Fatalf("report %+v, want removed %+v", rep, want)
		}
		got, next := d.pullAll(cursor)
		r, ok := got["service/"+svUUID("cd92--v1")]
		if len(got) != 1 || !ok || !r.Deleted || len(r.Fields) != 0 {
			t.Fatalf("pulled after the removal: %+v", got)
		}
		cursor = next
	})
	t.Run("the same removal again changes nothing", func(t *testing.T) {
		before := version()
		rep, err := e.srv.RemoveDirectory(ctx, []string{"cd92--v1"})
		if err != nil || len(rep.Removed) != 0 || len(rep.AlreadyRemoved) != 1 || rep.AlreadyRemoved[0] != "cd92--v1" {
			t.Fatalf("report %+v, %v", rep, err)
		}
		if v := version(); v != before {
			t.Errorf("version %d → %d", before, v)
		}
	})
	t.Run("a structure takes its services, services first", func(t *testing.T) {
		rep, err := e.srv.RemoveDirectory(ctx, []string{"cd92--s1"})
		if err != nil {
			t.Fatal(err)
		}
		want := []RemovedRecord{
			{Kind: domain.KindService, ID: "cd92--v2", UUID: svUUID("cd92--v2"), With: "cd92--s1"},
			{Kind: domain.KindStructure, ID: "cd92--s1", UUID: stUUID("cd92--s1")},
		}
		if len(rep.Removed) != 2 || rep.Removed[0] != want[0] || rep.Removed[1] != want[1] {
			t.Fatalf("removed %+v, want %+v", rep.Removed, want)
		}
		got, _ := d.pullAll(cursor)
		sv, st := got["service/"+svUUID("cd92--v2")], got["structure/"+stUUID("cd92--s1")]
		if len(got) != 2 || !sv.Deleted || !st.Deleted || sv.Version >= st.Version {
			t.Fatalf("pulled %+v", got)
		}
		// A desk starting from scratch gets only tombstones.
		all, _ := d.pullAll(0)
		for k, r := range all {
			if !r.Deleted {
				t.Errorf("%s still live after its structure was removed", k)
			}
		}
	})
	t.Run("an import publishes them again", func(t *testing.T) {
		rep := e.importFixtures()
		if rep.Imported != 3 {
			t.Errorf("re-import after removal: %+v", rep)
		}
		all, _ := d.pullAll(0)
		for k, r := range all {
			if r.Deleted {
				t.Errorf("%s still deleted after the import", k)
			}
		}
	})
}

// TestRemoveDirectory_AfterHousekeeping removes a structure once the housekeeping has dropped
// tombstones: the scan for its services reads the directory in pages whose cursors are below
// the tombstone floor, and goes on by the since of its first page. Not parallel: it lowers the
// scan's page size for the package.
func TestRemoveDirectory_AfterHousekeeping(t *testing.T) {
	defer func(n int) { removeScanPage = n }(removeScanPage)
	removeScanPage = 1
	ctx := context.Background()
	e := newEnv(t, nil)
	e.importFixtures()
	if _, err := e.srv.RemoveDirectory(ctx, []string{"cd92--v1"}); err != nil {
		t.Fatal(err)
	}
	v, err := e.store.Version(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.store.DropTombstones(ctx, v+1); err != nil {
		t.Fatal(err)
	}
	rep, err := e.srv.RemoveDirectory(ctx, []string{"cd92--s1"})
	if err != nil {
		t.Fatalf("remove a structure after the housekeeping: %v", err)
	}
	if len(rep.Removed) != 2 || rep.Removed[0].ID != "cd92--v2" || rep.Removed[1].ID != "cd92--s1" {
		t.Errorf("removed %+v, want cd92--v2 with its structure cd92--s1", rep.Removed)
	}
}
