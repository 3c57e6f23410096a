package access

import (
	"fmt"

	"mobilefactory/shared/changeset"
	"mobilefactory/shared/protocol"
	"mobilefactory/shared/record"
)

// MayReview reports whether the role approves and returns history records.
func (r Role) MayReview() bool { return r == Reviewer || r == Central }

// MayRecord reports whether the role creates and edits a college's history
// records: clerks, and reviewers and the central office, who correct too.
func (r Role) MayRecord() bool { return r == Clerk || r == Reviewer || r == Central }

// reviewMoves lists, for each review state, the states a recording role
// may move a record to, and those a reviewing role may. A record with no
// state yet is a draft. Staying in the same state is always allowed.
//
// A clerk submits a draft or a returned record, or takes a submitted one
// back. A reviewer approves or returns a submitted one, and may return an
// approved one later. Nobody moves a record back to draft once decided,
// and a correction of an approved record is a new version, not a change.
var reviewMoves = map[string]struct{ record, review []string }{
	record.ReviewDraft:    {record: []string{record.ReviewPending}},
	record.ReviewPending:  {record: []string{record.ReviewDraft}, review: []string{record.ReviewApproved, record.ReviewReturned}},
	record.ReviewReturned: {record: []string{record.ReviewPending, record.ReviewDraft}},
	record.ReviewApproved: {review: []string{record.ReviewReturned}},
}

// CheckReview decides whether role may move a history record from review
// state from to state to; an empty state reads as draft. It returns nil
// when it may, an error wrapping protocol.ErrRole when the role may not
// make that move at all, and one wrapping protocol.ErrReview when no role
// may make it from the current state.
func CheckReview(role Role, from, to string) error {
	from, to = orDraft(from), orDraft(to)
	if from == to {
		return nil
	}
	moves, ok := reviewMoves[from]
	if !ok {
		return fmt.Errorf("%w: unknown review state %q", protocol.ErrReview, from)
	}
	if contains(moves.record, to) {
		if !role.MayRecord() {
			return fmt.Errorf("%w: role %s may not move a record from %s to %s", protocol.ErrRole, role, from, to)
		}
		return nil
	}
	if contains(moves.review, to) {
		if !role.MayReview() {
			return fmt.Errorf("%w: role %s may not move a record from %s to %s", protocol.ErrRole, role, from, to)
		}
		return nil
	}
	return fmt.Errorf("%w: from %s to %s", protocol.ErrReview, from, to)
}

// CheckHistoryChange decides whether role may make change c to a history
// record whose current review state is state ("" for a new record). It
// covers what CheckChange cannot, because it needs the stored record:
//   - FieldReview moves as CheckReview allows; a new record starts as a
//     draft or submitted, never decided.
//   - Only a reviewing role writes who decided, when, and why
//     (FieldReviewBy, FieldReviewAt, FieldReviewReason).
//   - An approved record is not changed in place, except to return it; a
//     correction is a new version that supersedes it.
//   - Only a recording role writes the record's own fields; a reviewing
//     role may also delete an approved record.
func CheckHistoryChange(role Role, state string, c changeset.Change) error {
	if !c.Kind.Reviewed() {
		return nil
	}
	switch c.Field {
	case record.FieldReview:
		return CheckReview(role, state, c.Value)
	case record.FieldReviewBy, record.FieldReviewAt, record.FieldReviewReason:
		if !role.MayReview() {
			return fmt.Errorf("%w: role %s may not write %s.%s", protocol.ErrRole, role, c.Kind, c.Field)
		}
		return nil
	case record.FieldDeleted:
		if role.MayReview() {
			return nil // a reviewer may withdraw even an approved record
		}
		if !role.MayRecord() {
			return fmt.Errorf("%w: role %s may not delete %s", protocol.ErrRole, role, c.Kind)
		}
	case record.FieldSubmittedAt:
		if !role.MayRecord() {
			return fmt.Errorf("%w: role %s may not submit %s", protocol.ErrRole, role, c.Kind)
		}
	default:
		if !role.MayRecord() {
			return fmt.Errorf("%w: role %s may not record %s", protocol.ErrRole, role, c.Kind)
		}
	}
	if state == record.ReviewApproved {
		return fmt.Errorf("%w: %s.%s of an approved record changes only in a new version", protocol.ErrReview, c.Kind, c.Field)
	}
	return nil
}

func orDraft(state string) string {
	if state == "" {
		return record.ReviewDraft
	}
	return state
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
