package report

import (
	"path/filepath"
	"testing"
	"time"

	"mobilefactory/desktop/store"
	"mobilefactory/shared/access"
	"mobilefactory/shared/assessment"
	"mobilefactory/shared/record"
)

const (
	testCollege  = "4136012941" // 江西财经职业学院
	testIDNumber = "36012120020101099X"
	reviewerName = "wanglan"
	reviewerPass = "review-password-2025"
	// pendingAwardTitle is the title of an award still waiting for review,
	// which no report may show.
	pendingAwardTitle = "南昌市优秀学生干部"
	counsellingTopic  = "面试前的紧张情绪"
)

// reviewDay is the store's clock: every approval in the fixture is dated
// this day.
var reviewDay = time.Date(2025, 6, 20, 10, 0, 0, 0, time.Local)

// fixture is a store with one consenting person and their whole record.
type fixture struct {
	st        *store.Store
	person    record.Person
	programme record.Programme
}

// openStore makes a store in a temporary folder whose first account is
// the reviewer, signed in, on a device enrolled as a clerk.
func openStore(t testing.TB) *store.Store {
	t.Helper()
	st, err := store.Open(filepath.Join(t.TempDir(), "client.db"), store.Options{
		Now:    func() time.Time { return reviewDay },
		Argon2: store.Argon2Params{Time: 1, MemoryKiB: 64, Threads: 1},
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := st.Check(); err != nil {
			t.Errorf("store integrity: %v", err)
		}
		st.Close()
	})
	if err := st.AddAccount(reviewerName, reviewerPass, true); err != nil {
		t.Fatal(err)
	}
	setRole(t, st, "clerk")
	return st
}

func setRole(t testing.TB, st *store.Store, role string) {
	t.Helper()
	if err := st.SetIdentity(store.Identity{Device: st.Device(), College: testCollege, Role: role}); err != nil {
		t.Fatal(err)
	}
}

// newFixture records, as a clerk, a graduate's training in the basic and
// a job-tailored programme, an assessment, an internship and a
// job-experience session, an award, a certificate and a counselling
// session, and approves them as a reviewer. It leaves one award pending.
func newFixture(t testing.TB) *fixture {
	t.Helper()
	st := openStore(t)
	f := &fixture{st: st}
	var err error
	f.person, err = st.SavePerson(record.Person{
		Name: "陈思远", Gender: record.GenderMale, IDNumber: testIDNumber, Phone: "13907971111",
		StudentNo: "2022050117", Major: "510203", GradYear: 2025, HomeRegion: "360121",
		Status: record.StatusSeeking, Address: "江西省南昌市红谷滩区丰和中大道1188号",
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := st.RecordConsent(f.person.ID, "written"); err != nil {
		t.Fatal(err)
	}
	if f.person, err = st.Person(f.person.ID); err != nil {
		t.Fatal(err)
	}
	f.programme, err = st.SaveProgramme(record.Programme{
		Title: "数控车工岗位定制培训", Employer: "江西洪都数控机械有限公司", Position: "数控车工",
		Modules: []record.Module{
			{Key: "数控编程基础", Name: "数控编程基础", Hours: 40, PassMark: 60},
			{Key: "车床操作实训", Name: "车床操作实训", Hours: 80, PassMark: 70},
			{Key: "安全生产", Name: "安全生产", Hours: 8, PassMark: 60},
		},
	})
	if err != nil {
		t.Fatal(err)
	}

	var approve []store.ReviewRef
	save := func(kind record.Kind, fields map[string]string) string {
		t.Helper()
		fields[record.FieldPerson] = f.person.ID
		id, err := st.SaveHistory(kind, "", fields)
		if err != nil {
			t.Fatalf("saving %s: %v", kind, err)
		}
		return id
	}
	basic := record.Results{}
	for _, m := range record.Basic().Modules {
		basic[m.Key] = record.Result{Attended: m.Hours, Score: 82}
	}
	approve = append(approve,
		store.ReviewRef{Kind: record.KindTraining, ID: save(record.KindTraining, record.Training{
			Programme: record.BasicProgramme, Results: basic, Date: "2024-01-12"}.Fields())},
		store.ReviewRef{Kind: record.KindTraining, ID: save(record.KindTraining, record.Training{
			Programme: f.programme.ID, Date: "2024-06-28", Results: record.Results{
				"数控编程基础": {Attended: 40, Score: 88}, "车床操作实训": {Attended: 76, Score: 91},
				"安全生产": {Attended: 8, Score: 95}}}.Fields())},
		store.ReviewRef{Kind: record.KindAssessment, ID: save(record.KindAssessment, record.Assessment{
			Profile: testProfile().Encode(), Date: "2024-03-15"}.Fields())},
		store.ReviewRef{Kind: record.KindInternship, ID: save(record.KindInternship, record.Internship{
			Kind: record.InternWork, Employer: "江西洪都数控机械有限公司", Position: "数控车工实习生",
			Start: "2024-07-01", End: "2024-12-31", Supervisor: "刘建国", Rating: 4,
			Evaluation: "能按图纸独立完成轴类零件的车削加工，尺寸合格率高；遵守安全操作规程，学习主动，与班组同事配合良好。"}.Fields())},
		store.ReviewRef{Kind: record.KindInternship, ID: save(record.KindInternship, record.Internship{
			Kind: record.InternExperience, Employer: "南昌汽车零部件有限公司", Position: "质检员",
			Start: "2024-04-18", End: "2024-04-18", Supervisor: "周敏", Rating: 5,
			Evaluation: "体验认真，提问到位。"}.Fields())},
		store.ReviewRef{Kind: record.KindAward, ID: save(record.KindAward, record.Award{
			Title: "江西省职业院校技能大赛数控车加工赛项二等奖", Level: "provincial", Issuer: "江西省教育厅",
			Date: "2024-05-20"}.Fields())},
		store.ReviewRef{Kind: record.KindCertificate, ID: save(record.KindCertificate, record.Certificate{
			Title: "车工", SkillLevel: "4", Issuer: "江西省人力资源和社会保障厅",
			CertNo: "S000036010000245001234", Date: "2024-11-15"}.Fields())},
		store.ReviewRef{Kind: record.KindCounselling, ID: save(record.KindCounselling, record.Counselling{
			Topic: counsellingTopic, Counsellor: "李老师", Notes: "练习了自我介绍。", Date: "2025-03-02"}.Fields())},
	)
	save(record.KindAward, record.Award{Title: pendingAwardTitle, Level: "city", Issuer: "共青团南昌市委",
		Date: "2025-05-04"}.Fields())

	setRole(t, st, "reviewer")
	if err := st.SetReview(approve, record.ReviewApproved, ""); err != nil {
		t.Fatalf("approving: %v", err)
	}
	setRole(t, st, "clerk")
	return f
}

// testProfile is an interest profile whose code is RIC.
func testProfile() assessment.Profile {
	p := assessment.Profile{Scores: [assessment.NumDimensions]float64{82.5, 70.0, 35.0, 52.5, 47.5, 65.0},
		Competencies: map[string]int{}}
	for i, c := range assessment.Competencies() {
		p.Competencies[c.ID] = 1 + i%5
	}
	return p
}

// input returns the report input for the fixture's person as the store
// holds it.
func (f *fixture) input(t testing.TB, role string, unmasked bool) Input {
	t.Helper()
	h, err := f.st.HistoryOf(f.person.ID)
	if err != nil {
		t.Fatal(err)
	}
	programmes, err := f.st.Programmes()
	if err != nil {
		t.Fatal(err)
	}
	return Input{Person: f.person, History: h, Programmes: programmes, Role: access.Role(role),
		Account: "zhanghua", Unmasked: unmasked, College: "江西财经职业学院",
		Date: time.Date(2025, 7, 2, 9, 0, 0, 0, time.Local)}
}
