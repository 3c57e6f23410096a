package store

import (
	"fmt"
	"slices"
	"time"

	"mobilefactory/shared/record"
)

// RecordConsent saves that a person consented, by method (one of
// record.ConsentMethods), to be kept in the pool and recommended to
// employers. The date is today's and the recording account is the
// signed-in one, so neither can be typed in. It syncs like any edit.
func (s *Store) RecordConsent(personID, method string) error {
	if !slices.Contains(record.ConsentMethods, method) {
		return fmt.Errorf("consent method %q is not one of %v", method, record.ConsentMethods)
	}
	return s.saveConsent(personID, record.ConsentGiven, method)
}

// WithdrawConsent saves that a person withdrew consent today, recorded by
// the signed-in account. The method of the earlier consent is cleared,
// because it no longer describes the current state.
func (s *Store) WithdrawConsent(personID string) error {
	return s.saveConsent(personID, record.ConsentWithdrawn, "")
}

func (s *Store) saveConsent(personID, consent, method string) error {
	p, err := s.Person(personID)
	if err != nil {
		return err
	}
	if p.Erased != "" {
		return fmt.Errorf("consent of person %s: %w", personID, ErrErased)
	}
	_, err = s.save(record.KindPerson, personID, map[string]string{
		record.FieldConsent:       consent,
		record.FieldConsentAt:     time.Now().Format(time.DateOnly),
		record.FieldConsentMethod: method,
		record.FieldConsentBy:     s.Account(),
	})
	return err
}
