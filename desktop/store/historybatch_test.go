package store

import (
	"context"
	"errors"
	"testing"

	"github.com/oklog/ulid/v2"

	"mobilefactory/shared/record"
)

// A batch keeps a new draft a draft and sends a correction of an approved
// record to review, as SaveHistory does, in one transaction.
func TestSaveHistoryBatchReviewStates(t *testing.T) {
	s := openAsRole(t, "reviewer", "reviewer1", newClock())
	person := ulid.Make().String()
	approved := saveAward(t, s, "", person, "技能大赛二等奖", nil)
	if err := s.SetReview([]ReviewRef{{Kind: record.KindAward, ID: approved}}, record.ReviewApproved, ""); err != nil {
		t.Fatal(err)
	}

	draft := map[string]string{record.FieldPerson: person, record.FieldTitle: "校级优秀学生",
		record.FieldLevel: "school", record.FieldDate: "2026-04-20", record.FieldReview: record.ReviewDraft}
	correction := map[string]string{record.FieldPerson: person, record.FieldTitle: "技能大赛一等奖",
		record.FieldLevel: "provincial", record.FieldDate: "2026-04-20", record.FieldReview: record.ReviewDraft}
	ids, err := s.SaveHistoryBatch(context.Background(), record.KindAward,
		[]HistoryVersion{{Fields: draft}, {Supersedes: approved, Fields: correction}}, nil)
	if err != nil {
		t.Fatalf("SaveHistoryBatch: %v", err)
	}
	if len(ids) != 2 {
		t.Fatalf("SaveHistoryBatch returned %d ids, want 2", len(ids))
	}
	if got := awardValues(t, s, ids[0])[record.FieldReview]; got != record.ReviewDraft {
		t.Errorf("new draft is %q, want draft", got)
	}
	v := awardValues(t, s, ids[1])
	if v[record.FieldReview] != record.ReviewPending {
		t.Errorf("correction of an approved award is %q, want pending", v[record.FieldReview])
	}
	if v[record.FieldSupersedes] != approved {
		t.Errorf("correction supersedes %q, want %s", v[record.FieldSupersedes], approved)
	}
}

// A cancelled batch writes nothing, not even the records before the
// cancellation.
func TestSaveHistoryBatchCancelWritesNothing(t *testing.T) {
	s := openAsRole(t, "clerk", "clerk1", newClock())
	person := ulid.Make().String()
	fields := map[string]string{record.FieldPerson: person, record.FieldTitle: "校级优秀学生",
		record.FieldLevel: "school", record.FieldDate: "2026-04-20"}
	pending := s.Pending()

	ctx, cancel := context.WithCancel(context.Background())
	progress := func(done, total int) {
		if done == 1 {
			cancel()
		}
	}
	_, err := s.SaveHistoryBatch(ctx, record.KindAward, []HistoryVersion{{Fields: fields}, {Fields: fields}}, progress)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("SaveHistoryBatch error = %v, want context.Canceled", err)
	}
	if got := s.Pending(); got != pending {
		t.Errorf("cancelled batch queued %d changes, want 0", got-pending)
	}
	if h, err := s.HistoryOf(person); err != nil || len(h.Awards) != 0 {
		t.Errorf("HistoryOf after cancel = %d awards, %v; want 0", len(h.Awards), err)
	}
}
