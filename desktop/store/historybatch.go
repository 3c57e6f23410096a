package store

import (
	"context"
	"fmt"
	"time"

	"github.com/oklog/ulid/v2"

	"mobilefactory/shared/record"
)

// HistoryVersion is one history record to write: a new record when
// Supersedes is empty, else a new version of the record Supersedes names.
type HistoryVersion struct {
	Supersedes string
	Fields     map[string]string
}

// SaveHistoryBatch writes history records of kind as SaveHistory does,
// all in one transaction, and returns their new ids in order. When ctx
// ends before the commit, or one record fails, nothing is written and the
// error wraps the cause. progress, when not nil, is called inside the
// transaction after each record, so it must not use the store.
func (s *Store) SaveHistoryBatch(ctx context.Context, kind record.Kind, versions []HistoryVersion, progress func(done, total int)) ([]string, error) {
	ids := make([]string, len(versions))
	fields := make([]map[string]string, len(versions))
	for i, v := range versions {
		own, err := s.versionFields(kind, v.Supersedes, v.Fields)
		if err != nil {
			return nil, err
		}
		fields[i] = own
	}
	// Every version gets a new id: a history record is never changed in
	// place, so the empty ids make saveBatch create new records.
	return s.saveBatch(ctx, kind, ids, func(i int) map[string]string { return fields[i] }, progress)
}

// versionFields returns the fields SaveHistory stores for a new version
// of record id, or for a new record when id is empty: the kind's own
// fields, FieldSupersedes and the review state. The state is draft when
// fields request a draft and id is not an approved record, else pending.
func (s *Store) versionFields(kind record.Kind, id string, fields map[string]string) (map[string]string, error) {
	if !kind.Reviewed() {
		return nil, fmt.Errorf("saving %s: not a history kind", kind)
	}
	if _, err := ulid.ParseStrict(fields[record.FieldPerson]); err != nil {
		return nil, fmt.Errorf("%s for person %q: %w", kind, fields[record.FieldPerson], err)
	}

	draft := fields[record.FieldReview] == record.ReviewDraft
	if draft && id != "" {
		// A correction of an approved record goes back to review, never
		// to a draft. Otherwise the approved version would drop out of
		// reports with no review of its correction requested.
		prev, err := s.state(kind, id)
		if err != nil {
			return nil, err
		}
		if prev.Fields[record.FieldReview].Value == record.ReviewApproved {
			draft = false
		}
	}

	own := make(map[string]string, len(fields)+2)
	for k, v := range fields {
		own[k] = v
	}
	for _, f := range record.ReviewFields {
		delete(own, f)
	}
	delete(own, record.FieldDeleted)

	own[record.FieldSupersedes] = id
	own[record.FieldReview] = record.ReviewDraft
	if !draft {
		own[record.FieldReview] = record.ReviewPending
		own[record.FieldSubmittedAt] = s.now().UTC().Format(time.RFC3339)
	}
	return own, nil
}
