package store

import (
	"sort"
	"strings"
	"sync"
	"unicode"

	"github.com/mozillazg/go-pinyin"
	bolt "go.etcd.io/bbolt"

	"mobilefactory/shared/changeset"
	"mobilefactory/shared/record"
)

// searchIndex keeps every live person in memory with the keys the search
// box matches, so a keystroke never reads the file.
type searchIndex struct {
	mu      sync.RWMutex
	byID    map[string]*indexEntry // guarded by mu
	byIDNo  map[string]string      // keyed hash of the ID number → person id; guarded by mu
	idHash  func(string) string    // the keyed hash; guarded by mu
	ordered []*indexEntry          // guarded by mu; nil when it needs sorting
}

type indexEntry struct {
	person   record.Person
	name     string // folded name
	initials string // pinyin initials, lower case, e.g. "lzm" for 李志明
	full     string // full pinyin without tones, e.g. "lizhiming"
	student  string // student number, lower case
	idNumber string // ID number, lower case
}

func newSearchIndex() *searchIndex {
	return &searchIndex{byID: map[string]*indexEntry{}, byIDNo: map[string]string{}}
}

var pinyinArgs = func() pinyin.Args {
	a := pinyin.NewArgs()
	a.Style = pinyin.Normal
	// Keep letters and digits in mixed names instead of dropping them.
	a.Fallback = func(r rune, a pinyin.Args) []string {
		if r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r)) {
			return []string{strings.ToLower(string(r))}
		}
		return nil
	}
	return a
}()

// foldName maps the middle-dot variants people type in minority names to
// U+00B7, so either form finds both.
func foldName(s string) string {
	return strings.Map(func(r rune) rune {
		switch r {
		case '\u2022', '\u30fb', '\u2027', '\uff65', '\u00b7', '\u2219', '\u22c5', '\uff0e':
			return '\u00b7'
		}
		return unicode.ToLower(r)
	}, strings.TrimSpace(s))
}

func newEntry(p record.Person) *indexEntry {
	e := &indexEntry{person: p, name: foldName(p.Name),
		student: strings.ToLower(p.StudentNo), idNumber: strings.ToLower(p.IDNumber)}
	e.initials, e.full = pinyinOf(p.Name)
	return e
}

// pinyinOf returns the pinyin initials and the full pinyin without tones
// of name, lower case: "lzm" and "lizhiming" for 李志明. ASCII letters and
// digits stay as they are.
func pinyinOf(name string) (initials, full string) {
	var i, f strings.Builder
	for _, syllable := range pinyin.LazyPinyin(name, pinyinArgs) {
		if syllable == "" {
			continue
		}
		i.WriteByte(syllable[0])
		f.WriteString(syllable)
	}
	return i.String(), f.String()
}

// PinyinSortKey returns the key the person list sorts names by: the full
// pinyin without tones, so 李志明 sorts as lizhiming. Other lists of names
// sort by it to read in the same order.
func PinyinSortKey(name string) string {
	_, full := pinyinOf(name)
	return full
}

// setHash sets the keyed hash byIDNo uses, before the index is loaded.
func (x *searchIndex) setHash(hash func(string) string) {
	x.mu.Lock()
	defer x.mu.Unlock()
	x.idHash = hash
}

func (x *searchIndex) update(st *changeset.State) {
	if st.Kind != record.KindPerson {
		return
	}
	x.put(st.ID.String(), entryOf(st))
}

// entryOf returns the index entry of a person's state, nil when the person
// is deleted or erased and so is not listed.
func entryOf(st *changeset.State) *indexEntry {
	if st.Deleted() || st.Fields[record.FieldErased].Value != "" {
		// An erased person keeps no name or number to search by.
		return nil
	}
	return newEntry(record.PersonFrom(st.ID.String(), st.Scope, st.Values()))
}

// put replaces the entry of person id with e, or removes it when e is nil.
func (x *searchIndex) put(id string, e *indexEntry) {
	x.mu.Lock()
	defer x.mu.Unlock()
	if old, ok := x.byID[id]; ok && old.person.IDNumber != "" {
		if key := x.idHash(old.person.IDNumber); x.byIDNo[key] == id {
			delete(x.byIDNo, key)
		}
	}
	if e == nil {
		delete(x.byID, id)
	} else {
		x.byID[id] = e
		if e.person.IDNumber != "" {
			x.byIDNo[x.idHash(e.person.IDNumber)] = id
		}
	}
	x.ordered = nil
}

func (s *Store) loadIndex() error {
	return s.view(func(tx *bolt.Tx) error {
		c := tx.Bucket(bucketRecords).Cursor()
		prefix := []byte{byte(record.KindPerson)}
		for k, v := c.Seek(prefix); k != nil && k[0] == prefix[0]; k, v = c.Next() {
			var id [16]byte
			copy(id[:], k[1:])
			plain, err := s.keysOpen(bucketRecords, k, v)
			if err != nil {
				return err
			}
			st, err := changeset.DecodeState(record.KindPerson, id, plain)
			if err != nil {
				return err
			}
			s.index.update(st)
		}
		return nil
	})
}

func (x *searchIndex) sortedLocked() []*indexEntry {
	if x.ordered != nil {
		return x.ordered
	}
	out := make([]*indexEntry, 0, len(x.byID))
	for _, e := range x.byID {
		out = append(out, e)
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.full != b.full {
			return a.full < b.full
		}
		return a.person.ID < b.person.ID
	})
	x.ordered = out
	return out
}

func (x *searchIndex) count() int {
	x.mu.RLock()
	defer x.mu.RUnlock()
	return len(x.byID)
}

func (x *searchIndex) all() []record.Person {
	return x.search("", -1)
}

func (x *searchIndex) search(query string, limit int) []record.Person {
	text := foldName(query)
	q := queryKind{text: text, letters: isASCIILetters(text), idTail: isIDTail(text)}
	x.mu.Lock()
	entries := x.sortedLocked()
	x.mu.Unlock()

	var out []record.Person
	for _, e := range entries {
		if limit >= 0 && len(out) >= limit {
			break
		}
		if text == "" || e.matches(q) {
			out = append(out, e.person)
		}
	}
	return out
}

func isASCIILetters(s string) bool {
	for _, r := range s {
		if r > unicode.MaxASCII || !unicode.IsLetter(r) {
			return false
		}
	}
	return s != ""
}

func isIDTail(s string) bool {
	for _, r := range s {
		if !(r >= '0' && r <= '9') && r != 'x' {
			return false
		}
	}
	return len(s) >= 4
}

// queryKind is a query with the kinds of key it can match, worked out once
// per search.
type queryKind struct {
	text    string
	letters bool // only ASCII letters: pinyin initials or full pinyin
	idTail  bool // four or more digits, x allowed: the end of an ID number
}

func (e *indexEntry) matches(q queryKind) bool {
	if strings.Contains(e.name, q.text) {
		return true
	}
	if q.letters && (strings.HasPrefix(e.initials, q.text) || strings.HasPrefix(e.full, q.text)) {
		return true
	}
	if e.student != "" && strings.Contains(e.student, q.text) {
		return true
	}
	return q.idTail && strings.HasSuffix(e.idNumber, q.text)
}

// byIDNumber returns the live person with the ID number.
func (x *searchIndex) byIDNumber(idNumber string) (record.Person, bool) {
	x.mu.RLock()
	defer x.mu.RUnlock()
	if x.idHash == nil {
		return record.Person{}, false // locked: nothing is loaded
	}
	id, ok := x.byIDNo[x.idHash(idNumber)]
	if !ok {
		return record.Person{}, false
	}
	return x.byID[id].person, true
}
