package pool

import (
	"bytes"
	"hash/maphash"
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/mozillazg/go-pinyin"
	"github.com/oklog/ulid/v2"

	"mobilefactory/shared/record"
	"mobilefactory/shared/validate"
)

// Rules that list two person records as likely duplicates. Each needs the
// names to be near (equal, one character apart, or the same pinyin), and
// none lists two records whose birth dates are both known and differ, or
// whose ID numbers are both present and more than one typo apart.
const (
	// RulePhone: the same mobile number.
	RulePhone = "phone"
	// RuleIDTypo: ID numbers one typo apart (one character changed, or two
	// neighbours swapped), as when one was typed with a wrong digit.
	RuleIDTypo = "id_typo"
	// RuleBirthCollege: the same birth date and the same college.
	RuleBirthCollege = "birth_college"
	// RuleStudentNo: the same college and student number, as when one
	// list was imported on two PCs.
	RuleStudentNo = "student_no"
)

// Duplicate is a pair of person records that are likely one person.
type Duplicate struct {
	Rule string // one of the Rule constants
	A, B DuplicateRecord
}

// DuplicateRecord is one side of a Duplicate, in plain text: callers mask
// the ID number and phone before showing them.
type DuplicateRecord struct {
	Person    ulid.ULID
	Scope     string
	Name      string
	IDNumber  string
	Phone     string
	BirthDate string // ISO 8601, from the ID number; empty when it has none
	StudentNo string
}

// maxBlock bounds the records compared within one blocking key. A larger
// block (a key thousands of records share, such as a one-character name)
// is skipped rather than compared pair by pair.
const maxBlock = 2000

// Duplicates lists likely duplicates among the live person records, at
// most limit (all when limit ≤ 0), ordered by rule and then by ULID. Pairs
// already in one entry, and pairs a live decision keeps apart, are left
// out.
//
// It never compares all pairs: each record gets blocking keys (its phone,
// its birth date with each one-character wildcard of its name and with its
// name's pinyin, and its college with its student number) and only records
// sharing a key are compared.
//
// It reads only the fields the rules need, opening the name, ID number
// and phone of each record but not its address.
func (p *Pool) Duplicates(limit int) ([]Duplicate, error) {
	m, decisions, err := p.members()
	if err != nil {
		return nil, err
	}
	var recs []dedupRecord
	err = p.scanPersons(dedupRead, dedupOpened, func(row *personRow) error {
		recs = append(recs, newDedupRecord(row.id, row.scope, dedupFields{
			name: row.value(record.FieldName), idNumber: row.value(record.FieldIDNumber),
			phone: row.value(record.FieldPhone), studentNo: row.value(record.FieldStudentNo)}))
		return nil
	})
	if err != nil {
		return nil, err
	}
	apart := apartPairs(decisions)
	skip := func(a, b ulid.ULID) bool { return m.joined(a, b) || apart[pairKey(a, b)] }
	return findDuplicates(recs, skip, limit), nil
}

// apartPairs returns every pair of persons a live DecisionApart names.
func apartPairs(decisions []record.Merge) map[[32]byte]bool {
	out := map[[32]byte]bool{}
	for _, d := range decisions {
		if d.Decision != record.DecisionApart {
			continue
		}
		ids := parseULIDs(d.Persons)
		for i := range ids {
			for j := i + 1; j < len(ids); j++ {
				out[pairKey(ids[i], ids[j])] = true
			}
		}
	}
	return out
}

func pairKey(a, b ulid.ULID) [32]byte {
	if bytes.Compare(a[:], b[:]) > 0 {
		a, b = b, a
	}
	var k [32]byte
	copy(k[:16], a[:])
	copy(k[16:], b[:])
	return k
}

// dedupRecord is the part of one person record the rules compare.
type dedupRecord struct {
	rec     DuplicateRecord
	name    []rune // folded name
	pinyin  string
	idValid bool   // the ID number passes the GB 11643 check
	college string // the scope when it is a college code
}

// dedupRead are the fields Duplicates reads, and dedupOpened the personal
// ones among them.
var (
	dedupRead   = []string{record.FieldName, record.FieldIDNumber, record.FieldPhone, record.FieldStudentNo}
	dedupOpened = []string{record.FieldName, record.FieldIDNumber, record.FieldPhone}
)

// dedupFields are the stored values of one person record the rules read.
type dedupFields struct {
	name, idNumber, phone, studentNo string
}

// newDedupRecord reads a person's stored values.
func newDedupRecord(id ulid.ULID, scope string, f dedupFields) dedupRecord {
	idNumber := NormaliseIDNumber(f.idNumber)
	r := dedupRecord{
		rec: DuplicateRecord{Person: id, Scope: scope, Name: f.name, IDNumber: idNumber,
			Phone: strings.TrimSpace(f.phone), BirthDate: BirthDate(idNumber),
			StudentNo: strings.TrimSpace(f.studentNo)},
		name: []rune(foldName(f.name)),
	}
	if idNumber != "" {
		_, err := validate.IDNumber(idNumber)
		r.idValid = err == nil
	}
	if isCollegeScope(scope) {
		r.college = scope
	}
	return r
}

// BirthDate returns the birth date in a resident ID number's characters 7
// to 14 as an ISO 8601 date, or "" when they are no valid date after 1900.
// It does not check the check character, so a number with a typo elsewhere
// still gives its date.
func BirthDate(idNumber string) string {
	if len(idNumber) != 18 {
		return ""
	}
	digits := idNumber[6:14]
	day, err := time.Parse("20060102", digits)
	if err != nil || day.Year() < 1900 {
		return ""
	}
	return day.Format(time.DateOnly)
}

// foldName drops spaces and maps the middle-dot variants of minority names
// to U+00B7, so typing differences do not count as a changed character.
func foldName(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case unicode.IsSpace(r):
			return -1
		case r == '\u2022' || r == '\u30fb' || r == '\u2027' || r == '\uff65' || r == '\u2219' || r == '\u22c5' || r == '\uff0e':
			return '\u00b7'
		}
		return unicode.ToLower(r)
	}, s)
}

var pinyinArgs = func() pinyin.Args {
	a := pinyin.NewArgs()
	a.Style = pinyin.Normal
	return a
}()

// namePinyin returns a name's toneless pinyin, or "" when a character has
// none, so names of Latin letters get no pinyin key.
func namePinyin(name []rune) string {
	syllables := pinyin.LazyPinyin(string(name), pinyinArgs)
	if len(syllables) != len(name) {
		return ""
	}
	return strings.Join(syllables, " ")
}

// blockEntry is one blocking key of one record.
type blockEntry struct {
	key uint64
	rec int32
}

// findDuplicates lists the likely duplicates among recs, leaving out the
// pairs skip reports. See Duplicates.
func findDuplicates(recs []dedupRecord, skip func(a, b ulid.ULID) bool, limit int) []Duplicate {
	// Names repeat a lot, so each name's pinyin is computed once.
	pinyins := map[string]string{}
	seed := maphash.MakeSeed()
	var blocks []blockEntry
	add := func(i int, parts ...string) {
		var h maphash.Hash
		h.SetSeed(seed)
		for _, part := range parts {
			h.WriteString(part)
			h.WriteByte(0)
		}
		blocks = append(blocks, blockEntry{key: h.Sum64(), rec: int32(i)})
	}
	for i := range recs {
		r := &recs[i]
		name := string(r.name)
		py, ok := pinyins[name]
		if !ok {
			py = namePinyin(r.name)
			pinyins[name] = py
		}
		r.pinyin = py
		if r.rec.Phone != "" {
			add(i, "phone", r.rec.Phone)
		}
		if r.college != "" && r.rec.StudentNo != "" {
			add(i, "student", r.college, r.rec.StudentNo)
		}
		if birth := r.rec.BirthDate; birth != "" && len(r.name) > 0 {
			if py != "" {
				add(i, "pinyin", birth, py)
			}
			if len(r.name) == 1 {
				add(i, "name", birth, name)
			}
			for j := range r.name {
				if len(r.name) > 1 {
					add(i, "name", birth, string(r.name[:j]), "*", string(r.name[j+1:]))
				}
			}
		}
	}
	slices.SortFunc(blocks, func(a, b blockEntry) int {
		if a.key != b.key {
			if a.key < b.key {
				return -1
			}
			return 1
		}
		return int(a.rec - b.rec)
	})

	found := map[uint64]string{} // record pair → rule
	for start := 0; start < len(blocks); {
		end := start + 1
		for end < len(blocks) && blocks[end].key == blocks[start].key {
			end++
		}
		if end-start <= maxBlock {
			for x := start; x < end; x++ {
				for y := x + 1; y < end; y++ {
					i, j := blocks[x].rec, blocks[y].rec
					pair := uint64(i)<<32 | uint64(j)
					if _, ok := found[pair]; ok || i == j {
						continue
					}
					if rule := duplicateRule(&recs[i], &recs[j]); rule != "" && !skip(recs[i].rec.Person, recs[j].rec.Person) {
						found[pair] = rule
					}
				}
			}
		}
		start = end
	}

	out := make([]Duplicate, 0, len(found))
	for pair, rule := range found {
		a, b := recs[pair>>32].rec, recs[uint32(pair)].rec
		if bytes.Compare(a.Person[:], b.Person[:]) > 0 {
			a, b = b, a
		}
		out = append(out, Duplicate{Rule: rule, A: a, B: b})
	}
	slices.SortFunc(out, func(x, y Duplicate) int {
		if c := ruleOrder(x.Rule) - ruleOrder(y.Rule); c != 0 {
			return c
		}
		if c := bytes.Compare(x.A.Person[:], y.A.Person[:]); c != 0 {
			return c
		}
		return bytes.Compare(x.B.Person[:], y.B.Person[:])
	})
	if limit > 0 && len(out) > limit {
		out = out[:limit]
	}
	return out
}

// ruleOrder ranks the rules by the strength of their evidence, strongest
// first.
func ruleOrder(rule string) int {
	switch rule {
	case RuleIDTypo:
		return 0
	case RulePhone:
		return 1
	case RuleStudentNo:
		return 2
	}
	return 3
}

// duplicateRule returns the rule under which a and b are likely one
// person, or "" when none applies.
func duplicateRule(a, b *dedupRecord) string {
	idDist := -1 // -1 when either ID number is missing
	if a.rec.IDNumber != "" && b.rec.IDNumber != "" {
		// Two different numbers that both pass the check are two people:
		// the check character catches every single typo and swap.
		if a.rec.IDNumber == b.rec.IDNumber || (a.idValid && b.idValid) {
			return ""
		}
		idDist = typoDistance(a.rec.IDNumber, b.rec.IDNumber)
		if idDist > 1 {
			return ""
		}
	}
	birthA, birthB := a.rec.BirthDate, b.rec.BirthDate
	if birthA != "" && birthB != "" && birthA != birthB && idDist != 1 {
		return ""
	}
	if !namesNear(a, b) {
		return ""
	}
	switch {
	case idDist == 1:
		return RuleIDTypo
	case a.rec.Phone != "" && a.rec.Phone == b.rec.Phone:
		return RulePhone
	case a.college != "" && a.college == b.college && a.rec.StudentNo != "" && a.rec.StudentNo == b.rec.StudentNo:
		return RuleStudentNo
	case a.college != "" && a.college == b.college && birthA != "" && birthA == birthB:
		return RuleBirthCollege
	}
	return ""
}

// typoDistance returns 0 for equal strings, 1 when they differ in one
// character or by one swap of neighbours, and 2 otherwise.
func typoDistance(a, b string) int {
	if a == b {
		return 0
	}
	if len(a) != len(b) {
		return 2
	}
	var diffs []int
	for i := range len(a) {
		if a[i] != b[i] {
			diffs = append(diffs, i)
			if len(diffs) > 2 {
				return 2
			}
		}
	}
	if len(diffs) == 1 {
		return 1
	}
	i, j := diffs[0], diffs[1]
	if j == i+1 && a[i] == b[j] && a[j] == b[i] {
		return 1
	}
	return 2
}

// namesNear reports whether two folded names are equal, differ in one
// character, or read the same in pinyin.
func namesNear(a, b *dedupRecord) bool {
	if len(a.name) == 0 || len(b.name) == 0 {
		return false
	}
	if a.pinyin != "" && a.pinyin == b.pinyin {
		return true
	}
	if len(a.name) != len(b.name) {
		return false
	}
	diffs := 0
	for i := range a.name {
		if a.name[i] != b.name[i] {
			diffs++
		}
	}
	// A one-character name differing in its only character is another name.
	return diffs == 0 || (diffs == 1 && len(a.name) > 1)
}
