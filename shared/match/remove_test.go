package match

import (
	"reflect"
	"testing"

	"github.com/RoaringBitmap/roaring/v2"
)

func TestRemoveHidesProfile(t *testing.T) {
	e := newTestEngine(perfect(t, idA), seeker(idB, "460305"))
	j := e.CompileJob(robotDemand, robotEmployer, nil)
	posA, posB := e.Position(idA), e.Position(idB)

	if !e.Remove(idA) {
		t.Fatal("Remove of a known person returned false")
	}
	if e.Position(idA) != -1 {
		t.Errorf("Position after Remove = %d, want -1", e.Position(idA))
	}
	if got, want := hitIDs(e.BestCandidates(j, 10)), []string{idB}; !reflect.DeepEqual(got, want) {
		t.Errorf("candidates after Remove = %v, want %v", got, want)
	}
	if e.Position(idB) != posB {
		t.Errorf("position of the other person moved from %d to %d", posB, e.Position(idB))
	}
	if e.Len() != 2 {
		t.Errorf("Len = %d, want 2 (the removed position stays)", e.Len())
	}
	if e.eligible.Contains(uint32(posA)) {
		t.Error("the eligible set still contains the removed position")
	}
	postings := map[string][]*roaring.Bitmap{"major": e.byMajor, "certificate": e.byCert, "skill": e.bySkill,
		"programme": e.byProgramme}
	for name, list := range postings {
		for id, b := range list {
			if b != nil && b.Contains(uint32(posA)) {
				t.Errorf("%s posting %d still contains the removed position", name, id)
			}
		}
	}
	if e.Remove(idA) {
		t.Error("second Remove returned true, want false")
	}

	// A later Put brings the person back at a new position.
	if pos := e.Put(perfect(t, idA)); pos != 2 {
		t.Errorf("Put after Remove took position %d, want 2", pos)
	}
	if got, want := hitIDs(e.BestCandidates(j, 10)), []string{idA, idB}; !reflect.DeepEqual(got, want) {
		t.Errorf("candidates after Put again = %v, want %v", got, want)
	}
}
