package demo

import (
	"math/rand/v2"
	"time"

	"mobilefactory/shared/assessment"
	"mobilefactory/shared/record"
)

// The sample person is Data.Persons[0] of every data set: a computing
// graduate of 江西财经职业学院, the college `make run` enrols its desktop
// client for. A reviewer approved their complete history: the basic
// modules and a custom class completed, an assessment, a job-experience
// session and an internship, an award, two certificates and a counselling
// session. Docs and manual tests use the person for the recommendation
// report, found by the ID number. Their values are the same for every
// seed, except the ULIDs.
const (
	SampleName     = "李志明"
	SampleIDNumber = "36012120020101099X"
	SampleCollege  = "4136012941" // 江西财经职业学院
	sampleMajor    = "510201"     // 计算机应用技术
	samplePhone    = "13807912345"
	sampleGradYear = 2025
)

// addSample adds the sample person and their history to d.
func (g *generator) addSample(d *Data) {
	prof := g.profiles[SampleCollege]
	m := g.sampleMajor(prof)
	g.idsUsed[SampleIDNumber[:17]] = true
	g.phones[samplePhone] = true
	p := record.Person{
		ID: g.newID(), College: SampleCollege, Name: SampleName, Gender: record.GenderMale,
		IDNumber: SampleIDNumber, Phone: samplePhone, StudentNo: prof.nextStudentNo(sampleGradYear),
		Major: m.code, GradYear: sampleGradYear, HomeRegion: SampleIDNumber[:6],
		Status: record.StatusSeeking, Consent: record.ConsentGiven, ConsentAt: "2025-06-20",
		ConsentMethod: "written", ConsentBy: "demo", Skills: "软件测试、SQL、Python、网络配置",
	}
	d.Persons = append(d.Persons, p)

	basic := record.Basic()
	d.Trainings = append(d.Trainings, completedTraining(record.Training{
		ID: g.newHistoryID(), College: p.College, Person: p.ID, Programme: basic.ID,
		Results: record.Results{
			"office": {Attended: 32, Score: 92}, "ethics": {Attended: 16, Score: 88},
			"law": {Attended: 16, Score: 85}, "craft": {Attended: 15, Score: 90},
			"career": {Attended: 24, Score: 87},
		},
		Date: "2024-06-20", Review: g.sampleReview("2024-06-20"),
	}, basic))

	pp := g.sampleProgramme(d, prof, m)
	class := pp.classes[sampleGradYear]
	results := record.Results{}
	for i, mod := range pp.programme.Modules {
		results[mod.Key] = record.Result{Attended: mod.Hours, Score: 84 + 3*i}
	}
	d.Trainings = append(d.Trainings, completedTraining(record.Training{
		ID: g.newHistoryID(), College: p.College, Person: p.ID, Programme: pp.programme.ID,
		Class: class.ID, Results: results, Date: class.End, Review: g.sampleReview(class.End),
	}, pp.programme))

	d.Assessments = append(d.Assessments, g.sampleAssessment(p, m))

	r := rand.New(rand.NewPCG(2025, 101))
	d.Internships = append(d.Internships,
		record.Internship{
			ID: g.newHistoryID(), College: p.College, Person: p.ID, Kind: record.InternExperience,
			Employer: employerName(r, g.t, "360100", m.category), Position: "网络运维员",
			WorkRegion: "360100", Start: "2024-05-14", End: "2024-05-16", Supervisor: "陈俊杰",
			Rating: 4, Evaluation: "体验期间认真观察、主动提问，对机房巡检和网络故障排查有了直观认识。",
			Review: g.sampleReview("2024-05-16"),
		},
		record.Internship{
			ID: g.newHistoryID(), College: p.College, Person: p.ID, Kind: record.InternWork,
			Employer: pp.programme.Employer, Position: pp.programme.Position,
			WorkRegion: prof.cityCode, Start: "2025-03-03", End: "2025-06-13", Supervisor: "王建华",
			Rating: 5, Evaluation: "工作认真负责，专业技能扎实，能独立编写测试用例、跟踪缺陷，团队协作好，表现优秀。",
			Review: g.sampleReview("2025-06-13"),
		})

	d.Awards = append(d.Awards, record.Award{
		ID: g.newHistoryID(), College: p.College, Person: p.ID, Title: "江西省职业院校技能大赛二等奖",
		Level: "provincial", Issuer: "江西省教育厅", Date: "2024-11-20", Review: g.sampleReview("2024-11-20"),
	})
	d.Certificates = append(d.Certificates,
		record.Certificate{
			ID: g.newHistoryID(), College: p.College, Person: p.ID, Title: "计算机程序设计员",
			SkillLevel: "4", Issuer: "江西省职业技能鉴定指导中心", CertNo: "S00003620240100721",
			Date: "2024-12-10", Review: g.sampleReview("2024-12-10"),
		},
		record.Certificate{
			ID: g.newHistoryID(), College: p.College, Person: p.ID, Title: "计算机网络管理员",
			SkillLevel: "5", Issuer: prof.name, CertNo: "S00003620240035218",
			Date: "2024-06-28", Review: g.sampleReview("2024-06-28"),
		})
	d.Counsellings = append(d.Counsellings, record.Counselling{
		ID: g.newHistoryID(), College: p.College, Person: p.ID, Topic: "求职简历修改",
		Counsellor: "刘晓燕", Notes: "帮助修改简历，突出定制班培训、实习经历和技能证书，建议投递九江本地软件测试岗位。",
		Date: "2025-04-10", Review: g.sampleReview("2025-04-10"),
	})
}

// sampleMajor returns the sample person's major, which the sample college
// teaches.
func (g *generator) sampleMajor(prof *collegeProfile) major {
	for _, m := range prof.majorList {
		if m.code == sampleMajor {
			return m
		}
	}
	panic("bug: the sample college does not teach major " + sampleMajor)
}

// sampleProgramme adds the job-tailored programme of the sample person's
// custom class to their college's plan, where other graduates of their
// major category and year may join it, and returns it. The programme is
// the same for every seed.
func (g *generator) sampleProgramme(d *Data, prof *collegeProfile, m major) *plannedProgramme {
	pl := g.plan(d, prof.code)
	trade, kind := employerParts(rand.New(rand.NewPCG(2024, 1014)), prof.cityCode, m.category)
	job := "软件测试员"
	p := record.Programme{
		ID:       g.newHistoryID(),
		College:  prof.code,
		Title:    trade + job + "岗位定制培训",
		Employer: placePrefix(g.t, prof.cityCode) + trade + kind,
		Position: job,
		Modules: []record.Module{
			{Key: "软件测试基础", Name: "软件测试基础", Hours: 48, PassMark: tailoredPassMark},
			{Key: "数据库应用", Name: "数据库应用", Hours: 32, PassMark: tailoredPassMark},
			{Key: "前端开发实务", Name: "前端开发实务", Hours: 32, PassMark: tailoredPassMark},
			{Key: "网络设备配置", Name: "网络设备配置", Hours: 16, PassMark: tailoredPassMark},
		},
	}
	// The demand is the employer's spring 2025 recruitment of 20 people,
	// drawn from a fixed stream like the rest of the sample.
	g.linkDemand(&p, kind, m.category, sampleGradYear, 20, rand.New(rand.NewPCG(2025, 1016)))
	class := record.Class{
		ID: g.newHistoryID(), College: prof.code, Title: "2022级" + trade + "定制班",
		Programme: p.ID, Start: "2024-10-14", End: "2024-12-20",
	}
	d.Programmes = append(d.Programmes, p)
	d.Classes = append(d.Classes, class)
	pp := &plannedProgramme{programme: p, category: m.category, classes: map[int]record.Class{sampleGradYear: class}}
	pl.programmes = append(pl.programmes, pp)
	return pp
}

// sampleAssessment returns the sample person's assessment, answered the
// same way for every seed.
func (g *generator) sampleAssessment(p record.Person, m major) record.Assessment {
	r := rand.New(rand.NewPCG(2022, 1015))
	bias := interestBias[m.category]
	profile := g.answers.score(func(it assessment.Item) float64 {
		return 2.4 + bias[it.Dimension] + 1.6*(r.Float64()-0.5)
	}, func(c assessment.Competency) float64 {
		return 3.3 + competencyBias[m.category][c.ID] + r.Float64() - 0.5
	})
	return record.Assessment{
		ID: g.newHistoryID(), College: p.College, Person: p.ID, Profile: profile.Encode(),
		Date: "2022-10-15", Review: g.sampleReview("2022-10-15"),
	}
}

// sampleReview is the approval of a sample record dated day: submitted
// the next morning and approved five days after the record date.
func (g *generator) sampleReview(day string) record.Review {
	d, err := time.Parse(time.DateOnly, day)
	if err != nil {
		panic("bug: sample date " + day + ": " + err.Error())
	}
	return g.decidedReview(record.ReviewApproved, "", d.AddDate(0, 0, 1).Add(10*time.Hour), d.AddDate(0, 0, 5))
}
