package domain

import (
	"errors"
	"fmt"
	"testing"
	"time"
)

func TestFreshnessOf(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		date  string
		level string
		score float64
	}{
		{"2026-11-01", FreshUpToDate, 1},
		{"2026-06-01", FreshUpToDate, 1},   // under 6 months
		{"2025-11-23", FreshToCheck, 0.66}, // 12 months and 10 hours: 1 - 6/18, a little less
		{"2025-05-23", FreshToCheck, 0.33}, // 18 months
		{"2024-11-23", FreshStale, 0},      // 24 months
		{"2019-01-01", FreshStale, 0},
		{"2027-01-01", FreshUpToDate, 1}, // a date in the future is not older
		{"23/11/2026", FreshUnknown, 0},
		{"", FreshUnknown, 0},
	} {
		got := FreshnessOf(tc.date, now)
		if got.Level != tc.level || got.Score != tc.score || (tc.date == "2025-11-23" && got.MonthsOld != 12) {
			t.Errorf("FreshnessOf(%q) = %+v, want level %s score %v", tc.date, got, tc.level, tc.score)
		}
	}
}

func TestRecordUUID(t *testing.T) {
	t.Parallel()
	a := RecordUUID(KindService, "dora", "dora--42")
	if a != RecordUUID(KindService, "dora", "42") {
		t.Error("an id with and without its source prefix must give the same UUID")
	}
	if a == RecordUUID(KindStructure, "dora", "dora--42") {
		t.Error("a structure and a service with the same id must get different UUIDs")
	}
	if a != RecordUUID(KindService, "dora", "dora--42") {
		t.Error("RecordUUID must be deterministic")
	}
	u := NewUUID()
	if got := RecordUUID(KindService, LocalSource, LocalID(u)); got != u {
		t.Errorf("a desk record must get its own UUID back: %s != %s", got, u)
	}
}

func TestEffectiveLocation(t *testing.T) {
	t.Parallel()
	st := &Structure{Adresse: Ptr("1 rue A"), CodeInsee: Ptr("92050"), Commune: Ptr("Nanterre"), Latitude: Ptr(48.89)}
	sv := &Service{}
	if loc := EffectiveLocation(sv, st); !loc.FromStructure || loc.CodeInsee != "92050" {
		t.Errorf("a service without address inherits its structure's: %+v", loc)
	}
	sv.CodeInsee = Ptr("92002")
	if loc := EffectiveLocation(sv, st); loc.FromStructure || loc.CodeInsee != "92002" || loc.Adresse != "" {
		t.Errorf("a service with its own place keeps it: %+v", loc)
	}
	sv.HorairesAccueil = nil
	st.HorairesAccueil = Ptr("Mo 10:00-12:00")
	if h := EffectiveHours(sv, st); h != "Mo 10:00-12:00" {
		t.Errorf("hours inherited: %q", h)
	}
}

func TestErrorCode(t *testing.T) {
	t.Parallel()
	e := Errorf(EINVALID, "Mauvais « %s ».", "x")
	wrapped := fmt.Errorf("import: %w", e)
	if ErrorCode(wrapped) != EINVALID || ErrorMessage(wrapped) != "Mauvais « x »." {
		t.Errorf("wrapped domain error lost: %q %q", ErrorCode(wrapped), ErrorMessage(wrapped))
	}
	other := errors.New("disk full")
	if ErrorCode(other) != EINTERNAL || ErrorMessage(other) == "disk full" {
		t.Error("internal errors must not leak their text to the screen")
	}
	if ErrorCode(nil) != "" {
		t.Error("nil has no code")
	}
}
