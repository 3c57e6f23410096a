package access

import (
	"fmt"

	"mobilefactory/shared/changeset"
	"mobilefactory/shared/protocol"
	"mobilefactory/shared/record"
)

// ProvinceKind reports whether records of kind k live in
// record.ProvinceScope: the employer directory, job demands and merge
// decisions.
func ProvinceKind(k record.Kind) bool {
	return k == record.KindEmployer || k == record.KindDemand || k == record.KindMerge
}

// MayWriteProvince reports whether the role may write the records of
// record.ProvinceScope. Every other role pulls them read-only.
func (r Role) MayWriteProvince() bool { return r == Central }

// InProvinceScope reports whether a record of kind k may live in
// record.ProvinceScope. Besides the province kinds these are the conflict
// items the server makes when two central-office devices edit one
// province record.
func InProvinceScope(k record.Kind) bool {
	return ProvinceKind(k) || k == record.KindConflict
}

// CheckProvince returns an error unless change c keeps the province rules:
// only a role that MayWriteProvince writes in record.ProvinceScope (else
// protocol.ErrRole), only the kinds InProvinceScope accepts live there, and
// the province kinds live nowhere else (both protocol.ErrScope).
func CheckProvince(role Role, c changeset.Change) error {
	if c.Scope == record.ProvinceScope {
		if !role.MayWriteProvince() {
			return fmt.Errorf("%w: role %s may not write %s records of the province scope", protocol.ErrRole, role, c.Kind)
		}
		if !InProvinceScope(c.Kind) {
			return fmt.Errorf("%w: %s %s may not live in the province scope", protocol.ErrScope, c.Kind, c.ID)
		}
		return nil
	}
	if ProvinceKind(c.Kind) {
		return fmt.Errorf("%w: %s %s belongs to the province scope, not %s", protocol.ErrScope, c.Kind, c.ID, c.Scope)
	}
	return nil
}
