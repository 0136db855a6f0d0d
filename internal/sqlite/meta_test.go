package sqlite

import (
	"context"
	"testing"
)

func TestDB_Meta(t *testing.T) {
	t.Parallel()
	db, _ := openTest(t)
	ctx := context.Background()
	before := count(t, db, "change_log", "")

	steps := []struct {
		name       string
		set        bool
		key, value string
		want       string
	}{
		{"unset key", false, "device_id", "", ""},
		{"set", true, "device_id", "7f9c…", "7f9c…"},
		{"replace", true, "device_id", "0193", "0193"},
		{"other key untouched", false, "pull_cursor", "", ""},
		{"empty value", true, "pull_cursor", "", ""},
	}
	for _, step := range steps {
		t.Run(step.name, func(t *testing.T) {
			if step.set {
				if err := db.SetMeta(ctx, step.key, step.value); err != nil {
					t.Fatal(err)
				}
			}
			got, err := db.GetMeta(ctx, step.key)
			if err != nil || got != step.want {
				t.Errorf("GetMeta(%q) = %q, %v; want %q", step.key, got, err, step.want)
			}
		})
	}
	if n := count(t, db, "meta", ""); n != 2 {
		t.Errorf("meta has %d rows, want 2", n)
	}
	// Desk settings are local: nothing to sync.
	if n := count(t, db, "change_log", ""); n != before {
		t.Errorf("settings added %d change-log rows", n-before)
	}
}
