package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"sync"
)

// stmtCache keeps the prepared statements of the hot paths (a pull, the record reads and writes
// of a push). modernc.org/sqlite parses a statement's SQL on every prepare, and parsing was a
// tenth of the server's time under load; database/sql keeps a statement prepared on each
// connection of its pool that used it.
type stmtCache struct {
	mu sync.Mutex
	m  map[stmtKey]*sql.Stmt
}

type stmtKey struct {
	pool  *sql.DB
	query string
}

// prepare prepares queries on pool and keeps them. It must run outside any transaction of
// pool (at open): preparing on the pool takes a connection, and the single writer's is held by
// its transaction.
func (db *DB) prepare(ctx context.Context, pool *sql.DB, queries ...string) error {
	c := &db.stmts
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil {
		c.m = map[stmtKey]*sql.Stmt{}
	}
	for _, q := range queries {
		if _, ok := c.m[stmtKey{pool, q}]; ok {
			continue
		}
		st, err := pool.PrepareContext(ctx, q)
		if err != nil {
			return err
		}
		c.m[stmtKey{pool, q}] = st
	}
	return nil
}

// txStmt returns query prepared for tx, which runs on pool (db.read or db.write): the cached
// statement when prepare kept it, else one prepared for tx alone. The returned statement
// belongs to tx and is closed with it.
func (db *DB) txStmt(ctx context.Context, tx *sql.Tx, pool *sql.DB, query string) (*sql.Stmt, error) {
	c := &db.stmts
	c.mu.Lock()
	st, ok := c.m[stmtKey{pool, query}]
	c.mu.Unlock()
	if !ok {
		return tx.PrepareContext(ctx, query)
	}
	return tx.StmtContext(ctx, st), nil
}

// close closes every cached statement (before the pools are closed).
func (c *stmtCache) close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	var errs []error
	for k, st := range c.m {
		errs = append(errs, st.Close())
		delete(c.m, k)
	}
	return errors.Join(errs...)
}

// txStmtExec runs query, prepared by prepare on the write pool, in tx.
func (db *DB) txStmtExec(ctx context.Context, tx *sql.Tx, query string, args ...any) (sql.Result, error) {
	st, err := db.txStmt(ctx, tx, db.write, query)
	if err != nil {
		return nil, err
	}
	defer st.Close()
	return st.ExecContext(ctx, args...)
}

// txStmtQueryRow runs query, prepared by prepare on the write pool, in tx. The statement stays
// open until tx ends (the row reads through it). A failure to prepare comes out of the row's
// Scan.
func (db *DB) txStmtQueryRow(ctx context.Context, tx *sql.Tx, query string, args ...any) *sql.Row {
	st, err := db.txStmt(ctx, tx, db.write, query)
	if err != nil {
		return tx.QueryRowContext(ctx, query, args...) // prepares it again, and reports the error
	}
	return st.QueryRowContext(ctx, args...)
}

// queryRow runs query on pool outside any transaction, through the statement prepare kept
// when there is one.
func (db *DB) queryRow(ctx context.Context, pool *sql.DB, query string, args ...any) *sql.Row {
	c := &db.stmts
	c.mu.Lock()
	st, ok := c.m[stmtKey{pool, query}]
	c.mu.Unlock()
	if !ok {
		return pool.QueryRowContext(ctx, query, args...)
	}
	return st.QueryRowContext(ctx, args...)
}
