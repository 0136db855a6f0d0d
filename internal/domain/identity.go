package domain

import (
	"strings"

	"github.com/google/uuid"
)

// namespace is the UUIDv5 namespace of Passerelle's imported records (a fixed, random UUID).
var namespace = uuid.MustParse("5b0f8a3e-6c2d-4f51-9d7e-2a1c0e9b7d44")

// Record kinds, as they appear in UUIDv5 names and in the change log.
const (
	KindStructure = "structure"
	KindService   = "service"
	KindNote      = "note"
)

// QualifiedID returns the full data·inclusion identifier of a record: id itself when it is
// already of the form "producer--local-id" (data·inclusion builds identifiers so), else
// "source--id". A service's structure_id resolves the same way, so a service finds its
// structure whatever its own source.
func QualifiedID(source, id string) string {
	if strings.Contains(id, "--") {
		return id
	}
	return source + "--" + id
}

// StructureUUIDOf returns the UUID of the structure a service belongs to.
func StructureUUIDOf(sv *Service) string {
	return RecordUUID(KindStructure, sv.Source, sv.StructureID)
}

// RecordUUID returns the UUID of a directory record from its kind and data·inclusion identifier.
// A record created on a desk carries its UUID in its identifier ("passerelle--<uuid>") and gets it
// back; any other gets a UUIDv5 of "kind:source--id", so that importing a file again hits the same
// rows.
func RecordUUID(kind, source, id string) string {
	q := QualifiedID(source, id)
	if rest, ok := strings.CutPrefix(q, LocalSource+"--"); ok {
		if u, err := uuid.Parse(rest); err == nil {
			return u.String()
		}
	}
	return uuid.NewSHA1(namespace, []byte(kind+":"+q)).String()
}

// NewUUID returns a new time-ordered UUID (v7) for a record created on this desk.
func NewUUID() string {
	return uuid.Must(uuid.NewV7()).String()
}

// LocalID returns the data·inclusion identifier of a record created on the desk.
func LocalID(recordUUID string) string { return LocalSource + "--" + recordUUID }
