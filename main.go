// Passerelle: the directory of collaborative initiatives on every EDAS desk, offline.
// This file only wires the parts together.
package main

import (
	"embed"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"

	"github.com/wailsapp/wails/v2"
	"github.com/wailsapp/wails/v2/pkg/options"
	"github.com/wailsapp/wails/v2/pkg/options/assetserver"
	"github.com/wailsapp/wails/v2/pkg/options/linux"

	"github.com/edas92/passerelle/app"
	"github.com/edas92/passerelle/internal/accesslog"
	"github.com/edas92/passerelle/internal/datadir"
	"github.com/edas92/passerelle/internal/directory"
	"github.com/edas92/passerelle/internal/interviews"
	"github.com/edas92/passerelle/internal/referrals"
	"github.com/edas92/passerelle/internal/sqlite"
)

//go:embed all:frontend/dist
var assets embed.FS

// icon is the window icon on Linux; Windows takes it from resource_windows_amd64.syso.
//
//go:embed build/appicon.png
var icon []byte

//go:generate go run ./build/windows/syso

// version is set at build time (-ldflags "-X main.version=…").
var version = "dev"

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "passerelle:", err)
		os.Exit(1)
	}
}

func run() error {
	fs := flag.NewFlagSet("passerelle", flag.ContinueOnError)
	dataDirFlag := fs.String("data-dir", "", "data folder (or PASSERELLE_DATA_DIR)")
	if err := fs.Parse(os.Args[1:]); err != nil {
		return err
	}
	dir, err := datadir.Resolve(*dataDirFlag)
	if err != nil {
		return err
	}
	logFile, err := datadir.OpenLog(dir)
	if err != nil {
		return err
	}
	defer logFile.Close()
	logger := slog.New(slog.NewTextHandler(io.MultiWriter(os.Stderr, logFile), nil))
	slog.SetDefault(logger)

	db, err := sqlite.Open(datadir.Database(dir), sqlite.Options{})
	if err != nil {
		return err
	}
	defer db.Close()
	directorySvc := directory.New(db, directory.Options{Logger: logger})
	interviewSvc := interviews.New(db, directorySvc, interviews.Options{Logger: logger})
	referralSvc := referrals.New(referrals.Stores{Referrals: db, Directory: db, Interviews: db, Meta: db}, referrals.Options{Logger: logger})
	access, err := accesslog.Open(dir, nil)
	if err != nil {
		return err
	}
	a := app.New(directorySvc, interviewSvc, referralSvc, app.WailsRuntime{}, app.Options{
		Access:  access,
		DataDir: dir, ReadyFile: os.Getenv("PASSERELLE_READY_FILE"), Version: version, Logger: logger,
		Sync: app.SyncOptions{Store: db},
	})
	logger.Info("starting", "version", version, "data_dir", dir)
	return wails.Run(&options.App{
		Title:            "Passerelle — annuaire des initiatives",
		Width:            1280,
		Height:           800,
		MinWidth:         960,
		MinHeight:        600,
		AssetServer:      &assetserver.Options{Assets: assets},
		BackgroundColour: &options.RGBA{R: 250, G: 248, B: 244, A: 255},
		OnStartup:        a.Startup,
		OnDomReady:       a.DomReady, // starts the background sync
		OnShutdown:       a.Shutdown,
		Bind:             a.Bindings(),
		ErrorFormatter:   app.ErrorFormatter(logger),
		DragAndDrop:      &options.DragAndDrop{EnableFileDrop: true},
		Linux:            &linux.Options{Icon: icon, ProgramName: "passerelle"},
	})
}
