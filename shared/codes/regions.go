package codes

import (
	"strings"
	"unicode/utf8"
)

// Region levels of regions.csv.
const (
	LevelProvince   = "province"
	LevelPrefecture = "prefecture"
	LevelCounty     = "county"
)

// placeholderRegions are prefecture-level rows that group counties without
// being a place: a municipality's districts (市辖区) or counties (县), and
// counties governed directly by a province. Full names leave them out.
var placeholderRegions = map[string]bool{
	"市辖区":         true,
	"县":           true,
	"省直辖县级行政区划":   true,
	"自治区直辖县级行政区划": true,
}

// RegionName returns the full name of a region for display, from the
// province down, such as 江西省九江市修水县 or 北京市东城区. It returns ""
// for an unknown code.
func (t *Tables) RegionName(code string) string {
	e, ok := t.Regions.ByCode(code)
	if !ok {
		return ""
	}
	var parts []string
	// Regions are at most three levels deep; the bound guards against a
	// parent cycle in a damaged file.
	for range 4 {
		if !placeholderRegions[e.Name] {
			parts = append(parts, e.Name)
		}
		if e.Parent == "" {
			break
		}
		if e, ok = t.Regions.ByCode(e.Parent); !ok {
			break
		}
	}
	var b strings.Builder
	for i := len(parts) - 1; i >= 0; i-- {
		b.WriteString(parts[i])
	}
	return b.String()
}

// Province returns the province a region belongs to; for a province it
// returns the province itself.
func (t *Tables) Province(code string) (Entry, bool) {
	province, ok := t.regionProvince[strings.TrimSpace(code)]
	if !ok {
		return Entry{}, false
	}
	return t.Regions.ByCode(province)
}

// LookupRegion returns the regions a name as people write it refers to. It
// tries, in order, and stops at the first step that finds something:
//
//  1. the exact name, such as 九江市 or 西湖区 (two counties have that name);
//  2. the full name RegionName returns, such as 江西省南昌市西湖区;
//  3. a chain of names from any level down, each with or without its suffix
//     (省, 市, 县, 区, 自治区 …), such as 江西九江, 九江修水县 or 南昌. When
//     this step finds regions at several levels it keeps the highest, so
//     南昌 is 南昌市 and not 南昌县.
//
// More than one result means the name is ambiguous; none means unknown.
func (t *Tables) LookupRegion(name string) []Entry {
	name = strings.TrimSpace(name)
	if name == "" {
		return nil
	}
	if found := t.Regions.ByName(name); len(found) > 0 {
		return found
	}
	if found := t.Regions.pick(t.regionIndex.fullName[name]); len(found) > 0 {
		return found
	}
	return t.regionIndex.parseChain(name)
}

// regionIndex supports LookupRegion.
type regionIndex struct {
	regions  *Table
	fullName map[string][]int // RegionName → entry indexes
	short    []string         // entry index → name without its suffix, or ""
}

func newRegionIndex(t *Tables) *regionIndex {
	idx := &regionIndex{
		regions:  t.Regions,
		fullName: make(map[string][]int, t.Regions.Len()),
		short:    make([]string, t.Regions.Len()),
	}
	for i, e := range t.Regions.entries {
		full := t.RegionName(e.Code)
		idx.fullName[full] = append(idx.fullName[full], i)
		idx.short[i] = shortRegionName(e.Name)
	}
	return idx
}

// regionSuffixes are the endings a short name leaves out, longest first so
// that 地区 goes before 区.
var regionSuffixes = []string{
	"特别行政区", "维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "地区", "省", "市", "县", "区",
}

// shortRegionName returns name without its administrative suffix, or "" when
// it has none or the rest would be a single character (城区, 郊区).
func shortRegionName(name string) string {
	for _, suffix := range regionSuffixes {
		rest, ok := strings.CutSuffix(name, suffix)
		if ok && utf8.RuneCountInString(rest) >= 2 {
			return rest
		}
	}
	return ""
}

// parseChain matches s as a chain of region names, each one below the one
// before it, and returns the regions the last name refers to, keeping only
// those of the highest level found.
func (idx *regionIndex) parseChain(s string) []Entry {
	var found []int
	for i := range idx.regions.entries {
		found = append(found, idx.matchFrom(i, s)...)
	}
	return idx.regions.pick(highestLevel(idx.regions, dedupe(found)))
}

// matchFrom returns the regions s names if it starts with the name (or short
// name) of entry i and the rest, if any, names one of its descendants.
func (idx *regionIndex) matchFrom(i int, s string) []int {
	e := idx.regions.entries[i]
	if placeholderRegions[e.Name] {
		return nil
	}
	var found []int
	for _, name := range []string{e.Name, idx.short[i]} {
		rest, ok := strings.CutPrefix(s, name)
		if name == "" || !ok {
			continue
		}
		if rest == "" {
			found = append(found, i)
			continue
		}
		for _, d := range idx.descendants(e.Code) {
			found = append(found, idx.matchFrom(d, rest)...)
		}
	}
	return found
}

func (idx *regionIndex) descendants(code string) []int {
	var out []int
	for _, c := range idx.regions.children[code] {
		out = append(out, c)
		out = append(out, idx.descendants(idx.regions.entries[c].Code)...)
	}
	return out
}

func highestLevel(t *Table, indexes []int) []int {
	rank := map[string]int{LevelProvince: 0, LevelPrefecture: 1, LevelCounty: 2}
	best := len(rank)
	for _, i := range indexes {
		best = min(best, rank[t.entries[i].Level])
	}
	var out []int
	for _, i := range indexes {
		if rank[t.entries[i].Level] == best {
			out = append(out, i)
		}
	}
	return out
}

func dedupe(indexes []int) []int {
	seen := map[int]bool{}
	var out []int
	for _, i := range indexes {
		if !seen[i] {
			seen[i] = true
			out = append(out, i)
		}
	}
	return out
}
