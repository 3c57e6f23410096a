package localmatch

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"

	"mobilefactory/desktop/localmatch/matchtest"
	"mobilefactory/desktop/store"
	"mobilefactory/shared/protocol"
	"mobilefactory/shared/record"
)

// benchPeople is the size of a large college's store.
const benchPeople = 5000

// BenchmarkAnswerJob measures one 匹配人才 request on a store of
// benchPeople consenting people, the Engine's build included.
func BenchmarkAnswerJob(b *testing.B) {
	st, err := store.Open(filepath.Join(b.TempDir(), "client.db"), store.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	world := matchtest.Seed(b, st, testCollege)
	majors := []string{"460103", "460202", "460301", "510203"}
	people := make([]record.Person, benchPeople)
	for i := range people {
		people[i] = record.Person{Name: fmt.Sprintf("学生%d", i), Major: majors[i%len(majors)], GradYear: 2025,
			HomeRegion: "360111", Status: record.StatusSeeking, Consent: record.ConsentGiven}
	}
	if _, err := st.SavePersons(people); err != nil {
		b.Fatal(err)
	}
	req := protocol.MatchRequest{Use: protocol.MatchJob, Demand: world.Lathe.ID}
	b.ResetTimer()
	for b.Loop() {
		res, err := Answer(context.Background(), st, req)
		if err != nil || len(res.Rows) != DefaultLimit {
			b.Fatalf("Answer: %d rows, %v", len(res.Rows), err)
		}
	}
}
