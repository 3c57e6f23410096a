package match

import (
	"fmt"
	"reflect"
	"slices"
	"sync"
	"testing"

	"pgregory.net/rapid"

	"mobilefactory/shared/record"
)

// Majors of the generated pools: two classes of category 46, one of 51,
// one of 56, and codes too short for a class or a category.
var (
	indexMajors      = []string{"460305", "460306", "460301", "460103", "460104", "510203", "510201", "560101", "46", "4", ""}
	indexQueryMajors = []string{"460305", "460306", "460103", "510203", "560101", "570101", "4603", "46", ""}
	indexRegions     = []string{"", "360424", "360402", "360400", "360102", "360100", "360000", "440300", "441900", "36"}
	indexProgrammes  = []string{"工业机器人运维岗位定制班", "护理岗位定制班", "软件技术订单班", "职业道德与素养", record.BasicProgramme}
	indexStatuses    = []string{record.StatusSeeking, record.StatusEmployed, record.StatusStudy, record.StatusOther, ""}
	indexConsents    = []string{record.ConsentGiven, record.ConsentWithdrawn, ""}
)

// drawCandidates draws a pool in which person IDs may repeat, so that
// equal scores tie on the ID.
func drawCandidates(t *rapid.T) []Candidate {
	n := rapid.IntRange(0, 60).Draw(t, "n")
	cands := make([]Candidate, n)
	for i := range cands {
		id := fmt.Sprintf("01J%023d", rapid.IntRange(0, 2*n).Draw(t, "id"))
		p := record.Person{
			ID:         id,
			Major:      rapid.SampledFrom(indexMajors).Draw(t, "major"),
			HomeRegion: rapid.SampledFrom(indexRegions).Draw(t, "home"),
			WorkRegion: rapid.SampledFrom(indexRegions).Draw(t, "work"),
			Status:     rapid.SampledFrom(indexStatuses).Draw(t, "status"),
			GradYear:   rapid.IntRange(2021, 2025).Draw(t, "year"),
			Consent:    rapid.SampledFrom(indexConsents).Draw(t, "consent"),
		}
		if rapid.IntRange(0, 9).Draw(t, "erased") == 0 {
			p.Erased = "2025-11-30"
		}
		c := Candidate{Person: p, Deleted: rapid.IntRange(0, 9).Draw(t, "deleted") == 0}
		for j := range rapid.IntRange(0, 2).Draw(t, "trainings") {
			c.Trainings = append(c.Trainings, record.Training{
				ID:        fmt.Sprintf("t%d-%d", i, j),
				Person:    id,
				Programme: rapid.SampledFrom(indexProgrammes).Draw(t, "programme"),
				Hours:     rapid.IntRange(8, 120).Draw(t, "hours"),
				Completed: rapid.Bool().Draw(t, "completed"),
			})
		}
		for j := range rapid.IntRange(0, 3).Draw(t, "internships") {
			c.Internships = append(c.Internships, record.Internship{
				ID:     fmt.Sprintf("i%d-%d", i, j),
				Person: id,
				Kind:   rapid.SampledFrom([]string{record.InternWork, record.InternExperience}).Draw(t, "kind"),
				Rating: rapid.IntRange(0, 5).Draw(t, "rating"),
			})
		}
		cands[i] = c
	}
	return cands
}

func drawQuery(t *rapid.T) Query {
	return Query{
		Majors: rapid.SliceOfN(rapid.SampledFrom(indexQueryMajors), 0, 3).Draw(t, "majors"),
		Region: rapid.SampledFrom(indexRegions).Draw(t, "region"),
		Limit:  rapid.IntRange(0, 25).Draw(t, "limit"),
	}
}

func TestIndexRankEqualsRank(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		cands := drawCandidates(t)
		ix := NewIndex(cands)
		for range 3 {
			q := drawQuery(t)
			want := Rank(cands, q)
			got := ix.Rank(q)
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("query %+v: Index.Rank = %v, Rank = %v", q, ids(got), ids(want))
			}
		}
	})
}

// The hand-built pool of candidates() has A, B, C and G in category 46,
// D in 51, E in further study and F deleted.
func TestIndexCandidatesByCategory(t *testing.T) {
	ix := NewIndex(candidates())
	tests := []struct {
		name   string
		majors []string
		want   []uint32
	}{
		{"category 46", []string{"460305"}, []uint32{0, 1, 2, 6}},
		{"class 4603 names category 46", []string{"4603"}, []uint32{0, 1, 2, 6}},
		{"category 51", []string{"510203"}, []uint32{3}},
		{"both categories", []string{"510203", "460103"}, []uint32{0, 1, 2, 3, 6}},
		{"category without candidates", []string{"570101"}, nil},
		{"no majors takes every eligible", nil, []uint32{0, 1, 2, 3, 6}},
		{"short majors are ignored", []string{"46"}, []uint32{0, 1, 2, 3, 6}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := ix.candidatesOf(Query{Majors: tt.majors}).ToArray()
			if !slices.Equal(got, tt.want) {
				t.Errorf("candidatesOf(%v) = %v, want %v", tt.majors, got, tt.want)
			}
		})
	}
}

// A query for one category scores a fraction of a generated pool.
func TestIndexCandidatesOfDemoPool(t *testing.T) {
	cands := demoCandidates(2000)
	ix := NewIndex(cands)
	q := Query{Majors: []string{"460305"}}

	var want uint64
	for i := range cands {
		if !excluded(&cands[i]) && len(cands[i].Person.Major) >= 2 && cands[i].Person.Major[:2] == "46" {
			want++
		}
	}
	got := ix.candidatesOf(q).GetCardinality()
	if got != want {
		t.Errorf("candidates of category 46 = %d, want %d", got, want)
	}
	if got == 0 || got >= uint64(len(cands))/2 {
		t.Errorf("candidates of category 46 = %d of %d, want a non-empty minority", got, len(cands))
	}
	if !reflect.DeepEqual(ix.Rank(q), Rank(cands, q)) {
		t.Error("Index.Rank differs from Rank on the generated pool")
	}
}

func TestIndexRankConcurrent(t *testing.T) {
	cands := demoCandidates(1000)
	ix := NewIndex(cands)
	queries := []Query{
		{Majors: []string{"460305", "510203"}, Region: "360400", Limit: 10},
		{Majors: []string{"460103"}, Region: "440300"},
		{Region: "360424", Limit: 5},
	}
	var wg sync.WaitGroup
	got := make([][]Result, 2*len(queries))
	for n := range got {
		wg.Add(1)
		go func() {
			defer wg.Done()
			got[n] = ix.Rank(queries[n%len(queries)])
		}()
	}
	wg.Wait()
	for n, results := range got {
		if want := Rank(cands, queries[n%len(queries)]); !reflect.DeepEqual(results, want) {
			t.Errorf("goroutine %d: Index.Rank = %v, want %v", n, ids(results), ids(want))
		}
	}
}

func TestIndexEmptyPool(t *testing.T) {
	ix := NewIndex(nil)
	if got := ix.Rank(Query{Majors: []string{"460305"}}); len(got) != 0 {
		t.Errorf("Rank on an empty index = %v, want no results", ids(got))
	}
	if ix.Len() != 0 {
		t.Errorf("Len = %d, want 0", ix.Len())
	}
}
