package demo

import (
	"math/rand/v2"
	"sort"
	"strconv"
	"strings"
)

// collegeProfile is one college's relative number of graduates and the
// majors it teaches. A profile depends only on the college, not on the seed,
// so a college keeps its majors across data sets.
type collegeProfile struct {
	college
	weight        float64
	majors        weighted[major]
	majorList     []major // sorted by code
	studentPrefix string  // leading digits of the college's student numbers
	seq           map[int]int
}

// fieldRule gives the majors a college of one kind teaches. core are the
// codes of the flagship majors such a college nearly always has. primary
// and secondary are prefixes of major codes: two digits name a category,
// four a class, six a single major. Most of the other majors come from
// primary, the rest from secondary.
type fieldRule struct {
	keywords           []string
	core               []string
	primary, secondary []string
}

// fieldRules are tried in order against the college name, and the first
// rule with a keyword in the name applies. Order matters where a name has two
// keywords: 江西旅游商贸 is a tourism college, 江西外语外贸 a language one.
var fieldRules = []fieldRule{
	{[]string{"幼儿师范"}, []string{"570102K"}, []string{"5701"}, []string{"5702", "5703", "5501", "5502"}},
	{[]string{"师范"}, []string{"570103K", "570102K"}, []string{"5701", "5702"}, []string{"5703", "5501", "5102"}},
	{[]string{"卫生", "医学", "健康", "中医药"}, []string{"520201", "520301", "520501", "520601"}, []string{"52"}, []string{"4902", "4901"}},
	{[]string{"交通"}, []string{"500201", "500211", "460702", "500606"}, []string{"50", "4607"}, []string{"4406", "5308"}},
	{[]string{"航空"}, []string{"500405", "500401", "500409"}, []string{"5004", "4606"}, []string{"5102", "5101"}},
	{[]string{"司法", "警官"}, []string{"580504K", "580501K", "580401"}, []string{"5804", "5805", "5806", "5807"}, []string{"5902", "5904"}},
	{[]string{"陶瓷"}, []string{"550122"}, []string{"5501", "5503"}, []string{"4801", "5307"}},
	{[]string{"艺术", "动漫", "传媒", "影视"}, []string{"550102", "550106", "510215", "560201", "560204"}, []string{"55", "56"}, []string{"5102", "5307"}},
	{[]string{"旅游"}, []string{"540101", "540106"}, []string{"54", "5306"}, []string{"5307", "5501"}},
	{[]string{"外语"}, []string{"570202", "570201"}, []string{"5702", "5305"}, []string{"54", "5307"}},
	{[]string{"财经", "经济管理", "工商", "经贸", "管理"}, []string{"530302", "530701", "530605", "530802"}, []string{"53"}, []string{"5102", "54"}},
	{[]string{"电力", "新能源"}, []string{"430108", "430101", "430301"}, []string{"4301", "4303", "4603"}, []string{"51", "4602"}},
	{[]string{"冶金"}, []string{"460104"}, []string{"4304", "4305", "4601"}, []string{"4603", "4702"}},
	{[]string{"环境"}, []string{"420801"}, []string{"4208", "4102", "4209"}, []string{"44", "4701"}},
	{[]string{"茶业"}, []string{"410107", "540109"}, []string{"4101", "4901"}, []string{"5307", "5401"}},
	{[]string{"生物", "农业"}, []string{"410303", "410202"}, []string{"41", "4701", "4901"}, []string{"53", "5102"}},
	{[]string{"建设"}, []string{"440301", "440501"}, []string{"44"}, []string{"4502", "5102"}},
	{[]string{"水利"}, []string{"450201"}, []string{"45"}, []string{"44"}},
	{[]string{"电子信息", "信息应用"}, []string{"510203", "510201", "510101", "510102"}, []string{"51"}, []string{"4603", "5307"}},
	{[]string{"工业", "机电", "制造", "工程", "理工"}, []string{"460301", "460306", "460305", "460103", "510201"}, []string{"46", "51"}, []string{"4702", "44", "53"}},
	{[]string{"青年"}, []string{"590104"}, []string{"5901", "5903", "5904", "53"}, []string{"51"}},
}

// unlikelyMajors are name fragments of majors no Jiangxi college teaches:
// ethnic medicine of other regions, and sea, snow, oil and missile trades.
var unlikelyMajors = []string{
	"藏医", "藏药", "蒙医", "蒙药", "维医", "维药", "哈医", "朝医", "傣医", "壮医",
	"冰雪", "游艇", "邮轮", "船舶", "海洋", "港口", "石油", "航天", "导弹",
}

// defaultRule is for general colleges (职业技术学院, 职业大学 and the like).
var defaultRule = fieldRule{nil, []string{"460301", "510201", "530302"}, []string{"46", "51", "53"}, []string{"52", "44", "55", "5701"}}

// largeColleges are big public colleges that get about twice the graduates
// of an ordinary one.
var largeColleges = []string{
	"江西工业职业技术学院", "九江职业大学", "江西应用技术职业学院", "江西交通职业技术学院",
	"江西财经职业学院", "江西现代职业技术学院", "江西机电职业技术学院", "江西科技职业学院",
	"江西工程职业学院", "江西信息应用职业技术学院", "江西电力职业技术学院", "江西卫生职业学院",
}

// smallFields are specialised colleges with small intakes.
var smallFields = []string{"幼儿师范", "司法", "茶业", "艺术", "和君"}

func ruleFor(name string) fieldRule {
	for _, rule := range fieldRules {
		for _, k := range rule.keywords {
			if strings.Contains(name, k) {
				return rule
			}
		}
	}
	return defaultRule
}

func buildProfiles(t *tables) []*collegeProfile {
	profiles := make([]*collegeProfile, 0, len(t.colleges))
	for _, c := range t.colleges {
		profiles = append(profiles, buildProfile(t, c))
	}
	return profiles
}

func buildProfile(t *tables, c college) *collegeProfile {
	code, _ := strconv.ParseUint(c.code, 10, 64)
	r := rand.New(rand.NewPCG(code, 0x636f6c6c65676521))

	weight := 0.6
	if c.ownership == "公办" {
		weight = 1.0
	}
	for _, name := range largeColleges {
		if c.name == name {
			weight *= 2.2
		}
	}
	for _, k := range smallFields {
		if strings.Contains(c.name, k) {
			weight *= 0.5
		}
	}
	weight *= 0.7 + 0.6*r.Float64()

	// Bigger colleges teach more majors: 6 for the smallest, up to 15.
	n := min(max(int(4+weight*4)+r.IntN(3), 6), 15)
	chosen := chooseMajors(t, r, ruleFor(c.name), n)
	weights := make([]float64, len(chosen))
	for i := range weights {
		weights[i] = 0.4 + 1.6*r.Float64()
	}

	return &collegeProfile{
		college:       c,
		weight:        weight,
		majors:        newWeighted(chosen, weights),
		majorList:     chosen,
		studentPrefix: c.code[len(c.code)-5:],
		seq:           map[int]int{},
	}
}

// chooseMajors picks n distinct majors: the rule's core majors, then
// primary ones up to about 70% of n, then secondary ones. It returns them
// sorted by code.
func chooseMajors(t *tables, r *rand.Rand, rule fieldRule, n int) []major {
	primary := majorsUnder(t, rule.primary)
	secondary := majorsUnder(t, rule.secondary)
	r.Shuffle(len(primary), func(i, j int) { primary[i], primary[j] = primary[j], primary[i] })
	r.Shuffle(len(secondary), func(i, j int) { secondary[i], secondary[j] = secondary[j], secondary[i] })

	var chosen []major
	seen := map[string]bool{}
	add := func(pool []major, upTo int) {
		for _, m := range pool {
			if len(chosen) >= upTo {
				return
			}
			if !seen[m.code] {
				seen[m.code] = true
				chosen = append(chosen, m)
			}
		}
	}
	add(majorsUnder(t, rule.core), n)
	add(primary, (n*7+9)/10)
	add(secondary, n)
	add(primary, n)
	sort.Slice(chosen, func(i, j int) bool { return chosen[i].code < chosen[j].code })
	return chosen
}

// majorsUnder returns the majors whose code starts with one of the
// prefixes, in file order, leaving out unlikelyMajors.
func majorsUnder(t *tables, prefixes []string) []major {
	var out []major
	for _, m := range t.majors {
		if unlikely(m.name) {
			continue
		}
		for _, p := range prefixes {
			if strings.HasPrefix(m.code, p) {
				out = append(out, m)
				break
			}
		}
	}
	return out
}

func unlikely(name string) bool {
	for _, k := range unlikelyMajors {
		if strings.Contains(name, k) {
			return true
		}
	}
	return false
}

// nextStudentNo returns the next student number of a graduation year: the
// college prefix, the year and a four-digit sequence.
func (p *collegeProfile) nextStudentNo(year int) string {
	p.seq[year]++
	return p.studentPrefix + strconv.Itoa(year) + pad4(p.seq[year])
}

func pad4(n int) string {
	s := strconv.Itoa(n)
	for len(s) < 4 {
		s = "0" + s
	}
	return s
}
