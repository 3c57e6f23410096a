// Package codes loads the code tables the product ships under assets/data.
// They are GB/T 2260 regions, GB/T 4754-2017 industries, the 2022 occupation
// classification, the higher-vocational major catalogue, the employer nature
// codes of graduate employment statistics and the Ministry of Education list
// of Jiangxi colleges. The tables are parsed once and are read-only after.
package codes

import (
	"strings"
)

// Entry is one row of a code table.
type Entry struct {
	Code   string
	Name   string
	Level  string // e.g. province, prefecture, county; section, division; major
	Parent string // code of the entry one level up; empty at the top level
}

// Table is a code table with lookups by code, name and parent. It is
// immutable once built, so it is safe for concurrent use.
type Table struct {
	entries  []Entry
	byCode   map[string]int
	byName   map[string][]int
	children map[string][]int
}

func newTable(entries []Entry) *Table {
	t := &Table{
		entries:  entries,
		byCode:   make(map[string]int, len(entries)),
		byName:   make(map[string][]int, len(entries)),
		children: map[string][]int{},
	}
	for i, e := range entries {
		t.byCode[e.Code] = i
		t.byName[e.Name] = append(t.byName[e.Name], i)
		if e.Parent != "" {
			t.children[e.Parent] = append(t.children[e.Parent], i)
		}
	}
	return t
}

// ByCode returns the entry with the code. Letters in codes (industry
// sections, majors ending in K) match in either case.
func (t *Table) ByCode(code string) (Entry, bool) {
	i, ok := t.byCode[strings.ToUpper(strings.TrimSpace(code))]
	if !ok {
		return Entry{}, false
	}
	return t.entries[i], true
}

// ByName returns the entries whose name is exactly name, in file order. A
// name may belong to several entries, such as 市辖区 in the region table.
func (t *Table) ByName(name string) []Entry {
	return t.pick(t.byName[strings.TrimSpace(name)])
}

// All returns every entry in file order. The slice is a copy.
func (t *Table) All() []Entry {
	return append([]Entry(nil), t.entries...)
}

// Len returns the number of entries.
func (t *Table) Len() int { return len(t.entries) }

// Children returns the entries one level below code, in file order.
func (t *Table) Children(code string) []Entry {
	return t.pick(t.children[strings.ToUpper(strings.TrimSpace(code))])
}

// Search returns up to limit entries for a picker: those whose code starts
// with query or whose name contains it. Exact code or name matches come
// first, then code prefixes, then names starting with query, then other
// names containing it, each group in file order. An empty query returns
// nothing, and a limit of zero or less means no limit.
func (t *Table) Search(query string, limit int) []Entry {
	query = strings.TrimSpace(query)
	if query == "" {
		return nil
	}
	upper := strings.ToUpper(query)

	const (
		exact = iota
		codePrefix
		namePrefix
		nameContains
		groups
	)
	var ranked [groups][]int
	for i, e := range t.entries {
		switch {
		case e.Code == upper || e.Name == query:
			ranked[exact] = append(ranked[exact], i)
		case strings.HasPrefix(e.Code, upper):
			ranked[codePrefix] = append(ranked[codePrefix], i)
		case strings.HasPrefix(e.Name, query):
			ranked[namePrefix] = append(ranked[namePrefix], i)
		case strings.Contains(e.Name, query):
			ranked[nameContains] = append(ranked[nameContains], i)
		}
	}

	var found []Entry
	for _, group := range ranked {
		for _, i := range group {
			if limit > 0 && len(found) == limit {
				return found
			}
			found = append(found, t.entries[i])
		}
	}
	return found
}

func (t *Table) pick(indexes []int) []Entry {
	if len(indexes) == 0 {
		return nil
	}
	out := make([]Entry, len(indexes))
	for i, idx := range indexes {
		out[i] = t.entries[idx]
	}
	return out
}
