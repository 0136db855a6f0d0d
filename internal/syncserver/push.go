package syncserver

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/edas92/passerelle/internal/domain"
	"github.com/edas92/passerelle/internal/syncmerge"
)

// pushRequest is the body of POST /api/v1/push.
type pushRequest struct {
	Mutations *[]domain.Mutation `json:"mutations"`
}

// decodePush reads a push body: one JSON object {"mutations": [...]}, strictly (unknown fields
// are EINVALID, here and in every mutation), at most maxBody bytes and maxMutations mutations
// (ETOOLARGE), whose ids start at 1 or more and follow each other without a gap (EINVALID: the
// desk's outbox numbers them so). What each mutation says is not judged here: a mutation the
// server cannot apply is rejected on its own and the queue moves on, where refusing the whole
// body would stop the desk's sync for good.
func decodePush(body io.Reader, maxBody int64, maxMutations int) ([]domain.Mutation, error) {
	var req pushRequest
	if err := decodeJSON(body, maxBody, &req); err != nil {
		return nil, err
	}
	if req.Mutations == nil {
		return nil, domain.Errorf(domain.EINVALID, "Le champ « mutations » est obligatoire (un tableau, vide s’il n’y a rien à envoyer).")
	}
	muts := *req.Mutations
	if len(muts) > maxMutations {
		return nil, domain.Errorf(domain.ETOOLARGE, "Une synchronisation envoie au plus %d modifications à la fois (reçu %d) : envoyez-les en plusieurs fois.", maxMutations, len(muts))
	}
	for i, m := range muts {
		if i == 0 && m.ID < 1 {
			return nil, domain.Errorf(domain.EINVALID, "Les modifications sont numérotées à partir de 1 (reçu %d).", m.ID)
		}
		if i > 0 && m.ID != muts[i-1].ID+1 {
			return nil, domain.Errorf(domain.EINVALID, "Les numéros de modification doivent se suivre sans trou : %d après %d.", m.ID, muts[i-1].ID)
		}
	}
	return muts, nil
}

func (s *Server) handlePush(w http.ResponseWriter, r *http.Request, dev domain.Device) error {
	muts, err := decodePush(r.Body, s.opt.MaxBody, s.opt.MaxMutations)
	if err != nil {
		return err
	}
	res, err := s.Push(r.Context(), dev, muts)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, res)
	return nil
}

// Push applies a device's mutations in one transaction, each once: ids at or below the device's
// last applied one are skipped (a replayed batch is a no-op), the others applied in order. A
// mutation that cannot be applied (unknown or directory kind, another site's record, invalid
// fields…) is rejected with its French reason and counted as applied. EGAP (the answer says
// the id expected) when the first new id is not the next one: nothing is applied. The device's
// last-seen time is written in the same transaction when it is due.
func (s *Server) Push(ctx context.Context, dev domain.Device, muts []domain.Mutation) (domain.PushResult, error) {
	var res domain.PushResult
	seen, touch := s.touchDue(dev.ID)
	err := s.store.InTx(ctx, func(tx domain.ServerTx) error {
		res = domain.PushResult{Rejected: []domain.MutationRejection{}}
		d, err := tx.Device(ctx, dev.ID)
		if err != nil {
			return fmt.Errorf("load device: %w", err)
		}
		if touch {
			if err := tx.TouchDevice(ctx, d.ID, seen); err != nil {
				return err
			}
		}
		res.AppliedThrough = d.LastMutation
		i := 0
		for i < len(muts) && muts[i].ID <= d.LastMutation {
			i++
		}
		if i < len(muts) && muts[i].ID != d.LastMutation+1 {
			return &gapError{expected: d.LastMutation + 1}
		}
		b := batch{tx: tx, dev: d, recs: map[recordKey]*pending{}}
		if err := b.load(ctx, muts[i:]); err != nil {
			return err
		}
		for _, m := range muts[i:] {
			reason, err := s.apply(ctx, &b, m)
			if err != nil {
				return fmt.Errorf("apply mutation %d: %w", m.ID, err)
			}
			if reason != "" {
				res.Rejected = append(res.Rejected, domain.MutationRejection{ID: m.ID, Reason: reason})
			}
			res.AppliedThrough = m.ID
		}
		rejected, err := b.write(ctx)
		if err != nil {
			return err
		}
		if len(rejected) > 0 {
			res.Rejected = append(res.Rejected, rejected...)
			slices.SortStableFunc(res.Rejected, func(a, b domain.MutationRejection) int { return cmp.Compare(a.ID, b.ID) })
		}
		if res.AppliedThrough > d.LastMutation {
			return tx.SetLastMutation(ctx, d.ID, res.AppliedThrough)
		}
		return nil
	})
	if err != nil && touch {
		s.touchFailed(dev.ID)
	}
	if err != nil {
		if domain.ErrorCode(err) == domain.EGAP {
			return domain.PushResult{}, err
		}
		return domain.PushResult{}, fmt.Errorf("push: %w", err)
	}
	if len(res.Rejected) > 0 {
		s.log.Info("push: mutations rejected", "device", dev.ID, "rejected", len(res.Rejected))
	}
	if res.Version, err = s.store.Version(ctx); err != nil {
		return domain.PushResult{}, fmt.Errorf("push: %w", err)
	}
	return res, nil
}

type recordKey struct{ kind, uuid string }

// pending is a record as the mutations of a push leave it, before it is written.
type pending struct {
	rec   domain.SyncRecord
	found bool
	dirty bool
	ids   []int64 // the mutations that changed it
}

// batch holds the records a push touches. Each is read once and written once, whatever the
// number of its mutations: a desk sends every keystroke of a usager file as a mutation of the
// same record, and rewriting the record for each would cost a statement and a version apiece.
type batch struct {
	tx    domain.ServerTx
	dev   domain.Device
	recs  map[recordKey]*pending
	order []recordKey // in the order of their first change: the order of their versions
}

// load reads the records the mutations change, all in one statement of the store: a push of
// 10 changes to 10 files was 10 lookups, each a statement of the single writer.
func (b *batch) load(ctx context.Context, muts []domain.Mutation) error {
	var keys []domain.RecordKey
	for _, m := range muts {
		k := recordKey{m.Kind, m.UUID}
		if _, ok := b.recs[k]; ok || m.Kind == domain.KindSuggestion {
			continue
		}
		b.recs[k] = &pending{} // not found unless read below
		keys = append(keys, domain.RecordKey{Kind: m.Kind, UUID: m.UUID})
	}
	recs, err := b.tx.Records(ctx, keys)
	if err != nil {
		return fmt.Errorf("read records: %w", err)
	}
	for _, rec := range recs {
		if p, ok := b.recs[recordKey{rec.Kind, rec.UUID}]; ok {
			p.rec, p.found = rec, true
		}
	}
	return nil
}

// apply applies one mutation to the batch, whose records load has read, and returns the reason
// it is rejected, "" when applied.
func (s *Server) apply(ctx context.Context, b *batch, m domain.Mutation) (string, error) {
	if m.Kind == domain.KindSuggestion {
		sug, reason := s.suggestionOf(b.dev, m)
		if reason != "" {
			return reason, nil
		}
		if err := b.tx.AddSuggestion(ctx, sug); err != nil {
			if domain.ErrorCode(err) == domain.EINVALID {
				return "suggestion refusée : " + domain.ErrorMessage(err), nil
			}
			return "", err
		}
		return "", nil
	}
	k := recordKey{m.Kind, m.UUID}
	p := b.recs[k] // read by load
	if !p.found && m.Known > 0 && m.Op == domain.MutUpsert {
		// The desk received this record once and the server no longer holds it: it was
		// deleted, and its tombstone dropped since (--tombstone-days). Deletes win, as they do
		// while the tombstone is kept: the change is dropped without a word, and must not bring
		// back a file erased at a person's request. The desk's next pull (a resync, its cursor
		// being older than the dropped tombstone) removes the record there too. (A server
		// restored from an older backup drops so the changes to the records it lost.)
		return "", nil
	}
	next, changed, reason := syncmerge.Apply(p.rec, p.found, m, b.dev.SiteID, b.dev.ID)
	if reason != "" || !changed {
		return reason, nil
	}
	if !p.dirty {
		b.order = append(b.order, k)
	}
	p.rec, p.found, p.dirty = next, true, true
	p.ids = append(p.ids, m.ID)
	return "", nil
}

// write stores the changed records. Should the store's own guards (a record never changes site,
// fields must be JSON) refuse one, the mutations that changed it are rejected, not the push:
// the queue moves on.
func (b *batch) write(ctx context.Context) ([]domain.MutationRejection, error) {
	var rejected []domain.MutationRejection
	for _, k := range b.order {
		p := b.recs[k]
		if _, err := b.tx.PutRecord(ctx, p.rec); err != nil {
			switch domain.ErrorCode(err) {
			case domain.EINVALID, domain.ECONFLICT, domain.ENOTFOUND:
				for _, id := range p.ids {
					rejected = append(rejected, domain.MutationRejection{ID: id, Reason: domain.ErrorMessage(err)})
				}
				continue
			}
			return nil, fmt.Errorf("write %s %s: %w", k.kind, k.uuid, err)
		}
	}
	return rejected, nil
}

// Suggestion types and statuses (docs/sync-protocol.md, « Suggestions »).
const (
	SuggestionProposition = "proposition" // a new initiative: data·inclusion records
	SuggestionCorrection  = "correction"  // « signaler une erreur »: the fields to correct

	SuggestionNew      = "nouvelle"
	SuggestionAccepted = "acceptee"
	SuggestionRejected = "refusee"
)

// suggestionOf reads a suggestion mutation, or says why it is rejected.
func (s *Server) suggestionOf(dev domain.Device, m domain.Mutation) (domain.CuratorSuggestion, string) {
	if m.Op != domain.MutUpsert {
		return domain.CuratorSuggestion{}, "une suggestion ne se supprime pas : elle est envoyée une fois, puis les curateurs en décident"
	}
	if u, err := uuid.Parse(m.UUID); err != nil || u.String() != m.UUID {
		return domain.CuratorSuggestion{}, "identifiant de suggestion invalide (un UUID en minuscules est attendu)"
	}
	sug := domain.CuratorSuggestion{UUID: m.UUID, SiteID: dev.SiteID, DeviceID: dev.ID,
		Status: SuggestionNew, CreatedAt: s.now()}
	var problems []string
	for _, name := range slices.Sorted(maps.Keys(m.Fields)) {
		raw := m.Fields[name]
		switch name {
		case "type":
			if err := json.Unmarshal(raw, &sug.Type); err != nil || (sug.Type != SuggestionProposition && sug.Type != SuggestionCorrection) {
				problems = append(problems, "type : « proposition » ou « correction » attendu")
			}
		case "service":
			t := bytes.TrimSpace(raw)
			if len(t) == 0 || (t[0] != '{' && t[0] != '[') || !json.Valid(t) {
				problems = append(problems, "service : un objet JSON (l’enregistrement data·inclusion ou les champs à corriger) est attendu")
			}
			sug.Service = json.RawMessage(t)
		case "message":
			if err := json.Unmarshal(raw, &sug.Message); err != nil {
				problems = append(problems, "message : un texte est attendu")
			} else if utf8.RuneCountInString(sug.Message) > maxSuggestionMessage {
				problems = append(problems, fmt.Sprintf("message : %d caractères au plus", maxSuggestionMessage))
			}
		default:
			problems = append(problems, fmt.Sprintf("champ inconnu « %s »", name))
		}
	}
	if sug.Type == "" && !slices.Contains(problems, "type : « proposition » ou « correction » attendu") {
		problems = append(problems, "type : champ obligatoire absent")
	}
	if sug.Service == nil {
		problems = append(problems, "service : champ obligatoire absent")
	}
	if len(problems) > 0 {
		return domain.CuratorSuggestion{}, "suggestion refusée : " + strings.Join(problems, " ; ")
	}
	return sug, ""
}
