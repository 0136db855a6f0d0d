package syncserver

import (
	"context"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/edas92/passerelle/internal/domain"
)

// maxSiteNameRunes bounds a site's name: it is printed on the desks' settings screen.
const maxSiteNameRunes = 200

// AddSite creates a site (an EDAS). EINVALID for a blank, overlong or unprintable name,
// ECONFLICT when a site already has that name.
func (s *Server) AddSite(ctx context.Context, name string) (domain.Site, error) {
	name = strings.TrimSpace(name)
	switch {
	case name == "":
		return domain.Site{}, domain.Errorf(domain.EINVALID, "Donnez un nom au site (par exemple « EDAS de Nanterre »).")
	case !utf8.ValidString(name) || strings.IndexFunc(name, unicode.IsControl) >= 0:
		return domain.Site{}, domain.Errorf(domain.EINVALID, "Le nom du site contient un caractère invalide.")
	case utf8.RuneCountInString(name) > maxSiteNameRunes:
		return domain.Site{}, domain.Errorf(domain.EINVALID, "Le nom du site est trop long (%d caractères au plus).", maxSiteNameRunes)
	}
	site, err := s.store.AddSite(ctx, name)
	if err != nil {
		return domain.Site{}, err
	}
	s.log.Info("site added", "site", site.ID)
	return site, nil
}

// Sites returns every site, by name.
func (s *Server) Sites(ctx context.Context) ([]domain.Site, error) {
	sites, err := s.store.Sites(ctx)
	if err != nil {
		return nil, fmt.Errorf("sites: %w", err)
	}
	if sites == nil {
		sites = []domain.Site{}
	}
	return sites, nil
}

// Devices returns every enrolled device, revoked ones too, in the order they were enrolled.
func (s *Server) Devices(ctx context.Context) ([]domain.Device, error) {
	devs, err := s.store.Devices(ctx)
	if err != nil {
		return nil, fmt.Errorf("devices: %w", err)
	}
	if devs == nil {
		devs = []domain.Device{}
	}
	return devs, nil
}

// Revoke refuses a device from now on: its next request answers 401 revoked, and the desk stops
// syncing. It returns the device as it now is. ENOTFOUND for an unknown device.
func (s *Server) Revoke(ctx context.Context, id string) (domain.Device, error) {
	if err := s.store.RevokeDevice(ctx, id, s.now()); err != nil {
		if domain.ErrorCode(err) == domain.ENOTFOUND {
			return domain.Device{}, domain.Errorf(domain.ENOTFOUND, "Poste « %s » inconnu (passerelle-server device list).", id)
		}
		return domain.Device{}, fmt.Errorf("revoke: %w", err)
	}
	devs, err := s.Devices(ctx)
	if err != nil {
		return domain.Device{}, err
	}
	for _, d := range devs {
		if d.ID == id {
			s.log.Info("device revoked", "device", id)
			return d, nil
		}
	}
	return domain.Device{}, fmt.Errorf("revoke: device %s vanished", id)
}
