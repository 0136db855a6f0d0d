// Command syso writes the Windows resources of the desktop executable — icon, manifest (DPI
// awareness, common controls 6) and version information — as resource_windows_amd64.syso next
// to main.go, where the Go linker picks it up for Windows builds only. It does what `wails
// build` does, so that a plain `go build` (no Wails CLI) gives a complete executable; it uses
// github.com/tc-hib/winres, the library the Wails CLI itself uses. Run by `go generate` in the
// repository root; the .syso is committed.
package main

import (
	"fmt"
	"os"

	"github.com/tc-hib/winres"
	"github.com/tc-hib/winres/version"
)

const productVersion = "0.1.0"

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "syso:", err)
		os.Exit(1)
	}
}

func run() error {
	var rs winres.ResourceSet
	f, err := os.Open("build/windows/icon.ico")
	if err != nil {
		return err
	}
	defer f.Close()
	ico, err := winres.LoadICO(f)
	if err != nil {
		return fmt.Errorf("icon: %w", err)
	}
	if err := rs.SetIcon(winres.Name("APPICON"), ico); err != nil {
		return fmt.Errorf("icon: %w", err)
	}
	manifest, err := os.ReadFile("build/windows/wails.exe.manifest")
	if err != nil {
		return err
	}
	m, err := winres.AppManifestFromXML(manifest)
	if err != nil {
		return fmt.Errorf("manifest: %w", err)
	}
	rs.SetManifest(m)
	var vi version.Info
	vi.SetFileVersion(productVersion)
	vi.SetProductVersion(productVersion)
	for k, v := range map[string]string{
		"CompanyName":     "Département des Hauts-de-Seine",
		"FileDescription": "Passerelle — annuaire des initiatives collaboratives",
		"ProductName":     "Passerelle",
		"LegalCopyright":  "Département des Hauts-de-Seine",
		"Comments":        "Annuaire des initiatives collaboratives pour les EDAS",
	} {
		if err := vi.Set(version.LangDefault, k, v); err != nil {
			return err
		}
	}
	rs.SetVersionInfo(vi)
	out, err := os.Create("resource_windows_amd64.syso")
	if err != nil {
		return err
	}
	if err := rs.WriteObject(out, winres.ArchAMD64); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
