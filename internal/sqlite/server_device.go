package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/edas92/passerelle/internal/domain"
)

// AddSite creates a site (an EDAS) with a new UUIDv7 id. EINVALID for a blank name, ECONFLICT
// when a site already has that name.
func (s *ServerDB) AddSite(ctx context.Context, name string) (domain.Site, error) {
	name = strings.TrimSpace(name)
	if name == "" {
		return domain.Site{}, fmt.Errorf("add site: %w", domain.Errorf(domain.EINVALID, "Le nom du site est vide."))
	}
	site := domain.Site{ID: domain.NewUUID(), Name: name, CreatedAt: s.db.clock()}
	err := s.db.inWrite(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO site (id, name, created_at) VALUES (?, ?, ?)`,
			site.ID, site.Name, formatTime(site.CreatedAt))
		if isUniqueViolation(err) {
			return domain.Errorf(domain.ECONFLICT, "Un site s’appelle déjà « %s ».", name)
		}
		return err
	})
	if err != nil {
		return domain.Site{}, fmt.Errorf("add site: %w", err)
	}
	return site, nil
}

// Sites returns every site, by name.
func (s *ServerDB) Sites(ctx context.Context) ([]domain.Site, error) {
	var sites []domain.Site
	err := s.db.inRead(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT id, name, created_at FROM site ORDER BY name, id`)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var site domain.Site
			var at string
			if err := rows.Scan(&site.ID, &site.Name, &at); err != nil {
				return err
			}
			if site.CreatedAt, err = parseTime(at); err != nil {
				return err
			}
			sites = append(sites, site)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("list sites: %w", err)
	}
	return sites, nil
}

// AddEnrolment stores the hash of a new single-use code for a site, valid until expires.
// EINVALID for an empty hash, ENOTFOUND for an unknown site, ECONFLICT when the hash is already
// stored (the same code printed twice).
func (s *ServerDB) AddEnrolment(ctx context.Context, siteID, codeHash string, expires time.Time) error {
	if codeHash == "" {
		return fmt.Errorf("add enrolment code: %w", domain.Errorf(domain.EINVALID, "Le code d’inscription est vide."))
	}
	err := s.db.inWrite(ctx, func(tx *sql.Tx) error {
		if err := siteExists(ctx, tx, siteID); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO enrolment (code_hash, site_id, created_at, expires_at)
			VALUES (?, ?, ?, ?)`, codeHash, siteID, formatTime(s.db.clock()), formatTime(storedTime(expires)))
		if isKeyViolation(err) {
			return domain.Errorf(domain.ECONFLICT, "Ce code d’inscription existe déjà.")
		}
		return err
	})
	if err != nil {
		return fmt.Errorf("add enrolment code: %w", err)
	}
	return nil
}

// Enrol uses a code (by its hash) once and creates the device, with a new UUIDv7 id, the hash of
// its token and now as its creation time, in one transaction: a failure leaves the code unused.
// ENOTFOUND for an unknown code; ECONFLICT for a code already used or expired (now at or after
// its expiry), of another site than siteID when siteID is not "" (the desk holds files of
// siteID: the code stays unused), or a token hash another device has.
func (s *ServerDB) Enrol(ctx context.Context, codeHash, tokenHash, deviceName string, now time.Time, siteID string) (domain.Device, error) {
	if tokenHash == "" {
		return domain.Device{}, fmt.Errorf("enrol: %w", domain.Errorf(domain.EINVALID, "Le jeton de l’appareil est vide."))
	}
	now = storedTime(now)
	dev := domain.Device{ID: domain.NewUUID(), Name: deviceName, CreatedAt: now}
	err := s.db.inWrite(ctx, func(tx *sql.Tx) error {
		var expires string
		var used sql.NullString
		err := tx.QueryRowContext(ctx, `SELECT site_id, expires_at, used_at FROM enrolment WHERE code_hash = ?`, codeHash).
			Scan(&dev.SiteID, &expires, &used)
		if errors.Is(err, sql.ErrNoRows) {
			return domain.Errorf(domain.ENOTFOUND, "Ce code d’inscription est inconnu : vérifiez-le, ou demandez-en un nouveau à l’administrateur.")
		} else if err != nil {
			return err
		}
		if used.Valid {
			return domain.Errorf(domain.ECONFLICT, "Ce code d’inscription a déjà servi : demandez-en un nouveau à l’administrateur.")
		}
		exp, err := parseTime(expires)
		if err != nil {
			return err
		}
		if !now.Before(exp) {
			return domain.Errorf(domain.ECONFLICT, "Ce code d’inscription a expiré : demandez-en un nouveau à l’administrateur.")
		}
		if siteID != "" && siteID != dev.SiteID {
			var name string
			if err := tx.QueryRowContext(ctx, `SELECT name FROM site WHERE id = ?`, dev.SiteID).Scan(&name); err != nil {
				return err
			}
			return domain.Errorf(domain.ECONFLICT, "Ce code d’inscription est celui de l’EDAS « %s », mais ce poste contient des dossiers d’une autre EDAS, qui ne doivent pas lui parvenir. Le code n’a pas servi : inscrivez le poste avec un code de son EDAS, ou utilisez un autre poste.", name)
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO device (id, site_id, name, token_hash, created_at)
			VALUES (?, ?, ?, ?, ?)`, dev.ID, dev.SiteID, dev.Name, tokenHash, formatTime(now))
		if isUniqueViolation(err) {
			return domain.Errorf(domain.ECONFLICT, "Ce jeton appartient déjà à un autre appareil.")
		} else if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE enrolment SET used_at = ?, device_id = ? WHERE code_hash = ?`,
			formatTime(now), dev.ID, codeHash)
		return err
	})
	if err != nil {
		return domain.Device{}, fmt.Errorf("enrol: %w", err)
	}
	return dev, nil
}

// deviceColumns are the columns scanDevice reads, in its order.
const deviceColumns = `id, site_id, name, created_at, revoked_at, last_seen_at, last_mutation`

// deviceByTokenSQL finds the device of every request; prepared at open.
const deviceByTokenSQL = `SELECT ` + deviceColumns + ` FROM device WHERE token_hash = ?`

// scanDevice reads a device row of deviceColumns.
func scanDevice(row interface{ Scan(...any) error }) (domain.Device, error) {
	var d domain.Device
	var created string
	var revoked, seen sql.NullString
	if err := row.Scan(&d.ID, &d.SiteID, &d.Name, &created, &revoked, &seen, &d.LastMutation); err != nil {
		return domain.Device{}, err
	}
	var err error
	if d.CreatedAt, err = parseTime(created); err != nil {
		return domain.Device{}, err
	}
	if d.RevokedAt, err = parseNullTime(revoked); err != nil {
		return domain.Device{}, err
	}
	if d.LastSeenAt, err = parseNullTime(seen); err != nil {
		return domain.Device{}, err
	}
	return d, nil
}

// errNoDevice is the ENOTFOUND of an unknown device id.
func errNoDevice(id string) error {
	return domain.Errorf(domain.ENOTFOUND, "Aucun appareil n’a l’identifiant %s.", id)
}

// DeviceByToken finds a device by the hash of its token, revoked ones too (the caller tells a
// revoked device from an unknown one). ENOTFOUND.
func (s *ServerDB) DeviceByToken(ctx context.Context, tokenHash string) (domain.Device, error) {
	dev, err := scanDevice(s.db.queryRow(ctx, s.db.read, deviceByTokenSQL, tokenHash))
	if errors.Is(err, sql.ErrNoRows) {
		// The message names no token: it must never reach a log line.
		return domain.Device{}, domain.Errorf(domain.ENOTFOUND, "Cet appareil n’est pas inscrit.")
	} else if err != nil {
		return domain.Device{}, fmt.Errorf("find device by token: %w", err)
	}
	return dev, nil
}

// TouchDevice records when a device was last seen (at, kept in UTC to the millisecond).
// ENOTFOUND for an unknown device.
func (s *ServerDB) TouchDevice(ctx context.Context, id string, at time.Time) error {
	if err := s.setDeviceTime(ctx, `UPDATE device SET last_seen_at = ? WHERE id = ?`, id, at); err != nil {
		return fmt.Errorf("touch device: %w", err)
	}
	return nil
}

// RevokeDevice refuses a device from now on (at, kept in UTC to the millisecond). Revoking a
// revoked device keeps its first revocation time. ENOTFOUND for an unknown device.
func (s *ServerDB) RevokeDevice(ctx context.Context, id string, at time.Time) error {
	if err := s.setDeviceTime(ctx, `UPDATE device SET revoked_at = coalesce(revoked_at, ?) WHERE id = ?`, id, at); err != nil {
		return fmt.Errorf("revoke device: %w", err)
	}
	return nil
}

// setDeviceTime runs query, an UPDATE of one device's timestamp with the parameters (at, id).
func (s *ServerDB) setDeviceTime(ctx context.Context, query, id string, at time.Time) error {
	return s.db.inWrite(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, query, formatTime(storedTime(at)), id)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			return errNoDevice(id)
		}
		return nil
	})
}

// Devices returns every device, revoked ones too, in the order they were enrolled.
func (s *ServerDB) Devices(ctx context.Context) ([]domain.Device, error) {
	var devs []domain.Device
	err := s.db.inRead(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT `+deviceColumns+` FROM device ORDER BY created_at, id`)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			d, err := scanDevice(rows)
			if err != nil {
				return err
			}
			devs = append(devs, d)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("list devices: %w", err)
	}
	return devs, nil
}

// siteExists returns ENOTFOUND unless the site exists.
func siteExists(ctx context.Context, tx *sql.Tx, siteID string) error {
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM site WHERE id = ?`, siteID).Scan(&n); err != nil {
		return err
	}
	if n == 0 {
		return domain.Errorf(domain.ENOTFOUND, "Aucun site n’a l’identifiant %s.", siteID)
	}
	return nil
}
