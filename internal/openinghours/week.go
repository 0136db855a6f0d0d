// Package openinghours reads OpenStreetMap opening_hours values (the format of data·inclusion's
// horaires_accueil): which weekdays a place is open, and the hours as plain French sentences.
package openinghours

import "github.com/edas92/passerelle/internal/domain"

// Week returns, for Monday (index 0) to Sunday (index 6), whether a place with these opening
// hours is open that weekday: domain.DayOpen, DayClosed, DaySometimes (some weeks or months
// only) or DayUnknown (no hours, or hours that cannot be read).
//
// STUB: the real parser replaces this body.
func Week(hours string) [7]string {
	var w [7]string
	for i := range w {
		w[i] = domain.DayUnknown
	}
	return w
}
