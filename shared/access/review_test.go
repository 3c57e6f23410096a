package access

import (
	"errors"
	"fmt"
	"testing"

	"github.com/oklog/ulid/v2"

	"mobilefactory/shared/changeset"
	"mobilefactory/shared/protocol"
	"mobilefactory/shared/record"
)

// reviewRoles lists every role and an unknown one.
var reviewRoles = []Role{Clerk, Reviewer, Fair, Central, Role("admin")}

// recorders and deciders are the roles that record history and the roles
// that decide on it, written out rather than read from MayRecord and
// MayReview, so the table tests those too.
var (
	recorders = map[Role]bool{Clerk: true, Reviewer: true, Central: true}
	deciders  = map[Role]bool{Reviewer: true, Central: true}
)

// wantFor returns the error CheckReview should wrap for role when the move
// belongs to the roles in who, or ErrReview when who is nil.
func wantFor(role Role, who map[Role]bool) error {
	switch {
	case who == nil:
		return protocol.ErrReview
	case who[role]:
		return nil
	default:
		return protocol.ErrRole
	}
}

// checkErr reports whether err is nil when want is, and otherwise wraps
// want and not the other review sentinel.
func checkErr(err, want error) bool {
	if want == nil {
		return err == nil
	}
	other := protocol.ErrRole
	if want == protocol.ErrRole {
		other = protocol.ErrReview
	}
	return errors.Is(err, want) && !errors.Is(err, other)
}

// Every role and every pair of review states: a clerk submits and takes
// back, a reviewer decides, and no role makes a move the state forbids.
func TestCheckReviewEveryMove(t *testing.T) {
	d, p, a, r := record.ReviewDraft, record.ReviewPending, record.ReviewApproved, record.ReviewReturned
	// moves maps from → to to the roles that may make the move; nil means
	// no role may.
	moves := map[[2]string]map[Role]bool{
		{d, p}: recorders, {d, a}: nil, {d, r}: nil,
		{p, d}: recorders, {p, a}: deciders, {p, r}: deciders,
		{a, d}: nil, {a, p}: nil, {a, r}: deciders,
		{r, d}: recorders, {r, p}: recorders, {r, a}: nil,
	}
	states := []string{d, p, a, r}
	for _, role := range reviewRoles {
		for _, from := range states {
			for _, to := range states {
				var want error
				if from != to {
					want = wantFor(role, moves[[2]string{from, to}])
				}
				if err := CheckReview(role, from, to); !checkErr(err, want) {
					t.Errorf("CheckReview(%s, %s, %s) = %v, want %v", role, from, to, err, want)
				}
			}
		}
	}
}

// An empty state reads as a draft on either side, and an unknown state
// allows no move out of it.
func TestCheckReviewEmptyAndUnknown(t *testing.T) {
	cases := []struct {
		role     Role
		from, to string
		want     error
	}{
		{Clerk, "", record.ReviewPending, nil},
		{Clerk, "", record.ReviewDraft, nil},
		{Reviewer, "", record.ReviewApproved, protocol.ErrReview},
		{Clerk, record.ReviewPending, "", nil},
		{Fair, "", record.ReviewPending, protocol.ErrRole},
		{Central, "signed", record.ReviewApproved, protocol.ErrReview},
		{Clerk, "signed", record.ReviewPending, protocol.ErrReview},
		{Reviewer, record.ReviewPending, "signed", protocol.ErrReview},
	}
	for _, c := range cases {
		if err := CheckReview(c.role, c.from, c.to); !checkErr(err, c.want) {
			t.Errorf("CheckReview(%s, %q, %q) = %v, want %v", c.role, c.from, c.to, err, c.want)
		}
	}
}

func historyChange(kind record.Kind, field, value string) changeset.Change {
	return changeset.Change{Kind: kind, ID: ulid.Make(), Scope: ownCollege, Field: field, Value: value, Stamp: 1, Device: "d"}
}

// Every role, review state and kind of field of a history record: the
// decision fields belong to deciders in every state, an approved record's
// own fields do not change in place, and a decider may still delete it.
func TestCheckHistoryChangeEveryField(t *testing.T) {
	states := []string{"", record.ReviewDraft, record.ReviewPending, record.ReviewApproved, record.ReviewReturned}
	fields := []string{record.FieldReviewBy, record.FieldReviewAt, record.FieldReviewReason,
		record.FieldDeleted, record.FieldSubmittedAt, record.FieldPerson, record.FieldTitle, record.FieldSupersedes}
	for _, role := range reviewRoles {
		for _, state := range states {
			for _, field := range fields {
				var want error
				switch field {
				case record.FieldReviewBy, record.FieldReviewAt, record.FieldReviewReason:
					want = wantFor(role, deciders)
				case record.FieldDeleted:
					switch {
					case deciders[role]:
					case !recorders[role]:
						want = protocol.ErrRole
					case state == record.ReviewApproved:
						want = protocol.ErrReview
					}
				default:
					switch {
					case !recorders[role]:
						want = protocol.ErrRole
					case state == record.ReviewApproved:
						want = protocol.ErrReview
					}
				}
				c := historyChange(record.KindAward, field, "1")
				if err := CheckHistoryChange(role, state, c); !checkErr(err, want) {
					t.Errorf("CheckHistoryChange(%s, %q, award.%s) = %v, want %v", role, state, field, err, want)
				}
			}
		}
	}
}

// A change of the review field follows CheckReview, for every history
// kind, and a record of a kind without review passes whatever it holds.
func TestCheckHistoryChangeReviewField(t *testing.T) {
	for _, kind := range record.HistoryKinds {
		cases := []struct {
			role      Role
			state, to string
			want      error
			desc      string
		}{
			{Clerk, "", record.ReviewPending, nil, "clerk submits a new record"},
			{Clerk, record.ReviewPending, record.ReviewApproved, protocol.ErrRole, "clerk approves"},
			{Reviewer, record.ReviewPending, record.ReviewApproved, nil, "reviewer approves"},
			{Reviewer, "", record.ReviewApproved, protocol.ErrReview, "reviewer approves a draft"},
			{Clerk, record.ReviewApproved, record.ReviewDraft, protocol.ErrReview, "clerk takes back an approved record"},
			{Reviewer, record.ReviewApproved, record.ReviewReturned, nil, "reviewer returns an approved record"},
			{Fair, record.ReviewDraft, record.ReviewPending, protocol.ErrRole, "fair device submits"},
		}
		for _, c := range cases {
			err := CheckHistoryChange(c.role, c.state, historyChange(kind, record.FieldReview, c.to))
			if !checkErr(err, c.want) {
				t.Errorf("%s, %s: CheckHistoryChange = %v, want %v", kind, c.desc, err, c.want)
			}
		}
	}
	for _, kind := range []record.Kind{record.KindPerson, record.KindProgramme, record.KindClass} {
		c := historyChange(kind, record.FieldDeleted, "1")
		if err := CheckHistoryChange(Fair, record.ReviewApproved, c); err != nil {
			t.Errorf("CheckHistoryChange(fair, approved, %s.deleted) = %v, want nil for a kind without review", kind, err)
		}
	}
}

// The errors name the role and the move, so a refusal in the audit log
// explains itself.
func TestCheckReviewErrorText(t *testing.T) {
	err := CheckReview(Clerk, record.ReviewPending, record.ReviewApproved)
	want := fmt.Sprintf("%v: role clerk may not move a record from pending to approved", protocol.ErrRole)
	if err == nil || err.Error() != want {
		t.Errorf("CheckReview error = %v, want %q", err, want)
	}
}
