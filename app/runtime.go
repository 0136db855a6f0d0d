package app

import (
	"context"
	"fmt"
	"os/exec"
	goruntime "runtime"

	"github.com/wailsapp/wails/v2/pkg/runtime"
)

// WailsRuntime is the desktop runtime: Wails events and the system's native dialogs.
type WailsRuntime struct{}

// Emit sends an event to the frontend.
func (WailsRuntime) Emit(ctx context.Context, event string, data ...any) {
	runtime.EventsEmit(ctx, event, data...)
}

// OpenFiles shows the system's file chooser for import files.
func (WailsRuntime) OpenFiles(ctx context.Context, title string) ([]string, error) {
	return runtime.OpenMultipleFilesDialog(ctx, runtime.OpenDialogOptions{
		Title: title,
		Filters: []runtime.FileFilter{
			{DisplayName: "Annuaire (JSON data·inclusion, CSV)", Pattern: "*.json;*.csv"},
			{DisplayName: "Tous les fichiers", Pattern: "*"},
		},
	})
}

// OpenDirectory shows the system's folder chooser.
func (WailsRuntime) OpenDirectory(ctx context.Context, title string) (string, error) {
	return runtime.OpenDirectoryDialog(ctx, runtime.OpenDialogOptions{Title: title, CanCreateDirectories: true})
}

// SaveFile shows the system's save dialog.
func (WailsRuntime) SaveFile(ctx context.Context, title, defaultName string) (string, error) {
	return runtime.SaveFileDialog(ctx, runtime.SaveDialogOptions{Title: title, DefaultFilename: defaultName})
}

// OpenFile opens a file in the system's default application (a PDF in its viewer). Wails'
// BrowserOpenURL refuses file:// addresses, so the system's opener is started directly.
func (WailsRuntime) OpenFile(ctx context.Context, path string) error {
	var cmd *exec.Cmd
	switch goruntime.GOOS {
	case "windows":
		cmd = exec.Command("rundll32", "url.dll,FileProtocolHandler", path)
	case "darwin":
		cmd = exec.Command("open", path)
	default:
		cmd = exec.Command("xdg-open", path)
	}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("open %s: %w", path, err)
	}
	go cmd.Wait() // reap it; the viewer lives on its own
	return nil
}
