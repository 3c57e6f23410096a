package access

import (
	"fmt"

	"mobilefactory/shared/changeset"
	"mobilefactory/shared/protocol"
	"mobilefactory/shared/record"
)

// CheckChange decides whether a device enrolled with role for scope (its
// college code, or its fair's FairScope) may make change c. It returns nil
// when it may, and otherwise an error that wraps protocol.ErrScope or
// protocol.ErrRole. The error names kinds, fields, scopes and roles, never
// the value.
//
// The rules:
//   - A college device writes only records whose Scope is its college. A
//     fair device writes only records whose Scope is its fair (FairScope),
//     so it stays off every college's records. The central office writes
//     records of any scope.
//   - No device makes conflict items, because the server makes them. A
//     device writes only an item's FieldConflictStatus and FieldResolution,
//     and only a role that MayResolveConflicts.
//   - Only a role that MayErase sets FieldErased.
//   - Any role records access events (KindAccess) in its scope.
//   - Only the central office writes record.ProvinceScope, which holds the
//     employers, job demands and merge decisions, and those kinds live
//     only there (CheckProvince). Every device pulls that scope.
//
// NOTE: records have no review state yet. When an approve field comes with
// the review workflow, only Reviewer may write it, and the rule goes here.
func CheckChange(role Role, scope string, c changeset.Change) error {
	if !role.Valid() {
		return fmt.Errorf("%w: unknown role %q", protocol.ErrRole, role)
	}
	if err := CheckProvince(role, c); err != nil {
		return err
	}
	if err := CheckScope(role, scope, c); err != nil {
		return err
	}
	switch c.Kind {
	case record.KindConflict:
		if c.Field != record.FieldConflictStatus && c.Field != record.FieldResolution {
			return fmt.Errorf("%w: %s.%s is written by the server only", protocol.ErrRole, c.Kind, c.Field)
		}
		if !role.MayResolveConflicts() {
			return fmt.Errorf("%w: role %s may not resolve conflicts", protocol.ErrRole, role)
		}
	case record.KindPerson:
		if c.Field == record.FieldErased && !role.MayErase() {
			return fmt.Errorf("%w: role %s may not erase personal fields", protocol.ErrRole, role)
		}
	}
	return nil
}

// CheckScope reports, as an error wrapping protocol.ErrScope, a change to a
// record outside the scope a device of role may write: its own scope, or
// any scope for the central office. A fair device writes only in a fair
// scope, so one enrolled with a college scope before fairs had their own
// writes nothing.
func CheckScope(role Role, scope string, c changeset.Change) error {
	if role == Fair && !IsFairScope(scope) {
		return fmt.Errorf("%w: fair device enrolled with college %s instead of a fair scope", protocol.ErrScope, scope)
	}
	if role == Central || c.Scope == scope {
		return nil
	}
	return fmt.Errorf("%w: %s %s belongs to scope %s, the device to %s", protocol.ErrScope, c.Kind, c.ID, c.Scope, scope)
}
