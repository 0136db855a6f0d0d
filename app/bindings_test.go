package app

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// TestBindings_Generated: every bound struct has its generated JavaScript module, with every
// exported method. The bindings are committed (frontend/wailsjs) so that builds need no Wails
// CLI; this test says when someone forgot to regenerate them (`wails generate module`).
func TestBindings_Generated(t *testing.T) {
	t.Parallel()
	a := &App{Directory: &Directory{}, Imports: &Imports{}, Usagers: &Usagers{}, Interviews: &Interviews{},
		Referrals: &Referrals{}, Settings: &Settings{}, Sync: &Sync{}, Shell: &Shell{}}
	bound := a.Bindings()
	if n := reflect.TypeOf(*a).NumField(); len(bound) < 8 {
		t.Fatalf("%d bound structs for %d fields of App: a bound struct is missing from Bindings", len(bound), n)
	}
	for _, b := range bound {
		typ := reflect.TypeOf(b)
		name := typ.Elem().Name()
		dts, err := os.ReadFile(filepath.Join("..", "frontend", "wailsjs", "go", "app", name+".d.ts"))
		if err != nil {
			t.Errorf("no generated module for %s: run wails generate module (%v)", name, err)
			continue
		}
		for i := 0; i < typ.NumMethod(); i++ {
			m := typ.Method(i).Name
			if !strings.Contains(string(dts), "export function "+m+"(") {
				t.Errorf("%s.%s is not in the generated bindings: run wails generate module", name, m)
			}
		}
	}
	// Every pointer field of App that is a bound struct is in Bindings.
	v := reflect.ValueOf(*a)
	for i := 0; i < v.NumField(); i++ {
		f := v.Type().Field(i)
		if !f.IsExported() || f.Type.Kind() != reflect.Pointer {
			continue
		}
		found := false
		for _, b := range bound {
			if reflect.TypeOf(b) == f.Type {
				found = true
			}
		}
		if !found {
			t.Errorf("App.%s is not bound", f.Name)
		}
	}
}
