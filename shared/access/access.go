// Package access holds the roles a device is enrolled with and what each
// role may see and do. The server enforces these rules on every change; the
// desktop applies the same rules to decide which screens and buttons show.
package access

// Role is the role a device is enrolled with. Values are stored and sent on
// the wire: never rename.
type Role string

// The roles.
const (
	Clerk    Role = "clerk"    // 录入员: enters and imports a college's records
	Reviewer Role = "reviewer" // 审核员: approves records and resolves conflicts
	Fair     Role = "fair"     // 招聘会工作人员: registers visitors at a fair
	Central  Role = "central"  // 省中心: enrols devices, may write every college
)

// Roles lists every role in the order screens and help show them.
var Roles = []Role{Clerk, Reviewer, Fair, Central}

// Valid reports whether r is a known role.
func (r Role) Valid() bool {
	for _, known := range Roles {
		if r == known {
			return true
		}
	}
	return false
}

// MaySeePersonal reports whether the role may show a person's personal
// fields (resident ID number, phone, address) in full. Screens mask them
// for every role by default; showing one in full is an audited action
// that only these roles may take. Fair laptops travel and are lost most
// often, so fair staff see masked values only.
func (r Role) MaySeePersonal() bool {
	return r == Clerk || r == Reviewer || r == Central
}

// MayResolveConflicts reports whether the role gets the conflict queue and
// may resolve its items.
func (r Role) MayResolveConflicts() bool { return r == Reviewer || r == Central }

// MayErase reports whether the role may erase a person's personal fields on
// request.
func (r Role) MayErase() bool { return r == Central }

// MayExportUnmasked reports whether the role may export personal fields in
// full.
func (r Role) MayExportUnmasked() bool { return r.MaySeePersonal() }
