package demo

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"time"

	"mobilefactory/shared/record"
)

// collegePlan is one college's job-tailored programmes (岗位打版) with
// their custom classes (定制班).
type collegePlan struct {
	programmes []*plannedProgramme
}

// plannedProgramme is a programme with the major category it trains for
// and its classes, keyed by the graduation year of their members.
type plannedProgramme struct {
	programme record.Programme
	category  string
	classes   map[int]record.Class
}

var (
	programmeCounts = newWeighted([]int{1, 2}, []float64{45, 55})
	classCounts     = newWeighted([]int{1, 2}, []float64{50, 50})
)

// classShare is the chance that a graduate whose major category matches a
// programme of their college is a member of its class for their year.
const classShare = 0.4

// tailoredPassMark is the pass mark of every module of a job-tailored
// programme.
const tailoredPassMark = 60

// moduleNames are the module names of job-tailored programmes by major
// category. Names are also the module keys in a training's results, so
// they contain no ":" or ";".
var moduleNames = map[string][]string{
	"41": {"现代农业生产技术", "病虫害绿色防控", "农产品质量检测", "智慧农业设备操作", "农业安全生产规范"},
	"42": {"环境监测采样规范", "水质与大气分析", "安全生产法规", "环保设备运行维护", "检测报告编制"},
	"43": {"电气安全操作规程", "光伏电站运行维护", "变配电设备巡检", "电力设备故障排查", "电工仪表使用"},
	"44": {"建筑识图", "BIM建模基础", "施工现场安全管理", "工程测量实操", "工程造价软件应用"},
	"45": {"水利工程识图", "水质检测实务", "水利施工安全", "泵站运行管理", "工程资料整理"},
	"46": {"机械识图与公差", "数控编程与操作", "设备点检与维护", "质量检验与量具使用", "安全生产与6S管理", "工业机器人示教编程"},
	"47": {"化工安全操作", "化学检验实务", "发酵工艺操作", "化工设备维护", "GMP规范"},
	"48": {"服装制版实务", "印刷工艺与质检", "陶瓷成型工艺", "材料识别与检验", "生产安全规范"},
	"49": {"食品安全法规", "药品GSP规范", "食品检验实务", "药品营销与服务", "生产车间卫生规范"},
	"50": {"城市轨道交通客运服务", "汽车维护与保养", "物流仓储作业", "行车安全规范", "客户服务礼仪"},
	"51": {"软件测试基础", "前端开发实务", "网络设备配置", "电子产品装配与检测", "SMT工艺", "数据库应用"},
	"52": {"临床护理操作规范", "医患沟通", "院感防控", "康复治疗技术", "急救技能"},
	"53": {"财务软件应用", "电商平台运营", "仓储与供应链管理", "商务沟通与谈判", "税务实务"},
	"54": {"酒店前厅服务", "餐饮服务规范", "导游讲解实务", "烹饪工艺", "客户服务礼仪"},
	"55": {"设计软件应用", "品牌视觉设计", "室内设计实务", "陶瓷装饰工艺", "作品集制作"},
	"56": {"短视频拍摄", "视频剪辑与包装", "新媒体运营", "直播运营实务", "版权法规"},
	"57": {"幼儿保育实务", "幼儿活动设计", "儿童安全与急救", "家园沟通", "体育训练指导"},
	"58": {"安全防范技术", "法律事务实务", "应急处置", "安防设备操作", "职业纪律与规范"},
	"59": {"社会工作实务", "养老护理技能", "人力资源实务", "行政办公实务", "物业服务规范"},
}

// plan returns the college's programmes and classes, making them and
// adding them to d the first time. Their content comes from a stream of
// the seed and the college, so a college has the same programmes whatever
// the number of people.
func (g *generator) plan(d *Data, college string) *collegePlan {
	if pl, ok := g.plans[college]; ok {
		return pl
	}
	prof := g.profiles[college]
	code, _ := strconv.ParseUint(college, 10, 64)
	r := rand.New(rand.NewPCG(uint64(g.seed)^code, 0x70726f6772616d6d))

	pl := &collegePlan{}
	for range programmeCounts.pick(r) {
		m := prof.majorList[r.IntN(len(prof.majorList))]
		years := slices.Clone(GradYears)
		r.Shuffle(len(years), func(i, j int) { years[i], years[j] = years[j], years[i] })
		years = years[:classCounts.pick(r)]
		slices.Sort(years)
		pl.programmes = append(pl.programmes, g.newProgramme(d, r, prof, m.category, years))
	}
	g.plans[college] = pl
	return pl
}

// find returns a programme for the major category with a class for the
// graduation year, or nil.
func (pl *collegePlan) find(category string, year int) *plannedProgramme {
	for _, pp := range pl.programmes {
		if _, ok := pp.classes[year]; ok && pp.category == category {
			return pp
		}
	}
	return nil
}

// newProgramme makes a job-tailored programme for an employer in the
// college's city, with a class for each graduation year, and adds them to
// d. The programme serves the employer's demand of the spring of the last
// of those years (see linkDemand).
func (g *generator) newProgramme(d *Data, r *rand.Rand, prof *collegeProfile, category string, years []int) *plannedProgramme {
	trade, kind := employerParts(r, prof.cityCode, category)
	job := position(r, category)

	names := slices.Clone(moduleNames[category])
	if len(names) == 0 {
		names = []string{"岗位认知与企业文化", "安全生产规范", "岗位操作技能实训", "质量意识与标准作业", "跟岗实践"}
	}
	keep := min(between(r, 3, 5), len(names))
	chosen := make([]int, 0, keep)
	for _, i := range r.Perm(len(names))[:keep] {
		chosen = append(chosen, i)
	}
	slices.Sort(chosen)
	modules := make([]record.Module, 0, keep)
	for _, i := range chosen {
		modules = append(modules, record.Module{Key: names[i], Name: names[i], Hours: 8 * between(r, 2, 6), PassMark: tailoredPassMark})
	}

	lastYear := years[len(years)-1]
	p := record.Programme{
		ID:       g.newHistoryID(),
		College:  prof.code,
		Title:    trade + job + "岗位定制培训",
		Employer: placePrefix(g.t, prof.cityCode) + trade + kind,
		Position: job,
		Modules:  modules,
	}
	headcount := 5 * between(r, 2, 8)
	demandRand := rand.New(rand.NewPCG(uint64(g.seed), fnvString(p.College+p.Title)))
	g.linkDemand(&p, kind, category, lastYear, headcount, demandRand)
	d.Programmes = append(d.Programmes, p)

	pp := &plannedProgramme{programme: p, category: category, classes: map[int]record.Class{}}
	for _, year := range years {
		pp.classes[year] = g.newClass(d, r, p, trade, year)
	}
	return pp
}

// newClass makes the custom class of a programme for the graduates of one
// year, named after their entry year, and adds it to d. It runs in the
// autumn or the spring of their final year.
func (g *generator) newClass(d *Data, r *rand.Rand, p record.Programme, trade string, gradYear int) record.Class {
	start := time.Date(gradYear-1, time.October, 8, 0, 0, 0, 0, time.UTC)
	if chance(r, 0.5) {
		start = time.Date(gradYear, time.March, 1, 0, 0, 0, 0, time.UTC)
	}
	start = start.AddDate(0, 0, r.IntN(21))
	end := start.AddDate(0, 0, 7*between(r, 6, 10))
	c := record.Class{
		ID:        g.newHistoryID(),
		College:   p.College,
		Title:     fmt.Sprintf("%d级%s定制班", gradYear-3, trade),
		Programme: p.ID,
		Start:     start.Format(time.DateOnly),
		End:       end.Format(time.DateOnly),
	}
	d.Classes = append(d.Classes, c)
	return c
}
