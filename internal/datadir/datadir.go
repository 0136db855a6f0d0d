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
