package store

import (
	"fmt"
	"strings"

	"github.com/oklog/ulid/v2"

	"mobilefactory/shared/record"
)

// RecordReveal writes an access event for personal fields of a person shown
// in full: a record of kind access with the person, the fields and action
// reveal. It syncs like any edit, carrying the signed-in account, and the
// server writes it to its audit log.
func (s *Store) RecordReveal(personID string, fields []string) error {
	return s.recordAccess(personID, fields, record.AccessReveal)
}

// RecordExport writes an access event like RecordReveal's, with action
// export, for a recommendation report that shows fields in full.
func (s *Store) RecordExport(personID string, fields []string) error {
	return s.recordAccess(personID, fields, record.AccessExport)
}

func (s *Store) recordAccess(personID string, fields []string, action string) error {
	if _, err := ulid.ParseStrict(personID); err != nil {
		return fmt.Errorf("access event for person %q: %w", personID, err)
	}
	for _, f := range fields {
		if !record.IsPersonal(record.KindPerson, f) {
			return fmt.Errorf("access event names field %q, which is not personal", f)
		}
	}
	_, err := s.save(record.KindAccess, "", map[string]string{
		record.FieldPerson: personID,
		record.FieldFields: strings.Join(fields, ","),
		record.FieldAction: action,
	})
	return err
}
