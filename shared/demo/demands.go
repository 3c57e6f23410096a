package demo

import (
	"hash/fnv"
	"math/rand/v2"
	"slices"
	"time"

	"mobilefactory/shared/record"
)

// DemandsPerMillion is the number of job demands Generate makes for
// 1,000,000 people when Options.Demands is zero, scaled with People.
const DemandsPerMillion = 10_000

// categorySkills are the skills graduates of a major category list and
// job demands of its occupations ask for.
var categorySkills = map[string][]string{
	"41": {"作物栽培", "植保技术", "农机操作", "畜禽养殖", "茶叶加工"},
	"42": {"环境监测", "水质分析", "安全评价", "CAD制图", "应急预案编制"},
	"43": {"电工操作", "光伏运维", "PLC编程", "变配电运行", "材料检测"},
	"44": {"CAD制图", "BIM建模", "工程测量", "工程造价", "施工管理"},
	"45": {"水利识图", "水质检测", "工程测量", "泵站运行", "CAD制图"},
	"46": {"数控编程", "CAD制图", "钳工", "PLC编程", "工业机器人操作", "焊接", "设备维修"},
	"47": {"化学分析", "化工操作", "仪器分析", "发酵工艺", "GMP规范"},
	"48": {"服装制版", "印刷工艺", "陶瓷成型", "质量检验", "CAD制图"},
	"49": {"食品检验", "药品营销", "GSP规范", "微生物检验", "生产管理"},
	"50": {"汽车维修", "物流仓储", "客运服务", "驾驶", "调度"},
	"51": {"Java", "Python", "SQL", "网络配置", "软件测试", "前端开发", "电子装配", "Linux运维"},
	"52": {"临床护理", "急救技能", "康复治疗", "药品调剂", "健康管理"},
	"53": {"会计核算", "Excel", "电商运营", "直播带货", "仓储管理", "商务谈判"},
	"54": {"前厅服务", "餐饮服务", "导游讲解", "中式烹调", "英语口语"},
	"55": {"Photoshop", "平面设计", "室内设计", "三维建模", "手绘"},
	"56": {"视频剪辑", "摄影摄像", "新媒体运营", "文案写作", "直播运营"},
	"57": {"幼儿保育", "活动设计", "钢琴", "体育教学", "儿童急救"},
	"58": {"安防设备操作", "法律文书", "应急处置", "消防设施操作"},
	"59": {"社会工作", "养老护理", "人力资源", "行政办公", "物业管理"},
}

// pickSkills returns n different skills of a category, in table order.
func pickSkills(r *rand.Rand, category string, n int) []string {
	all := categorySkills[category]
	if n > len(all) {
		n = len(all)
	}
	chosen := make([]bool, len(all))
	for _, i := range r.Perm(len(all))[:n] {
		chosen[i] = true
	}
	out := make([]string, 0, n)
	for i, s := range all {
		if chosen[i] {
			out = append(out, s)
		}
	}
	return out
}

// demandMajors returns the majors a demand for j requires: one class of
// the job, or one to three majors of that class.
func (g *generator) demandMajors(r *rand.Rand, category string, j job) []string {
	class := j.classes[r.IntN(len(j.classes))]
	var majors []major
	for _, m := range g.t.majorsByCategory[category] {
		if m.class == class {
			majors = append(majors, m)
		}
	}
	if len(majors) == 0 || r.Float64() < 0.4 {
		return []string{class}
	}
	m := majors[r.IntN(len(majors))]
	out := []string{m.code}
	for _, other := range majors {
		if len(out) == 3 {
			break
		}
		if other.code != m.code && chance(r, 0.3) {
			out = append(out, other.code)
		}
	}
	return out
}

// demandCertificates returns up to two certificates of the category with
// the lowest skill level accepted: 5 (初级), 4 (中级) or 3 (高级).
func demandCertificates(r *rand.Rand, category string) []record.DemandCertificate {
	titles := certificateTitles[category]
	n := newWeighted([]int{0, 1, 2}, []float64{35, 50, 15}).pick(r)
	var out []record.DemandCertificate
	for _, i := range r.Perm(len(titles))[:min(n, len(titles))] {
		level := []string{"", "5", "4", "4", "3"}[r.IntN(5)]
		out = append(out, record.DemandCertificate{Title: titles[i], SkillLevel: level})
	}
	return out
}

// salaryRange returns a monthly salary range in yuan, rounded to 100:
// higher outside Jiangxi, where living costs more.
func salaryRange(r *rand.Rand, region string) (lo, hi int) {
	lo = 100 * between(r, 30, 60)
	if region[:2] != "36" {
		lo += 100 * between(r, 5, 20)
	}
	return lo, lo + 100*between(r, 5, 40)
}

// demand makes a job demand of a directory employer for a job of its
// sector, with the job's occupation and majors of its classes. A seasonal
// employer's demand recurs in its months; the others run from a start
// date, some to an end date.
func (g *generator) demand(r *rand.Rand, e *directoryEmployer) record.Demand {
	j := pickJob(r, e.category)
	lo, hi := salaryRange(r, e.Region)
	d := record.Demand{
		ID: g.newDemandID(), Scope: record.ProvinceScope, Employer: e.ID,
		Title: j.title, Occupation: j.occupation, Majors: g.demandMajors(r, e.category, j),
		Certificates: demandCertificates(r, e.category),
		Skills:       pickSkills(r, e.category, between(r, 1, 3)),
		Region:       e.Region, Headcount: between(r, 1, 50), SalaryMin: lo, SalaryMax: hi,
		Status: record.DemandOpen,
	}
	if e.months != nil {
		d.Months = e.months
	} else {
		start := addDays(g.now, between(r, -60, 120))
		d.Start = g.dayString(start)
		if chance(r, 0.4) {
			d.End = g.dayString(addDays(start, 30*between(r, 3, 12)))
		}
	}
	if chance(r, 0.1) {
		d.Status = record.DemandClosed
	}
	return d
}

// programmeDemand makes the job demand a job-tailored programme of a
// college in city trains for: the employer's spring recruitment of
// headcount people for the position, in the year of the programme's last
// class.
func (g *generator) programmeDemand(r *rand.Rand, employer *directoryEmployer, category, position, city string, year, headcount int) record.Demand {
	// The position is a job of the category's sector, so it has an
	// occupation; the category is the fallback for a position that is not.
	j, ok := jobTitled(category, position)
	if !ok {
		j.classes = []string{category}
	}
	lo, hi := salaryRange(r, city)
	return record.Demand{
		ID: g.newDemandID(), Scope: record.ProvinceScope, Employer: employer.ID,
		Title: position, Occupation: j.occupation, Majors: slices.Clone(j.classes),
		Certificates: demandCertificates(r, category),
		Skills:       pickSkills(r, category, between(r, 2, 3)),
		Region:       city, Headcount: headcount, SalaryMin: lo, SalaryMax: hi,
		Start: time.Date(year, time.March, 1, 0, 0, 0, 0, time.UTC).Format(time.DateOnly),
		// NOTE: the demand stays open after its class graduated, so that a
		// demo pool has tailored training to match against.
		Status: record.DemandOpen,
	}
}

// linkDemand makes the job demand a new job-tailored programme trains for
// and names it in p.Demand. r draws the demand's values.
func (g *generator) linkDemand(p *record.Programme, kind, category string, year, headcount int, r *rand.Rand) {
	city := g.profiles[p.College].cityCode
	employer := g.programmeEmployer(p.Employer, kind, city, category)
	d := g.programmeDemand(r, employer, category, p.Position, city, year, headcount)
	d.Programme = p.ID
	p.Demand = d.ID
	g.addDemand(d)
}

// fnvString returns the 64-bit FNV-1a hash of s, to seed a stream by name.
func fnvString(s string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(s))
	return h.Sum64()
}

// addDemand adds a demand to the pending part.
func (g *generator) addDemand(d record.Demand) {
	g.part.Demands = append(g.part.Demands, d)
	g.demandsLeft--
}

// addRemainingDemands makes the demands not linked to a programme, spread
// over the directory's employers.
func (g *generator) addRemainingDemands() {
	r := g.demandRand
	for g.demandsLeft > 0 {
		g.addDemand(g.demand(r, g.directory[r.IntN(len(g.directory))]))
	}
}
