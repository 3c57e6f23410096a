package demo

import (
	"io/fs"
	"sync"

	"mobilefactory/assets"
	"mobilefactory/shared/codes"
)

// The generator reads the code tables straight from assets.Data.
// TODO: read them through package codes instead of parsing the CSVs here.

type college struct {
	code      string
	name      string
	cityCode  string // prefecture code of the city the college is in
	ownership string // 公办 or 民办
}

type major struct {
	code     string
	name     string
	class    string // first four digits of the code
	category string // first two digits of the code
}

type region struct {
	code   string
	name   string
	level  string // province, prefecture or county
	parent string
}

type tables struct {
	colleges []college // the higher-vocational (高职专科) colleges, in file order
	majors   []major   // in file order
	// majorsByCategory maps a category code to its majors, in file order.
	majorsByCategory map[string][]major
	regions          map[string]region
	// jiangxiCounties maps a Jiangxi prefecture code to its county codes,
	// leaving out the statistical zones that are no administrative division.
	jiangxiCounties    map[string][]string
	jiangxiPrefectures []string
	allJiangxiCounties []string
	// industryClasses maps a GB/T 4754-2017 division (two digits) to its
	// class codes (four digits), in file order.
	industryClasses map[string][]string
	// occupations maps a middle group of the occupation classification
	// (such as 6-18) to its detail-level occupations, in file order.
	occupations map[string][]occupation
}

type occupation struct {
	code string // such as 6-18-01-01
	name string
}

const higherVocational = "高职专科"

var (
	tablesOnce   sync.Once
	loadedTables *tables
)

// loadTables parses the embedded tables once. The data is compiled in and
// the tests read all of it, so a parse failure is a bug, not an input error.
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
	t := &tables{regions: map[string]region{}, jiangxiCounties: map[string][]string{},
		industryClasses: map[string][]string{}, occupations: map[string][]occupation{},
		majorsByCategory: map[string][]major{}}

	rows, err := codes.ReadCSV(fsys, "data/jiangxi_colleges.csv")
	if err != nil {
		return nil, err
	}
	for _, r := range rows {
		if r["type"] != higherVocational {
			continue
		}
		t.colleges = append(t.colleges, college{
			code: r["school_code"], name: r["name"], cityCode: r["city_code"], ownership: r["ownership"],
		})
	}

	rows, err = codes.ReadCSV(fsys, "data/majors.csv")
	if err != nil {
		return nil, err
	}
	for _, r := range rows {
		m := major{code: r["code"], name: r["name"], class: r["class_code"], category: r["category_code"]}
		t.majors = append(t.majors, m)
		t.majorsByCategory[m.category] = append(t.majorsByCategory[m.category], m)
	}

	rows, err = codes.ReadCSV(fsys, "data/regions.csv")
	if err != nil {
		return nil, err
	}
	for _, r := range rows {
		reg := region{code: r["code"], name: r["name"], level: r["level"], parent: r["parent_code"]}
		t.regions[reg.code] = reg
		if r["province_code"] != "360000" {
			continue
		}
		switch {
		case reg.level == "prefecture":
			t.jiangxiPrefectures = append(t.jiangxiPrefectures, reg.code)
		case reg.level == "county" && r["note"] != "stat_only":
			t.jiangxiCounties[reg.parent] = append(t.jiangxiCounties[reg.parent], reg.code)
			t.allJiangxiCounties = append(t.allJiangxiCounties, reg.code)
		}
	}

	rows, err = codes.ReadCSV(fsys, "data/industries.csv")
	if err != nil {
		return nil, err
	}
	for _, r := range rows {
		if code := r["code"]; r["level"] == "class" {
			t.industryClasses[code[:2]] = append(t.industryClasses[code[:2]], code)
		}
	}

	rows, err = codes.ReadCSV(fsys, "data/occupations.csv")
	if err != nil {
		return nil, err
	}
	for _, r := range rows {
		// A detail code is major-middle-minor-detail, such as 6-18-01-01.
		if code := r["code"]; r["level"] == "detail" && len(code) > 4 {
			group := code[:4]
			t.occupations[group] = append(t.occupations[group], occupation{code: code, name: r["name"]})
		}
	}
	return t, nil
}
