package demo

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"mobilefactory/shared/record"
)

// Shares of the people with each kind of record.
const (
	assessmentShare  = 0.6
	awardShare       = 0.2
	certificateShare = 0.5
	counsellingShare = 0.3
)

// Shares of history records in each review state. The rest are returned.
const (
	approvedShare = 0.85
	pendingShare  = 0.08
	draftShare    = 0.04
)

// ReviewerAccount is the account the demo names as the reviewer of every
// approved or returned record.
const ReviewerAccount = "reviewer"

// commonReturnReasons are reasons a reviewer gives for returning a record
// of any kind, and returnReasons those for one kind.
var commonReturnReasons = []string{
	"日期填写有误，请核对后重新提交。",
	"缺少证明材料，请补充后重新提交。",
}

var returnReasons = map[record.Kind][]string{
	record.KindTraining:    {"成绩与考勤表不一致，请核对后重新提交。"},
	record.KindAssessment:  {"测评不是本人在规定时间内完成，请安排重新测评。"},
	record.KindInternship:  {"实习评价过于简略，请补充具体表现后重新提交。"},
	record.KindAward:       {"获奖级别与证书不符，请核对后重新提交。"},
	record.KindCertificate: {"证书编号与证书原件不一致，请核对后重新提交。"},
	record.KindCounselling: {"辅导记录过于简略，请补充辅导内容后重新提交。"},
}

// addHistory adds a generated person's whole record to d.
func (g *generator) addHistory(d *Data, p record.Person, m major) {
	r := g.history
	g.addTrainings(d, p, m)
	if chance(r, assessmentShare) {
		d.Assessments = append(d.Assessments, g.assessment(p, m))
	}
	g.addInternships(d, p, m)
	if chance(r, awardShare) {
		d.Awards = append(d.Awards, g.award(p))
	}
	if chance(r, certificateShare) {
		d.Certificates = append(d.Certificates, g.certificate(p, m, 0))
		if chance(r, 0.3) {
			d.Certificates = append(d.Certificates, g.certificate(p, m, 1))
		}
	}
	if chance(r, counsellingShare) {
		for range between(r, 1, 2) {
			d.Counsellings = append(d.Counsellings, g.counselling(p))
		}
	}
}

// review draws the review state of a record of kind dated day. A record is
// submitted up to five days after its date, and a reviewer decides up to two
// weeks later. Times that would fall after the generator's now are moved
// to now, unless the record itself is dated later.
func (g *generator) review(kind record.Kind, day time.Time) record.Review {
	r := g.history
	submitted := g.notAfterNow(day, addDays(day, r.IntN(6)).Add(time.Duration(between(r, 8*60, 18*60))*time.Minute))
	decided := g.notAfterNow(day, addDays(submitted, between(r, 1, 14)))
	x := r.Float64()
	switch {
	case x < approvedShare:
		return g.decidedReview(record.ReviewApproved, "", submitted, decided)
	case x < approvedShare+pendingShare:
		return record.Review{State: record.ReviewPending, SubmittedAt: submitted.UTC().Format(time.RFC3339)}
	case x < approvedShare+pendingShare+draftShare:
		return record.Review{State: record.ReviewDraft}
	default:
		reasons := returnReasons[kind]
		if chance(r, 0.5) {
			reasons = commonReturnReasons
		}
		return g.decidedReview(record.ReviewReturned, pickText(r, reasons), submitted, decided)
	}
}

// decidedReview is an approved or returned review, as store.SetReview
// writes it: the reviewer's account, the decision date and the submission.
func (g *generator) decidedReview(state, reason string, submitted, decided time.Time) record.Review {
	return record.Review{State: state, Reason: reason, By: ReviewerAccount,
		At: g.dayString(decided), SubmittedAt: submitted.UTC().Format(time.RFC3339)}
}

// dayString formats the day of t in UTC as an ISO 8601 date, from a cache:
// the data spans a few thousand days, and formatting each date anew took
// a tenth of the generation time.
func (g *generator) dayString(t time.Time) string {
	key := t.Unix() / (24 * 60 * 60)
	if s, ok := g.days[key]; ok {
		return s
	}
	s := t.UTC().Format(time.DateOnly)
	g.days[key] = s
	return s
}

// notAfterNow returns t, or the generator's now when t is later and the
// record's own date day is not.
func (g *generator) notAfterNow(day, t time.Time) time.Time {
	if t.After(g.now) && !day.After(g.now) {
		return g.now
	}
	return t
}

// staffName returns the name of a supervisor or counsellor.
func (g *generator) staffName() string {
	gender := record.GenderMale
	if chance(g.history, 0.5) {
		gender = record.GenderFemale
	}
	return personName(g.history, gender)
}

func pickText(r *rand.Rand, list []string) string { return list[r.IntN(len(list))] }

// evaluations are supervisors' evaluations by rating.
var evaluations = map[int][]string{
	1: {
		"出勤不稳定，岗位任务多次未按时完成，需端正工作态度。",
		"对岗位要求理解不足，操作多次需要返工，建议加强基础技能训练。",
	},
	2: {
		"能完成部分岗位任务，但主动性不足，需加强专业技能和责任意识。",
		"工作中细节把握不够，出错较多，需在带教下继续练习。",
	},
	3: {
		"基本能完成岗位任务，出勤正常，工作主动性一般，需加强专业学习。",
		"态度端正，能按要求完成交办任务，独立解决问题的能力有待提高。",
	},
	4: {
		"能较好完成岗位任务，遵守纪律，与同事配合顺畅，专业技能还可进一步提升。",
		"工作踏实，沟通顺畅，能按时保质完成任务，建议加强独立处理复杂问题的能力。",
	},
	5: {
		"工作认真负责，专业技能扎实，能独立完成岗位任务，团队协作好，表现优秀。",
		"学习能力强，很快熟悉岗位流程，主动承担任务，获得部门一致好评。",
	},
}

// experienceEvaluations are evaluations of job-experience sessions.
var experienceEvaluations = []string{
	"参加岗位体验，了解了企业生产流程和岗位要求，态度积极。",
	"体验期间认真观察、主动提问，对岗位工作有了直观认识。",
	"遵守企业纪律，跟随师傅完成了基础操作，对本岗位兴趣较浓。",
}

// award is one kind of award: its level, title and issuer. In title and
// issuer, {city} stands for the college's city and {college} for the
// college.
type award struct {
	level, title, issuer string
}

var awards = newWeighted(
	[]award{
		{"national", "全国职业院校技能大赛三等奖", "全国职业院校技能大赛组委会"},
		{"national", "国家奖学金", "中华人民共和国教育部"},
		{"provincial", "江西省职业院校技能大赛二等奖", "江西省教育厅"},
		{"provincial", "江西省职业院校技能大赛三等奖", "江西省教育厅"},
		{"provincial", "江西省大学生创新创业大赛铜奖", "江西省教育厅"},
		{"provincial", "江西省三好学生", "江西省教育厅"},
		{"city", "{city}职业技能竞赛二等奖", "{city}人力资源和社会保障局"},
		{"city", "{city}青年志愿服务先进个人", "共青团{city}委员会"},
		{"college", "校级技能竞赛一等奖", "{college}"},
		{"college", "三好学生", "{college}"},
		{"college", "优秀学生干部", "{college}"},
		{"college", "优秀毕业生", "{college}"},
	},
	[]float64{2, 2, 5, 7, 4, 4, 10, 10, 14, 18, 14, 10},
)

// award makes an award dated in the person's second or third year.
func (g *generator) award(p record.Person) record.Award {
	r := g.history
	a := awards.pick(r)
	fill := func(text string) string {
		if !strings.Contains(text, "{") {
			return text
		}
		text = strings.ReplaceAll(text, "{city}", g.t.regions[g.collegeCity(p.College)].name)
		return strings.ReplaceAll(text, "{college}", g.profiles[p.College].name)
	}
	day := dayBetween(r, studyStart(p.GradYear).AddDate(1, 0, 0), graduationDay(p.GradYear).AddDate(0, 0, -10))
	if a.title == "优秀毕业生" {
		day = graduationDay(p.GradYear).AddDate(0, 0, -r.IntN(20))
	}
	return record.Award{
		ID: g.newHistoryID(), College: p.College, Person: p.ID,
		Title: fill(a.title), Level: a.level,
		Issuer: fill(a.issuer), Date: g.dayString(day),
		Review: g.review(record.KindAward, day),
	}
}

// certificateTitles are the occupations of vocational skill certificates
// (职业技能等级证书) by major category, after the national occupational
// skill standards.
var certificateTitles = map[string][]string{
	"41": {"农业技术员", "农作物植保员", "评茶员"},
	"42": {"环境监测员", "工业废水处理工"},
	"43": {"电工", "光伏发电运维值班员", "变配电运行值班员"},
	"44": {"工程测量员", "建筑信息模型技术员", "砌筑工"},
	"45": {"水工监测工", "水环境监测员"},
	"46": {"数控车工", "钳工", "电工", "焊工", "工业机器人系统操作员"},
	"47": {"化学检验员", "化工总控工"},
	"48": {"服装制版师", "印前处理和制作员", "陶瓷装饰工"},
	"49": {"农产品食品检验员", "药物制剂工", "中药调剂员"},
	"50": {"汽车维修工", "城市轨道交通站务员", "物流服务师"},
	"51": {"计算机程序设计员", "计算机网络管理员", "电子产品制版工", "信息通信网络运行管理员"},
	"52": {"健康管理师", "养老护理员", "育婴员"},
	"53": {"电子商务师", "物流服务师", "营销员", "收银员"},
	"54": {"中式烹调师", "餐厅服务员", "前厅服务员", "茶艺师"},
	"55": {"室内装饰设计师", "广告设计师", "陶瓷装饰工"},
	"56": {"摄影师", "广告设计师", "互联网营销师"},
	"57": {"保育师", "育婴员", "社会体育指导员"},
	"58": {"保安员", "安检员"},
	"59": {"养老护理员", "家政服务员", "劳动关系协调员"},
}

// skillLevels weights the skill levels of students' certificates: mostly
// 初级 (5) and 中级 (4), some 高级 (3), rarely 技师 (2).
var skillLevels = newWeighted([]string{"5", "4", "3", "2"}, []float64{40, 45, 13, 2})

// certificate makes the n-th (0 or 1) certificate of a person, dated in
// their final year, in an occupation of their major category.
func (g *generator) certificate(p record.Person, m major, n int) record.Certificate {
	r := g.history
	titles := certificateTitles[m.category]
	if len(titles) == 0 {
		titles = []string{"计算机操作员"}
	}
	issuer := "江西省职业技能鉴定指导中心"
	if chance(r, 0.5) {
		issuer = g.profiles[p.College].name // colleges certify skills of their own students
	}
	day := dayBetween(r, graduationDay(p.GradYear).AddDate(-1, 0, 0), graduationDay(p.GradYear))
	return record.Certificate{
		ID: g.newHistoryID(), College: p.College, Person: p.ID,
		Title: titles[(r.IntN(len(titles))+n)%len(titles)], SkillLevel: skillLevels.pick(r),
		Issuer: issuer, CertNo: fmt.Sprintf("S000036%d%07d", day.Year(), r.IntN(10_000_000)),
		Date: g.dayString(day), Review: g.review(record.KindCertificate, day),
	}
}

// counsellingTopics are topics of counselling sessions with a counsellor's
// note for each.
var counsellingTopics = []struct{ topic, notes string }{
	{"求职简历修改", "帮助修改简历，突出实习经历和技能证书，建议投递本地对口岗位。"},
	{"面试技巧辅导", "进行模拟面试，自我介绍不够简洁，建议提前准备常见问题的回答。"},
	{"职业方向选择", "结合测评结果分析兴趣和专业，建议优先考虑本专业对口岗位。"},
	{"升学与就业选择", "介绍专升本和直接就业的利弊，学生决定先就业积累经验。"},
	{"劳动合同与权益", "讲解试用期、社会保险和劳动合同条款，提醒签约前核对岗位和薪酬。"},
	{"求职心理调适", "学生多次求职未果情绪低落，给予鼓励并约定两周后回访。"},
	{"岗位推荐", "根据求职意向推荐两家合作企业的岗位，学生愿意参加面试。"},
}

// counselling makes a counselling session between March and September of
// the graduation year, and not after the generator's now.
func (g *generator) counselling(p record.Person) record.Counselling {
	r := g.history
	t := counsellingTopics[r.IntN(len(counsellingTopics))]
	day := dayBetween(r, time.Date(p.GradYear, time.March, 1, 0, 0, 0, 0, time.UTC),
		time.Date(p.GradYear, time.September, 30, 0, 0, 0, 0, time.UTC))
	if day.After(g.now) {
		day = time.Date(g.now.Year(), g.now.Month(), g.now.Day(), 0, 0, 0, 0, time.UTC)
	}
	return record.Counselling{
		ID: g.newHistoryID(), College: p.College, Person: p.ID,
		Topic: t.topic, Counsellor: g.staffName(), Notes: t.notes,
		Date: g.dayString(day), Review: g.review(record.KindCounselling, day),
	}
}
