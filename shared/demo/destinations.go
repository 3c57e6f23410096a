package demo

import (
	"hash/fnv"
	"math/rand/v2"
	"strings"

	"mobilefactory/shared/record"
)

// Shares of employed graduates by place of work, in percent, from the 2017
// Jiangxi graduate employment quality report: 47.7% work outside Jiangxi,
// led by Guangdong 12.3%, Zhejiang 11.4% and Shanghai 4.5%. The report does
// not break down the other 19.5%, so the split below is an estimate.
const (
	shareOutside   = 47.7
	shareGuangdong = 12.3
	shareZhejiang  = 11.4
	shareShanghai  = 4.5
)

// destination is a province with the places inside it where graduates work,
// as region codes (prefectures, or districts of a municipality) with weights.
type destination struct {
	share   float64
	regions weighted[string]
}

func places(codes []string, weights []float64) weighted[string] { return newWeighted(codes, weights) }

var outsideDestinations = newWeighted(
	[]destination{
		{shareGuangdong, places(
			[]string{"440300", "441900", "440100", "440600", "441300", "442000", "440400"},
			[]float64{30, 25, 20, 10, 6, 5, 4})},
		{shareZhejiang, places(
			[]string{"330100", "330200", "330300", "330400", "330600", "330700", "331000"},
			[]float64{30, 20, 12, 10, 10, 12, 6})},
		{shareShanghai, places(
			[]string{"310115", "310112", "310117", "310114", "310113", "310104"},
			[]float64{30, 20, 15, 15, 10, 10})},
		{4.5, places([]string{"320500", "320200", "320100", "320400"}, []float64{45, 20, 20, 15})},
		{3.5, places([]string{"350200", "350100", "350500"}, []float64{40, 30, 30})},
		{2.0, places([]string{"420100"}, []float64{1})},
		{2.0, places([]string{"430100"}, []float64{1})},
		{1.5, places([]string{"110105", "110108", "110106"}, []float64{40, 40, 20})},
		{1.5, places([]string{"340100"}, []float64{1})},
		{0.8, places([]string{"510100"}, []float64{1})},
		{0.8, places([]string{"370200", "370100"}, []float64{60, 40})},
		{0.6, places([]string{"120116"}, []float64{1})},
		{0.5, places([]string{"500112"}, []float64{1})},
		{0.6, places([]string{"410100"}, []float64{1})},
		{0.5, places([]string{"460100"}, []float64{1})},
		{0.4, places([]string{"610100"}, []float64{1})},
		{0.3, places([]string{"450100"}, []float64{1})},
	},
	[]float64{
		shareGuangdong, shareZhejiang, shareShanghai,
		4.5, 3.5, 2.0, 2.0, 1.5, 1.5, 0.8, 0.8, 0.6, 0.5, 0.6, 0.5, 0.4, 0.3,
	},
)

const nanchang = "360100"

// outsideRegion picks a place of work outside Jiangxi.
func outsideRegion(r *rand.Rand) string { return outsideDestinations.pick(r).regions.pick(r) }

// jiangxiRegion picks a Jiangxi prefecture: often the home or college city,
// or Nanchang, the provincial capital.
func jiangxiRegion(r *rand.Rand, t *tables, home, college string) string {
	switch x := r.Float64(); {
	case x < 0.35:
		return home[:4] + "00"
	case x < 0.55:
		return college
	case x < 0.75:
		return nanchang
	default:
		return t.jiangxiPrefectures[r.IntN(len(t.jiangxiPrefectures))]
	}
}

// workRegion picks an employed graduate's place of work so that the share
// working outside Jiangxi follows the provincial report.
func workRegion(r *rand.Rand, t *tables, home, college string) string {
	if chance(r, shareOutside/100) {
		return outsideRegion(r)
	}
	return jiangxiRegion(r, t, home, college)
}

// status draws an employment status. Recent graduates are still seeking
// more often. Over three cohorts about 88% are employed.
func status(r *rand.Rand, gradYear int) string {
	seeking := map[int]float64{2023: 0.05, 2024: 0.08, 2025: 0.11}[gradYear]
	switch x := r.Float64(); {
	case x < 0.03:
		return record.StatusStudy
	case x < 0.04:
		return record.StatusOther
	case x < 0.04+seeking:
		return record.StatusSeeking
	default:
		return record.StatusEmployed
	}
}

// sector describes the employers and jobs of one major category.
type sector struct {
	kinds []string // the business part of an employer name
	jobs  []job
}

// job is a position of a sector with the detail-level occupation of the
// national occupation classification (2022) it belongs to, and the major
// classes that train for it. Demands and programmes for the position take
// their occupation and majors from here, so a 现代物流管理 graduate meets
// logistics jobs and not a tour guide's.
type job struct {
	title      string
	occupation string
	classes    []string // four-digit major classes of the sector's category
}

var sectors = map[string]sector{
	"41": {[]string{"农业科技有限公司", "生态农业发展有限公司", "茶业有限公司"}, []job{
		{"农业技术员", "2-03-02-00", []string{"4101"}},
		{"种植技术员", "5-01-02-01", []string{"4101"}},
		{"畜牧技术员", "2-03-07-01", []string{"4103"}}}},
	"42": {[]string{"环保科技有限公司", "环境检测有限公司", "安全技术服务有限公司"}, []job{
		{"环境监测员", "4-08-06-00", []string{"4208"}},
		{"安全员", "6-31-06-00", []string{"4209"}},
		{"测绘员", "4-08-03-04", []string{"4203"}}}},
	"43": {[]string{"电力工程有限公司", "新能源科技有限公司", "新材料有限公司"}, []job{
		{"电力运维员", "6-28-01-14", []string{"4301"}},
		{"光伏电站运维员", "6-28-01-10", []string{"4303"}},
		{"材料检测员", "6-31-03-02", []string{"4304", "4305", "4306"}}}},
	"44": {[]string{"建设工程有限公司", "建筑装饰工程有限公司", "工程造价咨询有限公司"}, []job{
		{"施工员", "2-02-18-02", []string{"4403"}},
		{"造价员", "2-02-30-10", []string{"4405"}},
		{"资料员", "2-02-18-02", []string{"4405", "4403"}},
		{"测量员", "4-08-03-04", []string{"4403"}}}},
	"45": {[]string{"水利水电工程有限公司", "水务有限公司"}, []job{
		{"水利施工员", "2-02-21-03", []string{"4502"}},
		{"水质检测员", "4-08-06-00", []string{"4504"}}}},
	"46": {[]string{"精密机械有限公司", "智能装备有限公司", "自动化设备有限公司", "汽车零部件有限公司"}, []job{
		{"数控车床操作工", "6-18-01-01", []string{"4601"}},
		{"装配技术员", "6-20-01-01", []string{"4601", "4602"}},
		{"设备维护技术员", "6-31-01-10", []string{"4602", "4603"}},
		{"工业机器人操作员", "6-31-07-03", []string{"4603"}},
		{"质检员", "6-31-03-05", []string{"4601"}}}},
	"47": {[]string{"生物科技有限公司", "化工有限公司"}, []job{
		{"化工操作工", "6-11-01-02", []string{"4702"}},
		{"质检员", "6-31-03-01", []string{"4702", "4701"}},
		{"发酵工艺员", "6-12-05-02", []string{"4701"}}}},
	"48": {[]string{"服饰有限公司", "包装印刷有限公司", "陶瓷有限公司"}, []job{
		{"制版师助理", "6-05-01-01", []string{"4804"}},
		{"工艺员", "4-08-10-01", []string{"4801"}},
		{"质检员", "6-31-03-05", []string{"4804", "4802"}}}},
	"49": {[]string{"食品有限公司", "医药有限公司", "大药房连锁有限公司"}, []job{
		{"食品检验员", "4-08-05-01", []string{"4901"}},
		{"药品营业员", "4-01-05-02", []string{"4902"}},
		{"生产操作工", "6-12-03-00", []string{"4902"}}}},
	"50": {[]string{"物流有限公司", "汽车服务有限公司", "轨道交通运营服务有限公司", "航空服务有限公司"}, []job{
		{"站务员", "4-02-01-07", []string{"5006"}},
		{"调度员", "4-02-02-05", []string{"5002"}},
		{"汽车维修技师", "4-12-01-01", []string{"5002"}},
		{"乘务员", "4-02-01-02", []string{"5001", "5006"}}}},
	"51": {[]string{"电子科技有限公司", "信息技术有限公司", "网络科技有限公司", "软件有限公司"}, []job{
		{"软件测试员", "4-04-05-02", []string{"5102"}},
		{"前端开发助理", "4-04-05-01", []string{"5102"}},
		{"网络运维员", "4-04-04-01", []string{"5102", "5103"}},
		{"电子装配技术员", "6-25-04-07", []string{"5101"}},
		{"SMT工艺员", "6-25-04-07", []string{"5101", "5104"}}}},
	"52": {[]string{"医院", "口腔门诊部", "康复医疗中心", "健康管理有限公司"}, []job{
		{"护士", "2-05-08-01", []string{"5202"}},
		{"药剂员", "2-05-06-01", []string{"5203"}},
		{"检验技师助理", "2-05-07-04", []string{"5205"}},
		{"康复治疗师助理", "2-05-07-13", []string{"5206"}}}},
	"53": {[]string{"商贸有限公司", "财务咨询有限公司", "电子商务有限公司", "供应链管理有限公司"}, []job{
		{"会计助理", "2-06-03-00", []string{"5303"}},
		{"出纳", "2-06-03-00", []string{"5303"}},
		{"电商运营专员", "4-01-06-01", []string{"5307"}},
		{"仓储物流专员", "4-02-06-01", []string{"5308"}},
		{"销售代表", "4-01-02-01", []string{"5306"}}}},
	"54": {[]string{"酒店管理有限公司", "旅行社有限公司", "餐饮管理有限公司"}, []job{
		{"前台接待", "4-03-01-01", []string{"5401"}},
		{"导游", "4-07-04-01", []string{"5401"}},
		{"餐饮主管助理", "4-03-02-05", []string{"5402"}}}},
	"55": {[]string{"文化传媒有限公司", "设计有限公司", "陶瓷艺术有限公司"}, []job{
		{"平面设计师", "2-09-06-01", []string{"5501"}},
		{"室内设计助理", "4-08-08-07", []string{"5501"}},
		{"美工", "4-08-08-06", []string{"5501"}}}},
	"56": {[]string{"文化传媒有限公司", "影视制作有限公司"}, []job{
		{"视频剪辑师", "2-09-03-06", []string{"5602"}},
		{"新媒体运营", "2-10-02-05", []string{"5601", "5602"}},
		{"摄像助理", "4-13-02-09", []string{"5602"}}}},
	"57": {[]string{"幼儿园", "教育咨询有限公司", "体育文化发展有限公司"}, []job{
		{"幼儿教师", "2-08-03-00", []string{"5701"}},
		{"保育员", "4-10-01-03", []string{"5701"}},
		{"课程顾问", "4-13-04-01", []string{"5701", "5702"}},
		{"体育教练", "2-09-07-01", []string{"5703"}}}},
	"58": {[]string{"保安服务有限公司", "法律咨询服务有限公司", "安防科技有限公司"}, []job{
		{"安保专员", "4-07-05-01", []string{"5807"}},
		{"法律事务助理", "2-07-09-00", []string{"5804"}},
		{"安防技术员", "4-07-05-04", []string{"5807"}}}},
	"59": {[]string{"物业服务有限公司", "社会工作服务中心", "人力资源服务有限公司"}, []job{
		{"社工助理", "2-07-11-01", []string{"5901"}},
		{"行政文员", "3-01-02-02", []string{"5904"}},
		{"人力资源专员", "4-07-03-04", []string{"5902"}},
		{"养老护理员", "4-10-01-05", []string{"5903"}}}},
}

// Two-character trade names (字号) are made from these halves. They are
// invented: any likeness to a real company is chance.
var (
	tradeFirst  = []rune("华恒鑫宏瑞嘉博永金新天顺盛荣汇凯联晨远佳泰信创和")
	tradeSecond = []rune("达通远丰利宇创盛诚源腾辉邦航科泽润兴安拓")
)

// employersPerPlace is how many employers of one sector each place has, so
// that graduates of a region and field cluster at a few employers.
const employersPerPlace = 12

// employerName returns an invented employer in region for a graduate of
// the major category: a place prefix, a trade name and the business.
// The k-th employer of a place and sector always has the same name.
func employerName(r *rand.Rand, t *tables, regionCode, category string) string {
	trade, kind := employerParts(r, regionCode, category)
	return placePrefix(t, regionCode) + trade + kind
}

// employerParts returns the trade name and business of an employer
// employerName would return, so a caller can name a programme or class
// after the employer's trade name.
func employerParts(r *rand.Rand, regionCode, category string) (trade, kind string) {
	s := sectors[category]
	k := r.IntN(employersPerPlace)

	h := fnv.New32a()
	h.Write([]byte(regionCode + category))
	h.Write([]byte{byte(k)})
	x := int(h.Sum32())

	trade = string(tradeFirst[x%len(tradeFirst)]) + string(tradeSecond[(x/len(tradeFirst))%len(tradeSecond)])
	kind = s.kinds[(x/len(tradeFirst)/len(tradeSecond))%len(s.kinds)]
	return trade, kind
}

// placePrefix returns the place part of an employer name: the prefecture
// (深圳市) or, for a district of a municipality, the city without 市 (上海).
func placePrefix(t *tables, code string) string {
	reg := t.regions[code]
	if reg.level == "county" {
		province := t.regions[code[:2]+"0000"]
		return strings.TrimSuffix(province.name, "市")
	}
	return reg.name
}

// position returns the title of a job of the category's sector.
func position(r *rand.Rand, category string) string {
	return pickJob(r, category).title
}

// pickJob returns a job of the category's sector. It draws what position
// draws, so both keep the same random stream.
func pickJob(r *rand.Rand, category string) job {
	jobs := sectors[category].jobs
	return jobs[r.IntN(len(jobs))]
}

// jobTitled returns the job of the category's sector with the title, and
// false when the sector has none.
func jobTitled(category, title string) (job, bool) {
	for _, j := range sectors[category].jobs {
		if j.title == title {
			return j, true
		}
	}
	return job{}, false
}
