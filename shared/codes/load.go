package codes

import (
	"encoding/csv"
	"fmt"
	"io/fs"
	"path"
	"sync"

	"mobilefactory/assets"
)

// Tables is the set of code tables the product ships.
type Tables struct {
	Regions         *Table // level province, prefecture or county
	Industries      *Table // level section, division, group or class
	Occupations     *Table // level major, middle, minor or detail
	Majors          *Table // level major; Parent is the class code
	MajorClasses    *Table // level class; Parent is the category code
	MajorCategories *Table // level category
	EmployerNature  *Table // no levels
	Colleges        []College

	regionProvince map[string]string // region code → its province code
	occupationGBM  map[string]string // GBM code → dashed occupation code
	regionIndex    *regionIndex
	college        map[string]int // college code → index in Colleges
	collegeName    map[string]int // current name → index in Colleges
	formerName     map[string]int // former name → index in Colleges
}

var (
	loadOnce sync.Once
	loaded   *Tables
	loadErr  error
)

// Load parses the embedded code tables. The first call parses them and
// later calls return the same tables, so it is cheap to call again.
func Load() (*Tables, error) {
	loadOnce.Do(func() { loaded, loadErr = parse(assets.Data) })
	return loaded, loadErr
}

// MustLoad is Load for callers that cannot go on without the tables. It
// panics if the embedded data is broken, which the tests rule out.
func MustLoad() *Tables {
	t, err := Load()
	if err != nil {
		panic("bug: embedded code tables are broken: " + err.Error())
	}
	return t
}

func parse(fsys fs.FS) (*Tables, error) {
	t := &Tables{}
	steps := []struct {
		file string
		read func([]map[string]string) error
	}{
		{"regions.csv", t.readRegions},
		{"industries.csv", func(rows []map[string]string) error {
			t.Industries = newTable(entries(rows, "code", "name", "level", "parent_code"))
			return nil
		}},
		{"occupations.csv", func(rows []map[string]string) error {
			t.Occupations = newTable(entries(rows, "code", "name", "level", "parent_code"))
			t.occupationGBM = gbmIndex(rows)
			return nil
		}},
		{"majors.csv", t.readMajors},
		{"employer_nature.csv", t.readEmployerNature},
		{"jiangxi_colleges.csv", t.readColleges},
		{"former_college_names.csv", t.readFormerCollegeNames},
	}
	for _, step := range steps {
		rows, err := ReadCSV(fsys, path.Join("data", step.file))
		if err != nil {
			return nil, err
		}
		if err := step.read(rows); err != nil {
			return nil, fmt.Errorf("reading %s: %w", step.file, err)
		}
	}
	return t, nil
}

// ReadCSV returns the rows of a CSV file in fsys as maps keyed by the
// header names. Short rows leave the missing columns empty.
func ReadCSV(fsys fs.FS, file string) ([]map[string]string, error) {
	f, err := fsys.Open(file)
	if err != nil {
		return nil, fmt.Errorf("opening %s: %w", file, err)
	}
	defer f.Close()

	records, err := csv.NewReader(f).ReadAll()
	if err != nil {
		return nil, fmt.Errorf("parsing %s: %w", file, err)
	}
	if len(records) == 0 {
		return nil, fmt.Errorf("parsing %s: no header row", file)
	}
	header := records[0]
	rows := make([]map[string]string, 0, len(records)-1)
	for _, rec := range records[1:] {
		row := make(map[string]string, len(header))
		for i, name := range header {
			if i < len(rec) {
				row[name] = rec[i]
			}
		}
		rows = append(rows, row)
	}
	return rows, nil
}

func entries(rows []map[string]string, code, name, level, parent string) []Entry {
	out := make([]Entry, len(rows))
	for i, row := range rows {
		out[i] = Entry{Code: row[code], Name: row[name], Level: row[level], Parent: row[parent]}
	}
	return out
}

func (t *Tables) readRegions(rows []map[string]string) error {
	t.Regions = newTable(entries(rows, "code", "name", "level", "parent_code"))
	t.regionProvince = make(map[string]string, len(rows))
	for _, row := range rows {
		t.regionProvince[row["code"]] = row["province_code"]
	}
	for _, row := range rows {
		if _, ok := t.Regions.ByCode(row["province_code"]); !ok {
			return fmt.Errorf("region %s: province %s not found", row["code"], row["province_code"])
		}
	}
	t.regionIndex = newRegionIndex(t)
	return nil
}

func (t *Tables) readMajors(rows []map[string]string) error {
	var majors, classes, categories []Entry
	seenClass := map[string]bool{}
	seenCategory := map[string]bool{}
	for _, row := range rows {
		majors = append(majors, Entry{
			Code: row["code"], Name: row["name"], Level: "major", Parent: row["class_code"],
		})
		if !seenClass[row["class_code"]] {
			seenClass[row["class_code"]] = true
			classes = append(classes, Entry{
				Code: row["class_code"], Name: row["class_name"], Level: "class", Parent: row["category_code"],
			})
		}
		if !seenCategory[row["category_code"]] {
			seenCategory[row["category_code"]] = true
			categories = append(categories, Entry{
				Code: row["category_code"], Name: row["category_name"], Level: "category",
			})
		}
	}
	t.Majors = newTable(majors)
	t.MajorClasses = newTable(classes)
	t.MajorCategories = newTable(categories)
	return nil
}

func (t *Tables) readEmployerNature(rows []map[string]string) error {
	var out []Entry
	for _, row := range rows {
		// Code 33 appears only in the newer standard, so it has no name in
		// the older column.
		name := row["name"]
		if name == "" {
			name = row["name_variant_newer"]
		}
		out = append(out, Entry{Code: row["code"], Name: name})
	}
	t.EmployerNature = newTable(out)
	return nil
}
