// Package datadir finds the desk's data folder: the --data-dir flag, else the PASSERELLE_DATA_DIR
// environment variable, else the user's configuration folder (os.UserConfigDir()/Passerelle).
package datadir

import (
	"fmt"
	"os"
	"path/filepath"
)

// EnvVar is the environment variable that overrides the data folder.
const EnvVar = "PASSERELLE_DATA_DIR"

// DatabaseFile is the name of the SQLite file inside the data folder.
const DatabaseFile = "passerelle.db"

// Resolve returns the data folder to use (flag first, then environment, then the default) and
// creates it, readable by its owner only, when it does not exist.
func Resolve(flagValue string) (string, error) {
	dir := flagValue
	if dir == "" {
		dir = os.Getenv(EnvVar)
	}
	if dir == "" {
		base, err := os.UserConfigDir()
		if err != nil {
			return "", fmt.Errorf("data dir: no --data-dir, no %s and no user config folder: %w", EnvVar, err)
		}
		dir = filepath.Join(base, "Passerelle")
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", fmt.Errorf("data dir: %w", err)
	}
	if err := os.MkdirAll(abs, 0o700); err != nil {
		return "", fmt.Errorf("data dir: %w", err)
	}
	return abs, nil
}

// Database returns the path of the SQLite file in a data folder.
func Database(dir string) string { return filepath.Join(dir, DatabaseFile) }

// LogFile is the name of the application log inside the data folder.
const LogFile = "passerelle.log"

// maxLogSize is the size past which the log is set aside at start-up (one previous file kept).
const maxLogSize = 5 << 20

// OpenLog opens the application log of a data folder for appending (mode 0600). A log grown past
// 5 MB is first renamed passerelle.log.1, replacing the previous one, so that the log of a desk
// used for years stays small. The log holds what the application did, never the content of
// records.
func OpenLog(dir string) (*os.File, error) {
	path := filepath.Join(dir, LogFile)
	if st, err := os.Stat(path); err == nil && st.Size() > maxLogSize {
		if err := os.Rename(path, path+".1"); err != nil {
			return nil, fmt.Errorf("rotate log: %w", err)
		}
	}
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return nil, fmt.Errorf("open log: %w", err)
	}
	return f, nil
}
