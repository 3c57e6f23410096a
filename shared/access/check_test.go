package access

import (
	"errors"
	"strings"
	"testing"

	"github.com/oklog/ulid/v2"

	"mobilefactory/shared/changeset"
	"mobilefactory/shared/protocol"
	"mobilefactory/shared/record"
)

const (
	ownCollege   = "4136012941"
	otherCollege = "4136011785"
	ownFair      = FairScopePrefix + "GZ2026A"
	otherFair    = FairScopePrefix + "NC2026B"
	province     = record.ProvinceScope
)

func change(kind record.Kind, scope, field string) changeset.Change {
	return changeset.Change{Kind: kind, ID: ulid.Make(), Scope: scope, Field: field, Value: "1", Stamp: 1, Device: "d"}
}

func TestCheckChange(t *testing.T) {
	cases := []struct {
		name  string
		role  Role
		c     changeset.Change
		wantE error // nil when allowed
	}{
		// Scope.
		{"clerk own college", Clerk, change(record.KindPerson, ownCollege, record.FieldPhone), nil},
		{"clerk other college", Clerk, change(record.KindPerson, otherCollege, record.FieldPhone), protocol.ErrScope},
		{"reviewer other college", Reviewer, change(record.KindTraining, otherCollege, record.FieldHours), protocol.ErrScope},
		{"central other college", Central, change(record.KindPerson, otherCollege, record.FieldName), nil},
		{"unknown role", Role("admin"), change(record.KindPerson, ownCollege, record.FieldName), protocol.ErrRole},
		{"empty role", Role(""), change(record.KindPerson, ownCollege, record.FieldName), protocol.ErrRole},

		// Conflict resolution.
		{"clerk resolves", Clerk, change(record.KindConflict, ownCollege, record.FieldResolution), protocol.ErrRole},
		{"clerk sets status", Clerk, change(record.KindConflict, ownCollege, record.FieldConflictStatus), protocol.ErrRole},
		{"reviewer resolves", Reviewer, change(record.KindConflict, ownCollege, record.FieldResolution), nil},
		{"reviewer sets status", Reviewer, change(record.KindConflict, ownCollege, record.FieldConflictStatus), nil},
		{"central resolves", Central, change(record.KindConflict, otherCollege, record.FieldResolution), nil},
		{"reviewer resolves other college", Reviewer, change(record.KindConflict, otherCollege, record.FieldResolution), protocol.ErrScope},

		// Conflict items are made by the server only.
		{"reviewer writes winner", Reviewer, change(record.KindConflict, ownCollege, record.FieldWinner), protocol.ErrRole},
		{"central writes record", Central, change(record.KindConflict, ownCollege, record.FieldRecord), protocol.ErrRole},
		{"clerk writes loser", Clerk, change(record.KindConflict, ownCollege, record.FieldLoser), protocol.ErrRole},

		// Erasure.
		{"clerk erases", Clerk, change(record.KindPerson, ownCollege, record.FieldErased), protocol.ErrRole},
		{"reviewer erases", Reviewer, change(record.KindPerson, ownCollege, record.FieldErased), protocol.ErrRole},
		{"central erases", Central, change(record.KindPerson, ownCollege, record.FieldErased), nil},

		// Access events.
		{"clerk access event", Clerk, change(record.KindAccess, ownCollege, record.FieldFields), nil},
		{"reviewer access event", Reviewer, change(record.KindAccess, ownCollege, record.FieldPerson), nil},
		{"central access event", Central, change(record.KindAccess, ownCollege, record.FieldPerson), nil},
		{"clerk access event other college", Clerk, change(record.KindAccess, otherCollege, record.FieldPerson), protocol.ErrScope},

		// A fair device writes only its fair's records.
		{"fair own fair", Fair, change(record.KindPerson, ownFair, record.FieldName), nil},
		{"fair own fair internship", Fair, change(record.KindInternship, ownFair, record.FieldEmployer), nil},
		{"fair college person", Fair, change(record.KindPerson, ownCollege, record.FieldName), protocol.ErrScope},
		{"fair college consent", Fair, change(record.KindPerson, ownCollege, record.FieldConsent), protocol.ErrScope},
		{"fair other fair", Fair, change(record.KindPerson, otherFair, record.FieldName), protocol.ErrScope},
		{"clerk fair record", Clerk, change(record.KindPerson, ownFair, record.FieldName), protocol.ErrScope},
		{"central fair record", Central, change(record.KindPerson, ownFair, record.FieldName), nil},
		{"fair resolves", Fair, change(record.KindConflict, ownFair, record.FieldResolution), protocol.ErrRole},
		{"fair erases", Fair, change(record.KindPerson, ownFair, record.FieldErased), protocol.ErrRole},
		{"fair access event", Fair, change(record.KindAccess, ownFair, record.FieldAction), nil},

		// Everything else any role may write in its scope.
		{"clerk deletes", Clerk, change(record.KindPerson, ownCollege, record.FieldDeleted), nil},

		// Only the central office writes the province scope, and only the
		// province kinds live there.
		{"central employer", Central, change(record.KindEmployer, province, record.FieldTitle), nil},
		{"central demand", Central, change(record.KindDemand, province, record.FieldHeadcount), nil},
		{"central merge", Central, change(record.KindMerge, province, record.FieldDecision), nil},
		{"central deletes demand", Central, change(record.KindDemand, province, record.FieldDeleted), nil},
		{"central resolves province conflict", Central, change(record.KindConflict, province, record.FieldResolution), nil},
		{"clerk demand", Clerk, change(record.KindDemand, province, record.FieldTitle), protocol.ErrRole},
		{"reviewer employer", Reviewer, change(record.KindEmployer, province, record.FieldTitle), protocol.ErrRole},
		{"fair demand", Fair, change(record.KindDemand, province, record.FieldHeadcount), protocol.ErrRole},
		{"fair merge", Fair, change(record.KindMerge, province, record.FieldDecision), protocol.ErrRole},
		{"reviewer resolves province conflict", Reviewer, change(record.KindConflict, province, record.FieldResolution), protocol.ErrRole},
		{"central person in province", Central, change(record.KindPerson, province, record.FieldName), protocol.ErrScope},
		{"central training in province", Central, change(record.KindTraining, province, record.FieldHours), protocol.ErrScope},
		{"central access event in province", Central, change(record.KindAccess, province, record.FieldAction), protocol.ErrScope},
		{"central employer in college", Central, change(record.KindEmployer, ownCollege, record.FieldTitle), protocol.ErrScope},
		{"clerk employer in own college", Clerk, change(record.KindEmployer, ownCollege, record.FieldTitle), protocol.ErrScope},
		{"fair demand in own fair", Fair, change(record.KindDemand, ownFair, record.FieldTitle), protocol.ErrScope},
		{"clerk merge in own college", Clerk, change(record.KindMerge, ownCollege, record.FieldPersons), protocol.ErrScope},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			scope := ownCollege
			if tc.role == Fair {
				scope = ownFair
			}
			err := CheckChange(tc.role, scope, tc.c)
			if tc.wantE == nil {
				if err != nil {
					t.Errorf("CheckChange(%s, %s.%s in %s) = %v, want nil", tc.role, tc.c.Kind, tc.c.Field, tc.c.Scope, err)
				}
				return
			}
			if !errors.Is(err, tc.wantE) {
				t.Errorf("CheckChange(%s, %s.%s in %s) = %v, want %v", tc.role, tc.c.Kind, tc.c.Field, tc.c.Scope, err, tc.wantE)
			}
			if code := protocol.CodeOf(err); code != protocol.CodeOf(tc.wantE) {
				t.Errorf("CodeOf(%v) = %s, want %s", err, code, protocol.CodeOf(tc.wantE))
			}
		})
	}
}

// The error of a refused change names no value, because it reaches logs.
func TestCheckChangeErrorOmitsValue(t *testing.T) {
	c := change(record.KindPerson, otherCollege, record.FieldIDNumber)
	c.Value = "36012120020101099X"
	err := CheckChange(Clerk, ownCollege, c)
	if err == nil {
		t.Fatal("CheckChange of another college's person = nil, want ErrScope")
	}
	if got := err.Error(); strings.Contains(got, c.Value) {
		t.Errorf("error %q contains the value", got)
	}
}

// A fair device enrolled with a college scope, as before fairs had scopes
// of their own, writes nothing, not even its college's records.
func TestFairDeviceWithCollegeScopeWritesNothing(t *testing.T) {
	err := CheckChange(Fair, ownCollege, change(record.KindPerson, ownCollege, record.FieldName))
	if !errors.Is(err, protocol.ErrScope) {
		t.Errorf("CheckChange(fair in college scope, own college person) = %v, want ErrScope", err)
	}
}

func TestCheckEnrolScope(t *testing.T) {
	cases := []struct {
		role  Role
		scope string
		ok    bool
	}{
		{Fair, ownFair, true},
		{Fair, FairScope("ab"), true},
		{Fair, FairScope("A234567890123456"), true},
		{Fair, ownCollege, false},
		{Fair, FairScope("A"), false},
		{Fair, FairScope("A2345678901234567"), false},
		{Fair, FairScope("GZ-2026"), false},
		{Fair, FairScope("广州2026"), false},
		{Fair, "", false},
		{Clerk, ownCollege, true},
		{Reviewer, ownCollege, true},
		{Central, ownCollege, true},
		{Clerk, ownFair, false},
		{Central, ownFair, false},
		{Clerk, "", false},
		{Role("admin"), ownCollege, false},
		{Central, province, false},
		{Clerk, province, false},
	}
	for _, tc := range cases {
		err := CheckEnrolScope(tc.role, tc.scope)
		if tc.ok && err != nil {
			t.Errorf("CheckEnrolScope(%s, %q) = %v, want nil", tc.role, tc.scope, err)
		}
		if !tc.ok && !errors.Is(err, protocol.ErrRole) {
			t.Errorf("CheckEnrolScope(%s, %q) = %v, want ErrRole", tc.role, tc.scope, err)
		}
	}
}

// A fair code typed in lower case names the same fair.
func TestFairScopeFoldsCase(t *testing.T) {
	if got, want := FairScope("gz2026a"), FairScope("GZ2026A"); got != want || got != "fair:GZ2026A" {
		t.Errorf("FairScope(gz2026a) = %q, FairScope(GZ2026A) = %q, want both fair:GZ2026A", got, want)
	}
	if code, ok := FairCode(FairScope("gz2026a")); !ok || code != "GZ2026A" {
		t.Errorf("FairCode(FairScope(gz2026a)) = %q, %v, want GZ2026A, true", code, ok)
	}
}
