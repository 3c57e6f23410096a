package access

import (
	"fmt"
	"strings"

	"mobilefactory/shared/protocol"
	"mobilefactory/shared/record"
)

// FairScopePrefix starts the scope of a job fair. A fair device is
// enrolled with the scope FairScopePrefix + its fair code, so the scope
// rules keep it off every college's records: college scopes are digit
// codes and never start with this prefix.
const FairScopePrefix = "fair:"

// Fair codes such as GZ2026A are 2 to 16 letters and digits.
const (
	minFairCode = 2
	maxFairCode = 16
)

// ValidFairCode reports whether code is a fair code: 2 to 16 ASCII letters
// and digits.
func ValidFairCode(code string) bool {
	if len(code) < minFairCode || len(code) > maxFairCode {
		return false
	}
	for _, r := range code {
		if !('0' <= r && r <= '9' || 'A' <= r && r <= 'Z' || 'a' <= r && r <= 'z') {
			return false
		}
	}
	return true
}

// FairScope returns the scope of the fair with code.
// Codes are upper-cased, so gz2026a and GZ2026A name the same fair.
func FairScope(code string) string { return FairScopePrefix + strings.ToUpper(code) }

// FairCode returns the fair code of a fair scope, and false for any other
// scope.
func FairCode(scope string) (string, bool) {
	return strings.CutPrefix(scope, FairScopePrefix)
}

// IsFairScope reports whether scope is the scope of a fair.
func IsFairScope(scope string) bool {
	_, ok := FairCode(scope)
	return ok
}

// CheckEnrolScope returns an error wrapping protocol.ErrRole unless a
// device of role may be enrolled with scope: a fair device only with a
// fair scope of a valid fair code, every other role only with a college
// scope.
func CheckEnrolScope(role Role, scope string) error {
	if !role.Valid() {
		return fmt.Errorf("%w: unknown role %q", protocol.ErrRole, role)
	}
	code, fair := FairCode(scope)
	switch {
	case scope == "":
		return fmt.Errorf("%w: role %s without a scope", protocol.ErrRole, role)
	case scope == record.ProvinceScope:
		// Every device pulls the province scope besides its own, and the
		// central office writes it from a college scope.
		return fmt.Errorf("%w: no device is enrolled with the province scope %q", protocol.ErrRole, scope)
	case role == Fair && !fair:
		return fmt.Errorf("%w: a fair device needs a fair scope (%s and a fair code), not %q", protocol.ErrRole, FairScopePrefix, scope)
	case role == Fair && !ValidFairCode(code):
		return fmt.Errorf("%w: fair code %q is not 2 to 16 letters and digits", protocol.ErrRole, code)
	case role != Fair && fair:
		return fmt.Errorf("%w: role %s needs a college scope, not fair %s", protocol.ErrRole, role, code)
	}
	return nil
}
