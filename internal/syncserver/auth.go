package syncserver

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base32"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"net/http"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/edas92/passerelle/internal/domain"
)

// codeAlphabet is the alphabet of enrolment codes: 32 symbols, so 5 bits each, without the
// look-alikes 0/O and 1/I that a worker would mistype from a printed sheet.
const codeAlphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"

var codeEncoding = base32.NewEncoding(codeAlphabet).WithPadding(base32.NoPadding)

// codeLen is the number of symbols of a code: 80 random bits, 5 bits a symbol.
const codeLen = enrolmentCodeRandomBits / 5

// newEnrolmentCode returns a fresh code of 80 random bits in four groups of four symbols
// (ABCD-EFGH-JKLM-NPQR).
func newEnrolmentCode() string {
	b := make([]byte, enrolmentCodeRandomBits/8)
	_, _ = rand.Read(b) // never fails (crypto/rand panics rather than return weak bytes)
	raw := codeEncoding.EncodeToString(b)
	var sb strings.Builder
	for i := 0; i < len(raw); i += 4 {
		if i > 0 {
			sb.WriteByte('-')
		}
		sb.WriteString(raw[i : i+4])
	}
	return sb.String()
}

// normaliseCode reads a code as a worker may type it — lower case, spaces or dashes anywhere —
// and returns its symbols, or EINVALID when it cannot be a code at all.
func normaliseCode(s string) (string, error) {
	var sb strings.Builder
	for _, r := range s {
		switch {
		case r == '-' || r == ' ' || r == '\t':
			continue
		case r < utf8.RuneSelf && strings.IndexByte(codeAlphabet, byte(unicode.ToUpper(r))) >= 0:
			sb.WriteRune(unicode.ToUpper(r))
		default:
			return "", domain.Errorf(domain.EINVALID, "Code d’inscription mal formé : il compte %d caractères (chiffres 2 à 9 et lettres sauf O et I), par groupes de 4, comme ABCD-EFGH-JKLM-NPQR.", codeLen)
		}
	}
	if sb.Len() != codeLen {
		return "", domain.Errorf(domain.EINVALID, "Code d’inscription mal formé : il compte %d caractères, par groupes de 4, comme ABCD-EFGH-JKLM-NPQR.", codeLen)
	}
	return sb.String(), nil
}

// hashCode is what the store keeps of an enrolment code: the SHA-256 of its symbols.
func hashCode(normalised string) string {
	h := sha256.Sum256([]byte("code:" + normalised))
	return hex.EncodeToString(h[:])
}

// newDeviceToken returns a device token: 32 random bytes, base64url without padding.
func newDeviceToken() string {
	b := make([]byte, deviceTokenBytes)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// hashToken is what the store keeps of a device token: the SHA-256 of its 32 bytes. ok is false
// when the text is not a token at all.
func hashToken(token string) (string, bool) {
	if len(token) != base64.RawURLEncoding.EncodedLen(deviceTokenBytes) {
		return "", false
	}
	b, err := base64.RawURLEncoding.DecodeString(token)
	if err != nil || len(b) != deviceTokenBytes {
		return "", false
	}
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:]), true
}

// authenticate finds the device of a request's bearer token. EUNAUTHORIZED for a missing,
// malformed or unknown token, EREVOKED for a revoked device. It records when the device was
// last seen, at most once a minute per device (a write per request would make every pull a
// write transaction).
func (s *Server) authenticate(r *http.Request) (domain.Device, error) {
	h := r.Header.Get("Authorization")
	if h == "" {
		return domain.Device{}, domain.Errorf(domain.EUNAUTHORIZED, "Ce poste ne s’est pas identifié : inscrivez-le auprès du serveur de synchronisation.")
	}
	scheme, token, _ := strings.Cut(h, " ")
	if !strings.EqualFold(scheme, "Bearer") {
		return domain.Device{}, domain.Errorf(domain.EUNAUTHORIZED, "Identification mal formée : un jeton « Bearer » est attendu.")
	}
	hash, ok := hashToken(strings.TrimSpace(token))
	if !ok {
		return domain.Device{}, domain.Errorf(domain.EUNAUTHORIZED, "Jeton d’accès mal formé : inscrivez de nouveau ce poste.")
	}
	dev, err := s.store.DeviceByToken(r.Context(), hash)
	if domain.ErrorCode(err) == domain.ENOTFOUND {
		return domain.Device{}, domain.Errorf(domain.EUNAUTHORIZED, "Jeton d’accès inconnu du serveur : inscrivez de nouveau ce poste.")
	} else if err != nil {
		return domain.Device{}, fmt.Errorf("authenticate: %w", err)
	}
	infoOf(r.Context()).device = dev.ID // a revoked device is worth seeing in the log too
	if dev.RevokedAt != nil {
		return domain.Device{}, domain.Errorf(domain.EREVOKED, "Ce poste a été retiré du serveur de synchronisation : la synchronisation est arrêtée. Adressez-vous à l’administrateur.")
	}
	return dev, nil
}

// touch writes a device's last-seen time when the last write is a minute old or more. A
// failure is logged, not returned: the request itself is fine. A push writes it in its own
// transaction instead (Push), rather than in one more write before it.
func (s *Server) touch(ctx context.Context, id string) {
	now, due := s.touchDue(id)
	if !due {
		return
	}
	if err := s.store.TouchDevice(ctx, id, now); err != nil {
		s.log.Warn("touch device", "device", id, "err", err)
		s.touchFailed(id)
	}
}

// touchDue says whether a device's last-seen time is due to be written (its last write is a
// minute old or more), and if so claims the write at now: concurrent requests of the device
// do not write it again.
func (s *Server) touchDue(id string) (now time.Time, due bool) {
	now = s.now()
	s.touchMu.Lock()
	defer s.touchMu.Unlock()
	last, ok := s.touched[id]
	due = !ok || now.Sub(last) >= touchEvery || now.Before(last)
	if due {
		s.touched[id] = now
	}
	return now, due
}

// touchFailed gives back the claim of touchDue after the write failed: the next request tries
// again.
func (s *Server) touchFailed(id string) {
	s.touchMu.Lock()
	delete(s.touched, id)
	s.touchMu.Unlock()
}

// enrollRequest is the body of POST /api/v1/enroll.
type enrollRequest struct {
	Code       string `json:"code"`
	DeviceName string `json:"device_name"`
	// SiteID, optional: the site the desk holds files of, from an earlier enrolment. A code of
	// another site is refused without being used.
	SiteID string `json:"site_id,omitempty"`
}

// EnrollResponse is the answer to an enrolment: the device's identity and its token, which the
// server never shows again.
type EnrollResponse struct {
	DeviceID string `json:"device_id"`
	SiteID   string `json:"site_id"`
	SiteName string `json:"site_name"`
	Token    string `json:"token"`
}

func (s *Server) handleEnroll(w http.ResponseWriter, r *http.Request, _ domain.Device) error {
	if err := s.limit(w, s.enrols, s.clientAddr(r)); err != nil {
		return err
	}
	var req enrollRequest
	if err := decodeJSON(r.Body, s.opt.MaxBody, &req); err != nil {
		return err
	}
	resp, err := s.Enroll(r.Context(), req.Code, req.DeviceName, req.SiteID)
	if err != nil {
		return err
	}
	infoOf(r.Context()).device = resp.DeviceID
	writeJSON(w, http.StatusOK, resp)
	return nil
}

// Enroll exchanges a single-use enrolment code for a new device of the code's site and its
// token. siteID, when not "", is the site the desk holds files of: a code of another site is
// refused and stays unused. EINVALID (malformed code or device name), ENOTFOUND (unknown code),
// ECONFLICT (code already used or expired, or of another site than siteID).
func (s *Server) Enroll(ctx context.Context, code, deviceName, siteID string) (EnrollResponse, error) {
	norm, err := normaliseCode(code)
	if err != nil {
		return EnrollResponse{}, err
	}
	name, err := checkDeviceName(deviceName)
	if err != nil {
		return EnrollResponse{}, err
	}
	token := newDeviceToken()
	tokenHash, _ := hashToken(token)
	dev, err := s.store.Enrol(ctx, hashCode(norm), tokenHash, name, s.now(), strings.TrimSpace(siteID))
	switch domain.ErrorCode(err) {
	case "":
	case domain.ENOTFOUND:
		return EnrollResponse{}, domain.Errorf(domain.ENOTFOUND, "Code d’inscription inconnu : vérifiez-le, ou demandez-en un nouveau à l’administrateur.")
	case domain.ECONFLICT:
		// Used, expired, or of another site than the desk's files: the store says which.
		return EnrollResponse{}, domain.Errorf(domain.ECONFLICT, "%s", domain.ErrorMessage(err))
	default:
		return EnrollResponse{}, fmt.Errorf("enrol: %w", err)
	}
	siteName, err := s.siteName(ctx, dev.SiteID)
	if err != nil {
		return EnrollResponse{}, err
	}
	s.log.Info("device enrolled", "device", dev.ID, "site", dev.SiteID)
	return EnrollResponse{DeviceID: dev.ID, SiteID: dev.SiteID, SiteName: siteName, Token: token}, nil
}

func checkDeviceName(s string) (string, error) {
	s = strings.TrimSpace(s)
	n := utf8.RuneCountInString(s)
	switch {
	case n == 0:
		return "", domain.Errorf(domain.EINVALID, "Donnez un nom à ce poste (par exemple « Accueil 2 »).")
	case !utf8.ValidString(s):
		return "", domain.Errorf(domain.EINVALID, "Le nom du poste n’est pas un texte valide.")
	case n > maxDeviceNameRunes:
		return "", domain.Errorf(domain.EINVALID, "Le nom du poste est trop long (%d caractères au plus).", maxDeviceNameRunes)
	case strings.IndexFunc(s, unicode.IsControl) >= 0:
		return "", domain.Errorf(domain.EINVALID, "Le nom du poste contient un caractère de contrôle.")
	}
	return s, nil
}

func (s *Server) siteName(ctx context.Context, id string) (string, error) {
	sites, err := s.store.Sites(ctx)
	if err != nil {
		return "", fmt.Errorf("site name: %w", err)
	}
	for _, st := range sites {
		if st.ID == id {
			return st.Name, nil
		}
	}
	return "", fmt.Errorf("site name: site %s of a device not found", id)
}

// NewEnrolment prints a single-use code for a site, valid Options.EnrolmentTTL (24 h); the
// store keeps only its hash. ENOTFOUND for an unknown site.
func (s *Server) NewEnrolment(ctx context.Context, siteID string) (code string, expires time.Time, err error) {
	code = newEnrolmentCode()
	norm, _ := normaliseCode(code)
	expires = s.now().Add(s.opt.EnrolmentTTL)
	if err := s.store.AddEnrolment(ctx, siteID, hashCode(norm), expires); err != nil {
		if domain.ErrorCode(err) == domain.ENOTFOUND {
			return "", time.Time{}, domain.Errorf(domain.ENOTFOUND, "Site « %s » inconnu (passerelle-server site list).", siteID)
		}
		return "", time.Time{}, fmt.Errorf("new enrolment: %w", err)
	}
	s.log.Info("enrolment code created", "site", siteID, "expires", expires)
	return code, expires, nil
}
