package sqlite

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"

	"github.com/edas92/passerelle/internal/domain"
)

// gridKey is the change-log UUID of a grid version: "id@version".
func gridKey(id string, version int) string { return id + "@" + strconv.Itoa(version) }

// SaveGrid stores a grid version, with embedded marking the default grid shipped with Passerelle,
// and returns true when it was new. Saving the same id and version again with the same content
// does nothing and returns false (the embedded flag of the stored version is kept). Returns
// ECONFLICT when that version is stored with another content (a published version never
// changes), and EINVALID when the grid has no id, a version below 1, or a question without an
// id or with the id of another question.
func (db *DB) SaveGrid(ctx context.Context, g domain.Grid, embedded bool) (bool, error) {
	var saved bool
	err := db.inWrite(ctx, func(tx *sql.Tx) error {
		var err error
		saved, err = db.saveGrid(ctx, tx, &g, embedded)
		return err
	})
	if err != nil {
		return false, fmt.Errorf("save grid %s: %w", gridKey(g.ID, g.Version), err)
	}
	return saved, nil
}

func (db *DB) saveGrid(ctx context.Context, tx *sql.Tx, g *domain.Grid, embedded bool) (bool, error) {
	if g.ID == "" {
		return false, domain.Errorf(domain.EINVALID, "La grille d’entretien n’a pas d’identifiant.")
	}
	if g.Version < 1 {
		return false, domain.Errorf(domain.EINVALID,
			"La grille « %s » a la version %d : les versions sont numérotées à partir de 1.", g.ID, g.Version)
	}
	seen := make(map[string]bool)
	for _, d := range g.Domains {
		for _, q := range d.Questions {
			if q.ID == "" {
				return false, domain.Errorf(domain.EINVALID,
					"Une question du domaine « %s » de la grille « %s » n’a pas d’identifiant.", d.Title, g.ID)
			}
			if seen[q.ID] {
				return false, domain.Errorf(domain.EINVALID,
					"L’identifiant de question « %s » apparaît deux fois dans la grille « %s ».", q.ID, g.ID)
			}
			seen[q.ID] = true
		}
	}

	content, err := json.Marshal(g)
	if err != nil {
		return false, fmt.Errorf("encode: %w", err)
	}
	sum := sha256.Sum256(content)
	hash := hex.EncodeToString(sum[:16])

	var storedHash string
	err = tx.QueryRowContext(ctx, `SELECT hash FROM grid WHERE id = ? AND version = ?`, g.ID, g.Version).Scan(&storedHash)
	switch {
	case err == nil && storedHash == hash:
		return false, nil
	case err == nil:
		var latest int
		if err := tx.QueryRowContext(ctx, `SELECT max(version) FROM grid WHERE id = ?`, g.ID).Scan(&latest); err != nil {
			return false, err
		}
		return false, domain.Errorf(domain.ECONFLICT,
			"La version %d de la grille « %s » existe déjà avec un autre contenu : publiez une version %d.",
			g.Version, g.ID, latest+1)
	case !errors.Is(err, sql.ErrNoRows):
		return false, err
	}

	now := formatTime(db.clock())
	if _, err := tx.ExecContext(ctx, `INSERT INTO grid (id, version, title, content, hash, embedded, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, g.ID, g.Version, g.Title, string(content), hash, embedded, now); err != nil {
		return false, fmt.Errorf("insert grid: %w", err)
	}
	stmt, err := tx.PrepareContext(ctx, `INSERT INTO grid_question
		(grid_id, grid_version, question_id, domain_id, type, sensitive, position) VALUES (?, ?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return false, err
	}
	defer stmt.Close()
	pos := 0
	for _, d := range g.Domains {
		for _, q := range d.Questions {
			if _, err := stmt.ExecContext(ctx, g.ID, g.Version, q.ID, d.ID, q.Type, d.Sensitive, pos); err != nil {
				return false, fmt.Errorf("insert question %s: %w", q.ID, err)
			}
			pos++
		}
	}
	return true, logChange(ctx, tx, domain.KindGrid, gridKey(g.ID, g.Version), domain.OpUpsert, now)
}

// Grid returns one version of a grid. ENOTFOUND when that version is not stored.
func (db *DB) Grid(ctx context.Context, id string, version int) (domain.Grid, error) {
	g, err := db.readGrid(ctx, `SELECT content FROM grid WHERE id = ? AND version = ?`, id, version)
	if errors.Is(err, sql.ErrNoRows) {
		err = domain.Errorf(domain.ENOTFOUND, "La version %d de la grille d’entretien « %s » est inconnue sur ce poste.", version, id)
	}
	if err != nil {
		return domain.Grid{}, fmt.Errorf("grid %s: %w", gridKey(id, version), err)
	}
	return g, nil
}

// LatestGrid returns the highest stored version of a grid id: the one new interviews use.
// ENOTFOUND when no version of it is stored.
func (db *DB) LatestGrid(ctx context.Context, id string) (domain.Grid, error) {
	g, err := db.readGrid(ctx, `SELECT content FROM grid WHERE id = ? ORDER BY version DESC LIMIT 1`, id)
	if errors.Is(err, sql.ErrNoRows) {
		err = domain.Errorf(domain.ENOTFOUND, "Aucune grille d’entretien « %s » n’est enregistrée sur ce poste.", id)
	}
	if err != nil {
		return domain.Grid{}, fmt.Errorf("latest grid %s: %w", id, err)
	}
	return g, nil
}

// readGrid decodes the content of the grid query selects; sql.ErrNoRows when there is none.
func (db *DB) readGrid(ctx context.Context, query string, args ...any) (domain.Grid, error) {
	var g domain.Grid
	var content []byte
	if err := db.read.QueryRowContext(ctx, query, args...).Scan(&content); err != nil {
		return g, err
	}
	if err := json.Unmarshal(content, &g); err != nil {
		return g, fmt.Errorf("decode: %w", err)
	}
	return g, nil
}

// Grids lists the stored grid versions, by id then version; Current marks the highest version of
// each id.
func (db *DB) Grids(ctx context.Context) ([]domain.GridInfo, error) {
	var infos []domain.GridInfo
	err := db.inRead(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT id, version, title, embedded,
			version = (SELECT max(version) FROM grid AS g2 WHERE g2.id = grid.id)
			FROM grid ORDER BY id, version`)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var gi domain.GridInfo
			if err := rows.Scan(&gi.ID, &gi.Version, &gi.Title, &gi.Embedded, &gi.Current); err != nil {
				return err
			}
			infos = append(infos, gi)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("list grids: %w", err)
	}
	return infos, nil
}
