package syncclient

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/edas92/passerelle/internal/domain"
)

// ParseServerURL reads a server address as a worker types it — « sync.edas92.fr »,
// « https://sync.edas92.fr/passerelle/ » — and returns it normalised: scheme, host, optional
// path prefix, no trailing slash. https is required; plain http is accepted only for a server
// on this very machine (loopback), the rule the server itself applies: a device token must
// never cross a network in clear. EINVALID (French message) otherwise.
func ParseServerURL(s string) (*url.URL, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, domain.Errorf(domain.EINVALID, "Indiquez l’adresse du serveur de synchronisation (par exemple https://synchro.hauts-de-seine.fr).")
	}
	if !strings.Contains(s, "://") {
		s = "https://" + s
	}
	u, err := url.Parse(s)
	if err != nil || u.Host == "" || u.Hostname() == "" {
		return nil, domain.Errorf(domain.EINVALID, "Adresse de serveur illisible « %s » : écrivez-la comme https://synchro.hauts-de-seine.fr.", strings.TrimSpace(s))
	}
	if u.User != nil {
		return nil, domain.Errorf(domain.EINVALID, "L’adresse du serveur ne doit pas contenir d’identifiant ni de mot de passe : le poste s’identifie avec son code d’inscription.")
	}
	if u.RawQuery != "" || u.Fragment != "" || u.ForceQuery {
		return nil, domain.Errorf(domain.EINVALID, "L’adresse du serveur ne doit contenir ni « ? » ni « # » : écrivez-la comme https://synchro.hauts-de-seine.fr.")
	}
	switch strings.ToLower(u.Scheme) {
	case "https":
	case "http":
		if !isLoopback(u.Hostname()) {
			return nil, domain.Errorf(domain.EINVALID, "L’adresse du serveur doit commencer par https:// : sans chiffrement, le jeton de ce poste et les données des usagers circuleraient en clair sur le réseau (http:// n’est permis que pour un serveur sur ce poste même).")
		}
	default:
		return nil, domain.Errorf(domain.EINVALID, "L’adresse du serveur doit commencer par https:// (reçu « %s:// »).", u.Scheme)
	}
	u.Scheme = strings.ToLower(u.Scheme)
	u.Host = strings.ToLower(u.Host)
	u.Path = strings.TrimRight(u.Path, "/")
	u.RawPath = ""
	return u, nil
}

// isLoopback reports whether a host name is this machine: localhost or a loopback address.
func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") || strings.HasSuffix(strings.ToLower(host), ".localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// enrollResponse is the server's answer to an enrolment (syncserver.EnrollResponse).
type enrollResponse struct {
	DeviceID string `json:"device_id"`
	SiteID   string `json:"site_id"`
	SiteName string `json:"site_name"`
	Token    string `json:"token"`
}

// EnrollOptions tune Enroll. The zero value is fine.
type EnrollOptions struct {
	HTTPClient *http.Client // nil: a client with DefaultTimeout
	// WorkSite is the site the desk holds files of (DeskSyncStore.WorkSite), "" for none: the
	// server then refuses a code of another site and leaves it unused, rather than the desk
	// refusing the enrolment after the code was spent.
	WorkSite string
}

// Enroll exchanges a single-use enrolment code for a device token at the server (POST
// /api/v1/enroll) and returns the enrolment to record in the desk's store (DeskSyncStore.Enrol).
// The device name is what the administrator sees in `passerelle-server device list`; it is
// trimmed to what the server accepts.
//
// Errors (domain codes, French messages): invalid (address or code malformed, or the address
// is not a Passerelle server), not_found (unknown code), conflict (code already used or
// expired), rate_limited, unavailable (EUNAVAILABLE: the server cannot be reached).
func Enroll(ctx context.Context, serverURL, code, deviceName string, opt EnrollOptions) (domain.DeskEnrolment, error) {
	base, err := ParseServerURL(serverURL)
	if err != nil {
		return domain.DeskEnrolment{}, err
	}
	code = strings.TrimSpace(code)
	if code == "" {
		return domain.DeskEnrolment{}, domain.Errorf(domain.EINVALID, "Indiquez le code d’inscription donné par l’administrateur (comme ABCD-EFGH-JKLM-NPQR).")
	}
	req := map[string]string{"code": code, "device_name": DeviceName(deviceName)}
	if opt.WorkSite != "" {
		req["site_id"] = opt.WorkSite
	}
	body, err := json.Marshal(req)
	if err != nil {
		return domain.DeskEnrolment{}, fmt.Errorf("enroll: %w", err)
	}
	t := &transport{hc: newHTTPClient(opt.HTTPClient), base: base, sleep: sleepCtx}
	var resp enrollResponse
	err = t.do(ctx, http.MethodPost, "/api/v1/enroll", nil, body, &resp)
	switch code := errorCodeOf(err); {
	case err == nil:
	case code == domain.ENOTFOUND, code == domain.ECONFLICT, code == domain.EINVALID, code == domain.ERATELIMITED:
		return domain.DeskEnrolment{}, err // the server's own French message says which
	case foreign(err):
		return domain.DeskEnrolment{}, notPasserelle(base, err)
	case noAnswer(err):
		return domain.DeskEnrolment{}, fail(EUNAVAILABLE, err, "Le serveur de synchronisation %s ne répond pas : vérifiez son adresse et la connexion au réseau, puis réessayez.", base.String())
	default:
		return domain.DeskEnrolment{}, err
	}
	if resp.DeviceID == "" || resp.SiteID == "" || !looksLikeToken(resp.Token) {
		return domain.DeskEnrolment{}, notPasserelle(base, nil)
	}
	return domain.DeskEnrolment{ServerURL: base.String(), Token: resp.Token, DeviceID: resp.DeviceID,
		SiteID: resp.SiteID, SiteName: resp.SiteName}, nil
}

// notPasserelle is the error of an address where something answers, but not the sync server.
func notPasserelle(base *url.URL, cause error) error {
	return fail(domain.EINVALID, cause, "L’adresse %s ne répond pas comme un serveur de synchronisation Passerelle : vérifiez-la auprès de l’administrateur (ou le réseau demande une connexion, comme un portail Wi-Fi).", base.String())
}

// looksLikeToken reports whether a text can be a device token: 32 bytes in base64url.
func looksLikeToken(s string) bool {
	b, err := base64.RawURLEncoding.DecodeString(s)
	return err == nil && len(b) == 32
}

// maxDeviceName is the longest device name the server accepts, in characters.
const maxDeviceName = 100

// DeviceName returns name as the server accepts it: control characters dropped, trimmed, at
// most 100 characters, « Poste Passerelle » when nothing is left.
func DeviceName(name string) string {
	name = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == utf8.RuneError {
			return -1
		}
		return r
	}, name)
	name = strings.TrimSpace(name)
	if utf8.RuneCountInString(name) > maxDeviceName {
		name = strings.TrimSpace(string([]rune(name)[:maxDeviceName]))
	}
	if name == "" {
		return "Poste Passerelle"
	}
	return name
}
