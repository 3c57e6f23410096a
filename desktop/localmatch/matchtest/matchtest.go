// Package matchtest seeds a desktop store with a small hand-made matching
// world whose answers are known, for the tests of package localmatch and
// of the matching screens.
package matchtest

import (
	"testing"

	"mobilefactory/desktop/store"
	"mobilefactory/shared/record"
)

// The world's employers. 洪都 recruits in March to June, so its people are
// released for the rest of the year; 九江石化 recruits from July to
// December.
var (
	Hongdu = record.Employer{Name: "江西洪都数控机械有限公司", CreditCode: "91350100M000100Y43",
		Region: "360111", Industry: "3411", Nature: "39"}
	Jiujiang = record.Employer{Name: "九江石化设备有限公司", CreditCode: "91440300708461136T",
		Region: "360400", Industry: "3511", Nature: "39"}
)

// World is what Seed stored, with the ids the store gave.
type World struct {
	Hongdu, Jiujiang record.Employer
	// Lathe is 洪都's demand for 数控车床操作工: major 数控技术, certificate
	// 数控车工 at 中级 or above, skill 数控编程, in 青山湖区, March to June.
	Lathe record.Demand
	// Electrician is 九江石化's demand for 设备维修电工: major 机电设备技术, in
	// 浔阳区, July to December.
	Electrician record.Demand
	// Wang Ming is the best fit for Lathe: 数控技术, an approved 数控车工
	// certificate at 中级, the skill 数控编程, living in 青山湖区, seeking work.
	// His score is 40+15+5+15+20 = 95.
	WangMing record.Person
	// Sun Li would score as Wang Ming, but her certificate waits for
	// review, so it does not count: 40+15+20 = 75.
	SunLi record.Person
	// Li Hua has the major and lives in 九江市: 40+5+20 = 65.
	LiHua record.Person
	// Zhao Qiang has the major but gave no consent to be recommended.
	ZhaoQiang record.Person
	// Zhou Jie (机电设备技术) and Wu Gang (数控技术) work for 洪都. Off-season
	// they transfer to Electrician: Zhou Jie 40+5 = 45, Wu Gang 10+5 = 15.
	ZhouJie, WuGang record.Person
}

// Seed stores the world in st on a central office device enrolled for
// college, and approves every history record but Sun Li's certificate.
// The caller may change the device's role afterwards.
func Seed(t testing.TB, st *store.Store, college string) World {
	t.Helper()
	setRole(t, st, college, "central")
	var w World
	var err error
	if w.Hongdu, err = st.SaveEmployer(Hongdu); err != nil {
		t.Fatalf("SaveEmployer: %v", err)
	}
	if w.Jiujiang, err = st.SaveEmployer(Jiujiang); err != nil {
		t.Fatalf("SaveEmployer: %v", err)
	}
	w.Lathe = saveDemand(t, st, record.Demand{Employer: w.Hongdu.ID, Title: "数控车床操作工", Occupation: "6-18-01-01",
		Majors: []string{"460103"}, Certificates: []record.DemandCertificate{{Title: "数控车工", SkillLevel: "4"}},
		Skills: []string{"数控编程"}, Region: "360111", Headcount: 20, SalaryMin: 4500, SalaryMax: 6500,
		Months: []int{3, 4, 5, 6}})
	w.Electrician = saveDemand(t, st, record.Demand{Employer: w.Jiujiang.ID, Title: "设备维修电工",
		Occupation: "6-31-01-03", Majors: []string{"460202"}, Region: "360403", Headcount: 5, SalaryMin: 5000,
		Months: []int{7, 8, 9, 10, 11, 12}})

	seeking := func(name, major, home string) record.Person {
		return record.Person{Name: name, Gender: record.GenderMale, Major: major, GradYear: 2025,
			HomeRegion: home, Status: record.StatusSeeking}
	}
	w.WangMing = savePerson(t, st, true, func() record.Person {
		p := seeking("王明", "460103", "360111")
		p.Skills = "数控编程"
		return p
	}())
	w.SunLi = savePerson(t, st, true, seeking("孙丽", "460103", "360111"))
	w.LiHua = savePerson(t, st, true, seeking("李华", "460103", "360402"))
	w.ZhaoQiang = savePerson(t, st, false, seeking("赵强", "460103", "360111"))
	employed := func(name, major string) record.Person {
		return record.Person{Name: name, Gender: record.GenderMale, Major: major, GradYear: 2023,
			HomeRegion: "360111", Status: record.StatusEmployed, WorkRegion: "360111", Employer: Hongdu.Name}
	}
	w.ZhouJie = savePerson(t, st, true, employed("周杰", "460202"))
	w.WuGang = savePerson(t, st, true, employed("吴刚", "460103"))

	approved := saveCertificate(t, st, w.WangMing.ID)
	saveCertificate(t, st, w.SunLi.ID)
	if err := st.SetReview([]store.ReviewRef{{Kind: record.KindCertificate, ID: approved}}, record.ReviewApproved, ""); err != nil {
		t.Fatalf("approving the certificate: %v", err)
	}
	return w
}

// SetRole re-enrols the device with role, keeping its college.
func SetRole(t testing.TB, st *store.Store, role string) {
	t.Helper()
	ident, _ := st.Identity()
	setRole(t, st, ident.College, role)
}

func setRole(t testing.TB, st *store.Store, college, role string) {
	t.Helper()
	ident, _ := st.Identity()
	ident.Device, ident.College, ident.Role = st.Device(), college, role
	if err := st.SetIdentity(ident); err != nil {
		t.Fatalf("SetIdentity(role %s): %v", role, err)
	}
}

func saveDemand(t testing.TB, st *store.Store, d record.Demand) record.Demand {
	t.Helper()
	saved, err := st.SaveDemand(d)
	if err != nil {
		t.Fatalf("SaveDemand(%s): %v", d.Title, err)
	}
	return saved
}

func savePerson(t testing.TB, st *store.Store, consent bool, p record.Person) record.Person {
	t.Helper()
	saved, err := st.SavePerson(p)
	if err != nil {
		t.Fatalf("SavePerson(%s): %v", p.Name, err)
	}
	if consent {
		if err := st.RecordConsent(saved.ID, "written"); err != nil {
			t.Fatalf("RecordConsent(%s): %v", p.Name, err)
		}
	}
	if saved, err = st.Person(saved.ID); err != nil {
		t.Fatalf("Person(%s): %v", p.Name, err)
	}
	return saved
}

// saveCertificate submits a 数控车工 certificate at 中级 for review and
// returns its id.
func saveCertificate(t testing.TB, st *store.Store, personID string) string {
	t.Helper()
	fields := record.Certificate{Title: "数控车工", SkillLevel: "4", Issuer: "江西省人力资源和社会保障厅",
		Date: "2024-11-15"}.Fields()
	fields[record.FieldPerson] = personID
	id, err := st.SaveHistory(record.KindCertificate, "", fields)
	if err != nil {
		t.Fatalf("SaveHistory(certificate): %v", err)
	}
	return id
}
