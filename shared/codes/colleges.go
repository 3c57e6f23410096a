package codes

import (
	"fmt"
	"strings"
)

// College is one institution of the Ministry of Education list.
type College struct {
	Code     string // 10-digit institution code (学校标识码)
	Name     string
	City     string // prefecture name, e.g. 九江市
	CityCode string // GB/T 2260 code of the prefecture
	Type     string // 高职专科 or 职业本科
}

// College types of the Ministry list.
const (
	CollegeVocational           = "高职专科"
	CollegeVocationalUniversity = "职业本科"
)

// College returns the college with the institution code.
func (t *Tables) College(code string) (College, bool) {
	i, ok := t.college[strings.TrimSpace(code)]
	if !ok {
		return College{}, false
	}
	return t.Colleges[i], true
}

// CollegeByName returns the college with the exact current name or a former
// name listed in former_college_names.csv, so that an import naming
// 九江职业技术学院 finds 江西职业技术大学.
func (t *Tables) CollegeByName(name string) (College, bool) {
	name = strings.TrimSpace(name)
	if i, ok := t.collegeName[name]; ok {
		return t.Colleges[i], true
	}
	if i, ok := t.formerName[name]; ok {
		return t.Colleges[i], true
	}
	return College{}, false
}

// JiangxiColleges returns the Jiangxi higher-vocational colleges and
// vocational universities in file order. The slice is a copy.
func (t *Tables) JiangxiColleges() []College {
	var out []College
	for _, c := range t.Colleges {
		if strings.HasPrefix(c.CityCode, "36") {
			out = append(out, c)
		}
	}
	return out
}

func (t *Tables) readColleges(rows []map[string]string) error {
	t.college = make(map[string]int, len(rows))
	t.collegeName = make(map[string]int, len(rows))
	for _, row := range rows {
		c := College{
			Code:     row["school_code"],
			Name:     row["name"],
			City:     row["city"],
			CityCode: row["city_code"],
			Type:     row["type"],
		}
		if _, dup := t.college[c.Code]; dup {
			return fmt.Errorf("college code %s appears twice", c.Code)
		}
		if city, ok := t.Regions.ByCode(c.CityCode); !ok || city.Name != c.City {
			return fmt.Errorf("college %s: city %s %s not in regions.csv", c.Code, c.CityCode, c.City)
		}
		t.college[c.Code] = len(t.Colleges)
		t.collegeName[c.Name] = len(t.Colleges)
		t.Colleges = append(t.Colleges, c)
	}
	return nil
}

func (t *Tables) readFormerCollegeNames(rows []map[string]string) error {
	t.formerName = make(map[string]int, len(rows))
	for _, row := range rows {
		i, ok := t.college[row["code"]]
		if !ok {
			return fmt.Errorf("former name %s: college %s not found", row["former_name"], row["code"])
		}
		if got := t.Colleges[i].Name; got != row["current_name"] {
			return fmt.Errorf("former name %s: college %s is named %s, not %s",
				row["former_name"], row["code"], got, row["current_name"])
		}
		if _, current := t.collegeName[row["former_name"]]; current {
			return fmt.Errorf("former name %s is the current name of another college", row["former_name"])
		}
		t.formerName[row["former_name"]] = i
	}
	return nil
}
