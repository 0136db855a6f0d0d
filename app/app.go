// Package app is the seam between the desktop window and the Go core: one bound struct per area
// of the screen (Directory, Imports, Sync, Shell…). Every exported method of a bound struct
// becomes a JavaScript function; lifecycle hooks live on App, which is not bound.
package app

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"sync"
	"time"

	"github.com/edas92/passerelle/internal/accesslog"
	"github.com/edas92/passerelle/internal/directory"
	"github.com/edas92/passerelle/internal/domain"
	"github.com/edas92/passerelle/internal/interviews"
	"github.com/edas92/passerelle/internal/referrals"
)

// Event names shared with the frontend (frontend/src/api/events.ts).
const (
	EventImportProgress   = "import:progress"   // payload: domain.ImportProgress
	EventDirectoryChanged = "directory:changed" // payload: none; search again
	EventDirectoryReady   = "directory:ready"   // payload: Status; the index is built
)

// Runtime is what the app needs of the desktop runtime: events and native dialogs. The desktop
// build passes Wails' runtime; tests pass a fake.
type Runtime interface {
	Emit(ctx context.Context, event string, data ...any)
	OpenFiles(ctx context.Context, title string) ([]string, error)
	OpenDirectory(ctx context.Context, title string) (string, error)
	OpenFile(ctx context.Context, path string) error // in the system's viewer
	SaveFile(ctx context.Context, title, defaultName string) (string, error)
}

// App wires the bound structs to the directory and the runtime.
type App struct {
	Directory  *Directory
	Imports    *Imports
	Usagers    *Usagers
	Interviews *Interviews
	Referrals  *Referrals
	Settings   *Settings
	Sync       *Sync
	Shell      *Shell

	core *core
	dir  *directory.Directory
	ivs  *interviews.Service
	log  *slog.Logger
}

// core is the state the bound structs share: the window's context and whether the directory is
// loaded.
type core struct {
	access  *accesslog.Log // nil: no access log (tests)
	worker  func() string  // the worker's name, for the access log
	rt      Runtime
	dataDir string
	log     *slog.Logger
	mu      sync.Mutex
	ctx     context.Context
	loaded  chan struct{}
	loadErr error
	demoNew bool
}

func (c *core) context() context.Context {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.ctx == nil {
		return context.Background()
	}
	return c.ctx
}

// waitLoaded blocks until the directory's index is built (it is built in the background at start).
func (c *core) waitLoaded(ctx context.Context) error {
	select {
	case <-c.loaded:
		return c.loadErr
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (c *core) emit(event string, data ...any) {
	c.rt.Emit(c.context(), event, data...)
}

// record writes an access to a person's data in the access log (never its content). A failure is
// logged: the access itself goes on.
func (c *core) record(action, object string) {
	if c.access == nil {
		return
	}
	if err := c.access.Record(c.worker(), action, object); err != nil {
		c.log.Error("access log", "err", err)
	}
}

// Options configure the app.
type Options struct {
	Access    *accesslog.Log // the access log of the usager files; nil for none
	DataDir   string
	ReadyFile string // when set, Shell.Ready writes this file (used by the start-up smoke test)
	Version   string
	Logger    *slog.Logger
	Sync      SyncOptions // the sync with the central server; a zero value: none
}

// New returns the app over the directory, the usager files and the referrals.
func New(dir *directory.Directory, ivs *interviews.Service, refs *referrals.Service, rt Runtime, opt Options) *App {
	if opt.Logger == nil {
		opt.Logger = slog.Default()
	}
	c := &core{rt: rt, dataDir: opt.DataDir, log: opt.Logger, loaded: make(chan struct{}), access: opt.Access}
	c.worker = func() string {
		st, err := refs.Settings(c.context())
		if err != nil {
			return ""
		}
		return st.WorkerName
	}
	return &App{
		Directory:  &Directory{core: c, dir: dir},
		Imports:    &Imports{core: c, dir: dir},
		Usagers:    &Usagers{core: c, svc: ivs},
		Interviews: &Interviews{core: c, svc: ivs},
		Referrals:  &Referrals{core: c, svc: refs},
		Settings:   &Settings{core: c, svc: refs},
		Sync:       newSync(c, dir, opt.Sync),
		Shell:      &Shell{core: c, readyFile: opt.ReadyFile, version: opt.Version},
		core:       c,
		dir:        dir,
		ivs:        ivs,
		log:        opt.Logger,
	}
}

// Bindings lists the structs whose methods the frontend may call.
func (a *App) Bindings() []any {
	return []any{a.Directory, a.Imports, a.Usagers, a.Interviews, a.Referrals, a.Settings, a.Sync, a.Shell}
}

// Startup receives the window's context and builds the search index in the background (the
// window shows at once; searches wait for the index). On the first launch of a desk with an empty
// directory it loads the demo directory. It also stores the default interview grid and applies
// the retention rule to usager files.
func (a *App) Startup(ctx context.Context) {
	a.core.mu.Lock()
	a.core.ctx = ctx
	a.core.mu.Unlock()
	if _, err := a.ivs.Start(ctx); err != nil {
		a.log.Error("interviews start failed", "err", err)
	}
	CleanPrinted(a.core.dataDir, time.Now())
	go func() {
		err := a.dir.Load(ctx)
		if err == nil {
			var loadedDemo bool
			loadedDemo, err = a.dir.EnsureDemo(ctx)
			a.core.demoNew = loadedDemo
		}
		if err != nil {
			a.log.Error("directory load failed", "err", err)
		}
		a.core.loadErr = err
		close(a.core.loaded)
		a.core.emit(EventDirectoryReady, a.Directory.status())
	}()
}

// DomReady is called once the window has drawn its page: the background sync starts then, so
// that it never competes with the window's start.
func (a *App) DomReady(ctx context.Context) {
	a.Sync.start()
}

// Shutdown is called when the window closes: the background sync stops (a sync running is
// cancelled; nothing it confirmed is lost).
func (a *App) Shutdown(ctx context.Context) {
	a.Sync.stop()
	a.log.Info("window closed")
}

// Shell is the application itself: readiness and information.
type Shell struct {
	core      *core
	readyFile string
	version   string
}

// Info describes the running application.
type Info struct {
	Version string `json:"version"`
	DataDir string `json:"data_dir"`
}

// Info returns the version and the data folder.
func (s *Shell) Info() Info { return Info{Version: s.version, DataDir: s.core.dataDir} }

// Ready is called by the frontend once the directory screen is drawn with its first results
// (how many it shows).
func (s *Shell) Ready(results int) {
	s.core.log.Info("frontend ready", "results", results)
	if s.readyFile != "" {
		if err := os.WriteFile(s.readyFile, []byte(fmt.Sprintf("ready results=%d\n", results)), 0o600); err != nil {
			s.core.log.Error("write ready file", "err", err)
		}
	}
}

// ErrorFormatter turns errors returned to the frontend into {code, message}: the message is
// French and meant for the screen; details of internal errors stay in the logs.
func ErrorFormatter(log *slog.Logger) func(error) any {
	return func(err error) any {
		code := domain.ErrorCode(err)
		if code == domain.EINTERNAL {
			log.Error("internal error returned to the frontend", "err", err)
		}
		return map[string]string{"code": code, "message": domain.ErrorMessage(err)}
	}
}
