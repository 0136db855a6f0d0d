package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"sync"
	"time"
)

// The pull cache: the tail of the server's versions, kept encoded in memory for PullEncoded.
//
// In a sync wave every desk pulls what its colleagues pushed a few minutes before: the same few
// thousand records, read from SQLite and encoded again for each of the site's desks, were a third
// of the server's time. The cache keeps, for the versions in (floor, upTo], the encoded JSON
// object of each record's current state (the very bytes the SQLite path builds), in one
// version-ordered list per scope: one per site, one for the global records (site NULL).
//
// It does not hook into writes: other processes write to the same file (the passerelle-server
// CLI imports and removes directory records and accepts suggestions while `serve` runs; several
// servers may share a file). A pull instead reads meta.version (V) in its read snapshot, as it
// did before the cache; when the cache is behind (upTo < V) it catches up from that snapshot: one
// query reads the records whose version is in (upTo, V], in version order, all scopes, and the
// cache appends them and sets upTo = V. A record written again supersedes its older entry (the
// entry is marked dead and never sent again), so the live entries of (floor, upTo] are exactly
// the records whose current version, as of upTo, lies there — except the tombstones that
// DropTombstones deleted without a new version, which may stay in the cache (see page).
//
// Memory is bounded three ways, all of which only raise the floor, sending older cursors back to
// SQLite (which is where they went before the cache):
//   - bytes: over maxBytes (64 MiB by default) of encoded records and bookkeeping, the oldest
//     versions are dropped down to three quarters of it, so that a steady stream of writes does
//     not trim at every catch-up;
//   - age: an entry is dropped between 7/8 and 8/8 of maxAge (1 hour by default) after the cache
//     caught up with it. Desks sync every few minutes, so an hour serves a desk that missed a
//     dozen syncs from memory; what is older — the directory records of an import, a day of
//     work — leaves memory even on a quiet server (the age is checked at each pull), instead of
//     staying until the byte bound pushes it out, which it never would below 64 MiB;
//   - catch-up: a gap of more than maxCatchUp versions (an import) is not read into the cache:
//     the cache restarts empty at V. Reading it would hold every pull behind the catch-up for the
//     time of a full export, to cache records most desks pull once.
//
// The cache starts empty at open, with floor = upTo = meta.version: every desk's first pull
// after a restart goes to SQLite, and its next ones come from memory. A pull from 0 (a first
// sync, a resync: the whole scope) always goes to SQLite, so the cache never holds the whole
// directory for it.

// Defaults of the pull cache's bounds.
const (
	pullCacheMaxBytes   = 64 << 20
	pullCacheMaxAge     = time.Hour
	pullCacheMaxCatchUp = 10_000
	// The number of dead entries below which the lists are not compacted.
	pullCacheCompactMin = 1024
)

// cacheEntryOverhead is what an entry costs beside its encoded bytes: the entry, its key's two
// strings, its slot in the live map and in two lists. Counting it makes the byte bound hold for
// many small records and for the dead entries of records written again and again.
const cacheEntryOverhead = 160

// pullTailSQL reads the records the cache has not seen, all scopes, in version order: a range of
// the index of record.version (UNIQUE), however many records the store holds.
const pullTailSQL = `SELECT kind, uuid, site, version, deleted, fields, conflicts FROM record
	WHERE version > ?1 AND version <= ?2 ORDER BY version`

// recordKey identifies a synced record.
type recordKey struct{ kind, uuid string }

// cacheEntry is one record's state at one version.
type cacheEntry struct {
	version int64
	key     recordKey
	b       []byte // the encoded record; nil once dead
	dead    bool   // superseded by a later version: never sent again
}

// cacheMark says that the cache had caught up with version by the time at.
type cacheMark struct {
	version int64
	at      time.Time
}

// pullCache is the in-memory tail of encoded records that serves PullEncoded. It is safe for
// concurrent use: pulls read it under the read lock; a catch-up, and the trims, take the write
// lock, which also serialises the catch-ups.
type pullCache struct {
	db *DB // its clock, its statements, its read pool

	// Bounds; tests lower them before the first pull.
	maxBytes   int64
	maxAge     time.Duration
	maxCatchUp int64
	compactMin int

	mu     sync.RWMutex
	floor  int64                     // cursors below it are served by SQLite
	upTo   int64                     // the server version the cache holds everything up to
	scopes map[string][]*cacheEntry  // per site ("" for global), in version order
	order  []*cacheEntry             // every entry, in version order: what trims drop
	live   map[recordKey]*cacheEntry // each record's latest entry
	bytes  int64                     // encoded bytes of the live entries, and every entry's overhead
	dead   int                       // dead entries still in the lists
	marks  []cacheMark               // in time and version order, at least maxAge/8 apart
}

// newPullCache returns an empty cache at the server's current version, and prepares its
// catch-up statement on the read pool.
func newPullCache(ctx context.Context, db *DB) (*pullCache, error) {
	if err := db.prepare(ctx, db.read, pullTailSQL); err != nil {
		return nil, fmt.Errorf("prepare: %w", err)
	}
	var v int64
	if err := db.read.QueryRowContext(ctx, `SELECT version FROM meta WHERE id = 1`).Scan(&v); err != nil {
		return nil, fmt.Errorf("read server version: %w", err)
	}
	return newPullCacheAt(db, v), nil
}

// newPullCacheAt returns an empty cache at version v, with the default bounds.
func newPullCacheAt(db *DB, v int64) *pullCache {
	c := &pullCache{db: db, maxBytes: pullCacheMaxBytes, maxAge: pullCacheMaxAge, maxCatchUp: pullCacheMaxCatchUp,
		compactMin: pullCacheCompactMin}
	c.reset(v)
	return c
}

// reset empties the cache and starts it again at version v.
func (c *pullCache) reset(v int64) {
	c.floor, c.upTo = v, v
	c.scopes = map[string][]*cacheEntry{}
	c.order = nil
	c.live = map[recordKey]*cacheEntry{}
	c.bytes, c.dead = 0, 0
	c.marks = nil
}

// page serves a page of PullEncoded from the cache, for a pull whose read transaction tx saw the
// server at version, and whose cursor already passed the ERESYNC checks. ok is false when the
// cursor is 0 (a first sync, or a resync: the whole scope, which the cache holds only on a
// server started empty, and then with the tombstones housekeeping dropped) or below the cache's
// floor: the caller then reads the page from SQLite in tx.
//
// When the cache is behind tx's snapshot, it first catches up from tx. When it is ahead (another
// pull caught up from a later snapshot), the page is served as of the cache's upTo: every entry
// of the cache is committed, and a desk's next pull starts after this one's answer, in a snapshot
// that holds upTo. So the page is the one the SQLite path would give at upTo:
//   - the live entries of the site's scope and of the global one with a version above cursor,
//     merged in version order, at most limit: versions strictly increase and a page never holds
//     two entries of one record (only the latest is live);
//   - next is the last version sent when more follow (more), else upTo. A record a desk must get
//     has, as of upTo, a version above its cursor and at most upTo: it is live in the cache, and
//     is on this page or above next. A desk's cursor is at least every version it received, and
//     pages hold versions above it only: it never receives an older state of a record after a
//     newer one.
//
// The page's changes share the cache's memory: they must not be modified.
//
// A tombstone that DropTombstones deleted may still be live in the cache: the cache does not see
// deletes without a new version. It is not sent once the pull's snapshot holds the drop: its
// version is below the tombstone floor, which the cursor reached (a cursor below it got
// ERESYNC, and 0 is not served here). A pull whose snapshot began before the drop may send it,
// as SQLite would have in that snapshot; and sending it is harmless anyway: the desk deletes a
// record the server deleted, and no later state of the record exists, or its entry would have
// superseded the tombstone in the cache.
func (c *pullCache) page(ctx context.Context, tx *sql.Tx, site string, cursor int64, limit int, version int64) (changes []json.RawMessage, next int64, more, ok bool, err error) {
	now := c.db.now()
	if cursor == 0 {
		return nil, 0, false, false, nil
	}
	c.mu.RLock()
	if cursor < c.floor {
		c.mu.RUnlock()
		return nil, 0, false, false, nil
	}
	if c.upTo >= version && !c.stale(now) {
		changes, next, more = c.serve(site, cursor, limit)
		c.mu.RUnlock()
		return changes, next, more, true, nil
	}
	c.mu.RUnlock()

	c.mu.Lock()
	defer c.mu.Unlock()
	if c.upTo < version { // another pull may have caught up meanwhile
		if err := c.catchUp(ctx, tx, version, now); err != nil {
			return nil, 0, false, false, fmt.Errorf("catch up pull cache: %w", err)
		}
	}
	c.trimAge(now)
	if cursor < c.floor {
		return nil, 0, false, false, nil
	}
	changes, next, more = c.serve(site, cursor, limit)
	return changes, next, more, true, nil
}

// serve returns the page of a site's scope above cursor. The caller holds a lock.
func (c *pullCache) serve(site string, cursor int64, limit int) (changes []json.RawMessage, next int64, more bool) {
	var own []*cacheEntry
	if site != "" { // "" is the global list's key: no site's records
		own = c.scopes[site]
	}
	global := c.scopes[""]
	i, j := entriesAfter(own, cursor), entriesAfter(global, cursor)
	changes = make([]json.RawMessage, 0, min(limit, len(own)-i+len(global)-j))
	var last int64
	for {
		var e *cacheEntry
		switch {
		case i < len(own) && (j == len(global) || own[i].version < global[j].version):
			e, i = own[i], i+1
		case j < len(global):
			e, j = global[j], j+1
		default:
			return changes, c.upTo, false
		}
		if e.dead {
			continue
		}
		if len(changes) == limit {
			return changes, last, true
		}
		changes = append(changes, e.b)
		last = e.version
	}
}

// entriesAfter returns the index of the first entry above version.
func entriesAfter(es []*cacheEntry, version int64) int {
	return sort.Search(len(es), func(i int) bool { return es[i].version > version })
}

// catchUp reads the records of a version in (upTo, version] from tx's snapshot and appends
// them. Rows come in version order and each moves upTo to its version, so a catch-up cut short
// by an error leaves a cache that holds everything up to the last row it read.
func (c *pullCache) catchUp(ctx context.Context, tx *sql.Tx, version int64, now time.Time) error {
	if version-c.upTo > c.maxCatchUp {
		c.reset(version)
		return nil
	}
	stmt, err := c.db.txStmt(ctx, tx, c.db.read, pullTailSQL)
	if err != nil {
		return err
	}
	rows, err := stmt.QueryContext(ctx, c.upTo, version)
	if err != nil {
		return err
	}
	defer rows.Close()
	var (
		kind, uuid        string
		site              sql.NullString
		v                 int64
		deleted           bool
		fields, conflicts sql.RawBytes // copied by encodeSyncRecord
	)
	for rows.Next() {
		if err := rows.Scan(&kind, &uuid, &site, &v, &deleted, &fields, &conflicts); err != nil {
			return err
		}
		c.add(recordKey{kind, uuid}, site.String, v, encodeSyncRecord(kind, uuid, v, deleted, fields, conflicts))
		if c.bytes > c.maxBytes {
			c.trimBytes()
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	c.upTo = version
	c.mark(now)
	c.compact()
	return nil
}

// add appends a record's entry at version v, superseding its previous one.
func (c *pullCache) add(key recordKey, site string, v int64, b []byte) {
	if old, ok := c.live[key]; ok {
		old.dead = true
		c.bytes -= int64(len(old.b))
		old.b = nil
		c.dead++
	}
	// Capped, so that a caller appending to a change it received cannot write into the cache.
	e := &cacheEntry{version: v, key: key, b: b[:len(b):len(b)]}
	c.scopes[site] = append(c.scopes[site], e)
	c.order = append(c.order, e)
	c.live[key] = e
	c.bytes += cacheEntryOverhead + int64(len(b))
	c.upTo = v
}

// mark records that the cache holds everything up to upTo at now. Marks less than an eighth of
// maxAge apart are merged into the older one (its version moves up, its time stays): there are
// at most nine, and an entry is dropped at least 7/8 of maxAge after its catch-up.
func (c *pullCache) mark(now time.Time) {
	if n := len(c.marks); n > 0 && now.Sub(c.marks[n-1].at) < c.maxAge/8 {
		c.marks[n-1].version = c.upTo
		return
	}
	c.marks = append(c.marks, cacheMark{version: c.upTo, at: now})
}

// stale reports whether the oldest entries are over maxAge. The caller holds a lock.
func (c *pullCache) stale(now time.Time) bool {
	return len(c.marks) > 0 && !c.marks[0].at.After(now.Add(-c.maxAge))
}

// trimAge drops the entries caught up more than maxAge ago.
func (c *pullCache) trimAge(now time.Time) {
	cut := now.Add(-c.maxAge)
	i := sort.Search(len(c.marks), func(i int) bool { return c.marks[i].at.After(cut) })
	if i > 0 {
		c.trimTo(c.marks[i-1].version)
	}
}

// trimBytes drops the oldest entries until the cache holds three quarters of maxBytes.
func (c *pullCache) trimBytes() {
	target, bytes := c.maxBytes/4*3, c.bytes
	k := 0
	for k < len(c.order) && bytes > target {
		e := c.order[k]
		bytes -= cacheEntryOverhead + int64(len(e.b))
		k++
	}
	if k > 0 {
		c.trimTo(c.order[k-1].version)
	}
}

// trimTo drops the entries of a version at or below v and raises the floor to v, which must not
// be above upTo: the cache then still holds every record whose version is in (v, upTo].
func (c *pullCache) trimTo(v int64) {
	if v <= c.floor {
		return
	}
	k := entriesAfter(c.order, v)
	for _, e := range c.order[:k] {
		c.bytes -= cacheEntryOverhead
		if e.dead {
			c.dead--
		} else {
			c.bytes -= int64(len(e.b))
			delete(c.live, e.key)
		}
	}
	// Cleared, so that the arrays' dropped slots do not keep the entries alive.
	clear(c.order[:k])
	c.order = c.order[k:]
	for site, es := range c.scopes {
		j := entriesAfter(es, v)
		if j == len(es) {
			delete(c.scopes, site)
			continue
		}
		clear(es[:j])
		c.scopes[site] = es[j:]
	}
	c.floor = v
	i := sort.Search(len(c.marks), func(i int) bool { return c.marks[i].version > v })
	c.marks = c.marks[i:]
}

// compact removes the dead entries from the lists once they are half of them, so that a record
// written again and again neither slows the pages down nor holds memory: paging skips at most as
// many dead entries as it sends live ones, and compacting costs less than the writes that made
// the dead entries.
func (c *pullCache) compact() {
	if c.dead < c.compactMin || c.dead*2 < len(c.order) {
		return
	}
	keep := func(es []*cacheEntry) []*cacheEntry {
		out := make([]*cacheEntry, 0, len(es))
		for _, e := range es {
			if !e.dead {
				out = append(out, e)
			}
		}
		return out
	}
	c.order = keep(c.order)
	for site, es := range c.scopes {
		if es = keep(es); len(es) == 0 {
			delete(c.scopes, site)
		} else {
			c.scopes[site] = es
		}
	}
	c.bytes -= int64(c.dead) * cacheEntryOverhead
	c.dead = 0
}

// encodeSyncRecord builds the JSON object of a record's domain.SyncRecord from its stored columns,
// as PullEncoded sends it: the fields and conflicts are stored as the JSON they travel as, and
// are copied rather than decoded and encoded again. The SQLite path and the cache both use it,
// so that a page is the same bytes whichever serves it.
func encodeSyncRecord(kind, uuid string, version int64, deleted bool, fields, conflicts []byte) []byte {
	b := make([]byte, 0, 64+len(kind)+len(uuid)+len(fields)+len(conflicts))
	b = append(b, `{"version":`...)
	b = strconv.AppendInt(b, version, 10)
	b = append(b, `,"kind":`...)
	b = appendJSONString(b, kind)
	b = append(b, `,"uuid":`...)
	b = appendJSONString(b, uuid)
	b = append(b, `,"deleted":`...)
	b = strconv.AppendBool(b, deleted)
	b = append(b, `,"fields":`...)
	if len(fields) == 0 {
		fields = []byte("{}")
	}
	b = append(b, fields...)
	if len(conflicts) > 0 && string(conflicts) != "null" && string(conflicts) != "[]" {
		b = append(b, `,"conflicts":`...)
		b = append(b, conflicts...)
	}
	return append(b, '}')
}
