package match

import (
	"io/fs"
	"strings"
	"sync"

	"mobilefactory/assets"
	"mobilefactory/shared/codes"
)

// Ranking reads the major and region tables straight from assets.Data.
// TODO: read them through package codes instead of parsing the CSVs here.

type majorInfo struct {
	name         string
	class        string
	className    string
	category     string
	categoryName string
}

type regionInfo struct {
	name  string
	level string // province, prefecture or county
}

type tables struct {
	majors     map[string]majorInfo
	classNames map[string]string
	catNames   map[string]string
	// classStems maps a major class code to the stems of its major names,
	// which a job-tailored programme about that class names.
	classStems map[string][]string
	regions    map[string]regionInfo
}

var (
	tablesOnce   sync.Once
	loadedTables *tables
)

// loadTables parses the embedded tables once. The data is compiled in and
// the tests read it, so a parse failure is a bug, not an input error.
func loadTables() *tables {
	tablesOnce.Do(func() {
		t, err := parseTables(assets.Data)
		if err != nil {
			panic("bug: embedded code tables are broken: " + err.Error())
		}
		loadedTables = t
	})
	return loadedTables
}

func parseTables(fsys fs.FS) (*tables, error) {
	t := &tables{
		majors:     map[string]majorInfo{},
		classNames: map[string]string{},
		catNames:   map[string]string{},
		classStems: map[string][]string{},
		regions:    map[string]regionInfo{},
	}

	rows, err := codes.ReadCSV(fsys, "data/majors.csv")
	if err != nil {
		return nil, err
	}
	for _, r := range rows {
		m := majorInfo{
			name: r["name"], class: r["class_code"], className: r["class_name"],
			category: r["category_code"], categoryName: r["category_name"],
		}
		t.majors[r["code"]] = m
		t.classNames[m.class] = m.className
		t.catNames[m.category] = m.categoryName
		t.classStems[m.class] = append(t.classStems[m.class], stem(m.name))
	}

	rows, err = codes.ReadCSV(fsys, "data/regions.csv")
	if err != nil {
		return nil, err
	}
	for _, r := range rows {
		t.regions[r["code"]] = regionInfo{name: r["name"], level: r["level"]}
	}
	return t, nil
}

// stem returns a major name without a trailing 技术, so that a programme
// called 工业机器人运维岗位定制班 is found for the major 工业机器人技术.
func stem(name string) string {
	s := strings.TrimSuffix(name, "技术")
	if len([]rune(s)) < 2 {
		return name
	}
	return s
}

// majorName returns the name of a major, or its code if the table lacks it.
func (t *tables) majorName(code string) string {
	if m, ok := t.majors[code]; ok {
		return m.name
	}
	return code
}

func (t *tables) className(class string) string {
	if n, ok := t.classNames[class]; ok {
		return n
	}
	return class
}

func (t *tables) categoryName(category string) string {
	if n, ok := t.catNames[category]; ok {
		return n
	}
	return category
}

// regionName returns a readable name of a region code: the prefecture and
// county part (九江市修水县), led by the province name when withProvince is
// set (广东省深圳市). The placeholder prefectures of the municipalities
// (市辖区, 县) are left out, so 310115 reads 上海市浦东新区.
func (t *tables) regionName(code string, withProvince bool) string {
	if len(code) != 6 {
		return code
	}
	reg, ok := t.regions[code]
	if !ok {
		return code
	}
	province := t.regions[code[:2]+"0000"].name
	if reg.level == "province" {
		return reg.name
	}

	var b strings.Builder
	prefecture := t.regions[code[:4]+"00"]
	placeholder := prefecture.name == "市辖区" || prefecture.name == "县"
	if withProvince || placeholder {
		b.WriteString(province)
	}
	if !placeholder {
		b.WriteString(prefecture.name)
	}
	if reg.level == "county" {
		b.WriteString(reg.name)
	}
	return b.String()
}

// regionLevel returns the level of a region code from the table, or from
// the code's trailing zeros when the table lacks it.
func (t *tables) regionLevel(code string) string {
	if reg, ok := t.regions[code]; ok {
		return reg.level
	}
	switch {
	case strings.HasSuffix(code, "0000"):
		return "province"
	case strings.HasSuffix(code, "00"):
		return "prefecture"
	}
	return "county"
}
