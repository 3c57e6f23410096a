package localmatch

import (
	"context"
	"errors"
	"path/filepath"
	"reflect"
	"testing"

	"mobilefactory/desktop/localmatch/matchtest"
	"mobilefactory/desktop/store"
	"mobilefactory/shared/protocol"
	"mobilefactory/shared/record"
)

const testCollege = "4136012941" // 江西财经职业学院

// seededStore opens a store in a temporary folder, seeds the matching
// world, and leaves the device a clerk's.
func seededStore(t *testing.T) (*store.Store, matchtest.World) {
	t.Helper()
	st, err := store.Open(filepath.Join(t.TempDir(), "client.db"), store.Options{})
	if err != nil {
		t.Fatalf("store.Open: %v", err)
	}
	t.Cleanup(func() { st.Close() })
	w := matchtest.Seed(t, st, testCollege)
	matchtest.SetRole(t, st, "clerk")
	return st, w
}

type rowSummary struct {
	Name  string
	Title string
	Score float64
}

func summarize(rows []protocol.MatchRow) []rowSummary {
	out := make([]rowSummary, len(rows))
	for i, r := range rows {
		out[i] = rowSummary{r.Name, r.Title, r.Score}
	}
	return out
}

func TestAnswerJobRanksApprovedOnly(t *testing.T) {
	st, w := seededStore(t)
	res, err := Answer(context.Background(), st, protocol.MatchRequest{Use: protocol.MatchJob, Demand: w.Lathe.ID})
	if err != nil {
		t.Fatalf("Answer: %v", err)
	}
	want := []rowSummary{{"王明", "数控车床操作工", 95}, {"孙丽", "数控车床操作工", 75}, {"李华", "数控车床操作工", 65}}
	if got := summarize(res.Rows); !reflect.DeepEqual(got, want) {
		t.Errorf("rows\n got %+v\nwant %+v", got, want)
	}
	// 王明, 孙丽 and 李华 seek work. 周杰 and 吴刚, who consented too, are
	// employed in Jiangxi, so the hard filters leave them out.
	if res.Pool != 3 {
		t.Errorf("pool = %d, want 3 eligible people", res.Pool)
	}
	if res.Use != protocol.MatchJob {
		t.Errorf("use = %q, want job", res.Use)
	}
}

func TestAnswerJobReasons(t *testing.T) {
	st, w := seededStore(t)
	res, err := Answer(context.Background(), st, protocol.MatchRequest{Use: protocol.MatchJob, Demand: w.Lathe.ID, Limit: 1})
	if err != nil {
		t.Fatalf("Answer: %v", err)
	}
	if len(res.Rows) != 1 {
		t.Fatalf("got %d rows, want 1 (the limit)", len(res.Rows))
	}
	top := res.Rows[0]
	want := []protocol.MatchReason{
		{Text: "专业对口：数控技术", Points: 40},
		{Text: "持有岗位要求的证书：数控车工（中级）", Points: 15},
		{Text: "具备岗位所需技能：数控编程", Points: 5},
		{Text: "现居岗位所在县区：南昌市青山湖区", Points: 15},
		{Text: "目前待就业，可随时到岗", Points: 20},
	}
	if !reflect.DeepEqual(top.Reasons, want) {
		t.Errorf("reasons\n got %+v\nwant %+v", top.Reasons, want)
	}
	wantRow := protocol.MatchRow{Rank: 1, Person: w.WangMing.ID, Name: "王明", College: testCollege, Major: "460103",
		GradYear: 2025, Region: "360111", Demand: w.Lathe.ID, Employer: matchtest.Hongdu.Name, Title: "数控车床操作工",
		Score: 95, Reasons: want}
	if !reflect.DeepEqual(top, wantRow) {
		t.Errorf("row\n got %+v\nwant %+v", top, wantRow)
	}
}

func TestAnswerReasonsInEnglish(t *testing.T) {
	st, w := seededStore(t)
	res, err := Answer(context.Background(), st, protocol.MatchRequest{Use: protocol.MatchJob, Demand: w.Lathe.ID,
		Limit: 1, Locale: "en"})
	if err != nil {
		t.Fatalf("Answer: %v", err)
	}
	if got := res.Rows[0].Reasons[0].Text; got == "专业对口：数控技术" || got == "" {
		t.Errorf("first reason in English is %q, want a translation", got)
	}
}

func TestAnswerPersonBestJobFirst(t *testing.T) {
	st, w := seededStore(t)
	res, err := Answer(context.Background(), st, protocol.MatchRequest{Use: protocol.MatchPerson, Person: w.WangMing.ID})
	if err != nil {
		t.Fatalf("Answer: %v", err)
	}
	want := []rowSummary{{"王明", "数控车床操作工", 95}, {"王明", "设备维修电工", 35}}
	if got := summarize(res.Rows); !reflect.DeepEqual(got, want) {
		t.Errorf("rows\n got %+v\nwant %+v", got, want)
	}
	if res.Rows[1].Employer != matchtest.Jiujiang.Name || res.Rows[1].Demand != w.Electrician.ID {
		t.Errorf("second row's demand %s of %q, want %s of %q", res.Rows[1].Demand, res.Rows[1].Employer,
			w.Electrician.ID, matchtest.Jiujiang.Name)
	}
}

func TestAnswerPersonWithoutConsent(t *testing.T) {
	st, w := seededStore(t)
	res, err := Answer(context.Background(), st, protocol.MatchRequest{Use: protocol.MatchPerson, Person: w.ZhaoQiang.ID})
	if err != nil {
		t.Fatalf("Answer: %v", err)
	}
	if len(res.Rows) != 0 {
		t.Errorf("a person without consent got %d jobs, want none", len(res.Rows))
	}
}

func TestAnswerTransferReleasesEmployees(t *testing.T) {
	st, w := seededStore(t)
	res, err := Answer(context.Background(), st, protocol.MatchRequest{Use: protocol.MatchTransfer, Employer: w.Hongdu.ID})
	if err != nil {
		t.Fatalf("Answer: %v", err)
	}
	want := []rowSummary{{"周杰", "设备维修电工", 45}, {"吴刚", "设备维修电工", 15}}
	if got := summarize(res.Rows); !reflect.DeepEqual(got, want) {
		t.Errorf("rows\n got %+v\nwant %+v", got, want)
	}
	for i, r := range res.Rows {
		if r.Rank != i+1 {
			t.Errorf("row %d has rank %d", i, r.Rank)
		}
	}
}

func TestAnswerTransferEmployerWithoutPeople(t *testing.T) {
	st, w := seededStore(t)
	// No person of the store works for 九江石化, so it releases no one.
	res, err := Answer(context.Background(), st, protocol.MatchRequest{Use: protocol.MatchTransfer, Employer: w.Jiujiang.ID})
	if err != nil {
		t.Fatalf("Answer: %v", err)
	}
	if len(res.Rows) != 0 {
		t.Errorf("got %+v, want no rows", summarize(res.Rows))
	}
}

func TestAnswerErrors(t *testing.T) {
	st, _ := seededStore(t)
	tests := []struct {
		req  protocol.MatchRequest
		want error
	}{
		{protocol.MatchRequest{Use: protocol.MatchAssign, Fair: "GZ2026A"}, ErrUnsupportedUse},
		{protocol.MatchRequest{Use: protocol.MatchRegions}, ErrUnsupportedUse},
		{protocol.MatchRequest{Use: "tea"}, ErrUnsupportedUse},
		{protocol.MatchRequest{Use: protocol.MatchJob, Demand: "01JZZZZZZZZZZZZZZZZZZZZZZZ"}, ErrNotFound},
		{protocol.MatchRequest{Use: protocol.MatchPerson, Person: "not-a-ulid"}, ErrNotFound},
		{protocol.MatchRequest{Use: protocol.MatchTransfer}, ErrNotFound},
	}
	for _, tt := range tests {
		_, err := Answer(context.Background(), st, tt.req)
		if !errors.Is(err, tt.want) {
			t.Errorf("Answer(%+v) error %v, want %v", tt.req, err, tt.want)
		}
	}
}

func TestAnswerCancelled(t *testing.T) {
	st, w := seededStore(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := Answer(ctx, st, protocol.MatchRequest{Use: protocol.MatchJob, Demand: w.Lathe.ID})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("error %v, want context.Canceled", err)
	}
}

// A demand whose employer was deleted is offered to nobody: neither as a
// recommended job nor as a transfer target.
func TestAnswerSkipsDeletedEmployer(t *testing.T) {
	st, w := seededStore(t)
	matchtest.SetRole(t, st, "central")
	if err := st.DeleteEmployer(w.Jiujiang.ID); err != nil {
		t.Fatalf("DeleteEmployer: %v", err)
	}
	matchtest.SetRole(t, st, "clerk")

	res, err := Answer(context.Background(), st, protocol.MatchRequest{Use: protocol.MatchPerson, Person: w.WangMing.ID})
	if err != nil {
		t.Fatalf("Answer person: %v", err)
	}
	if want := []rowSummary{{"王明", "数控车床操作工", 95}}; !reflect.DeepEqual(summarize(res.Rows), want) {
		t.Errorf("person rows %+v, want %+v", summarize(res.Rows), want)
	}
	if res.Pool != 1 {
		t.Errorf("person pool %d, want the 1 open demand of a listed employer", res.Pool)
	}

	res, err = Answer(context.Background(), st, protocol.MatchRequest{Use: protocol.MatchTransfer, Employer: w.Hongdu.ID})
	if err != nil {
		t.Fatalf("Answer transfer: %v", err)
	}
	for _, r := range res.Rows {
		if r.Demand != "" {
			t.Errorf("transfer row %s goes to demand %s (%s) of a deleted employer", r.Name, r.Demand, r.Title)
		}
	}
}

// A closed demand is not recommended, and the pool counts open demands.
func TestAnswerPersonSkipsClosed(t *testing.T) {
	st, w := seededStore(t)
	matchtest.SetRole(t, st, "central")
	closed := w.Electrician
	closed.Status = record.DemandClosed
	if _, err := st.SaveDemand(closed); err != nil {
		t.Fatalf("SaveDemand: %v", err)
	}
	matchtest.SetRole(t, st, "clerk")

	res, err := Answer(context.Background(), st, protocol.MatchRequest{Use: protocol.MatchPerson, Person: w.WangMing.ID})
	if err != nil {
		t.Fatalf("Answer: %v", err)
	}
	if want := []rowSummary{{"王明", "数控车床操作工", 95}}; !reflect.DeepEqual(summarize(res.Rows), want) {
		t.Errorf("rows %+v, want %+v", summarize(res.Rows), want)
	}
	if res.Pool != 1 {
		t.Errorf("pool %d, want 1 open demand", res.Pool)
	}
}

// A demand whose End date has passed is not recommended although its
// status is open, and the pool does not count it.
func TestAnswerPersonSkipsEnded(t *testing.T) {
	st, w := seededStore(t)
	matchtest.SetRole(t, st, "central")
	ended := w.Electrician
	ended.Months, ended.Start, ended.End = nil, "2020-03-01", "2020-06-30"
	if _, err := st.SaveDemand(ended); err != nil {
		t.Fatalf("SaveDemand: %v", err)
	}
	matchtest.SetRole(t, st, "clerk")

	res, err := Answer(context.Background(), st, protocol.MatchRequest{Use: protocol.MatchPerson, Person: w.WangMing.ID})
	if err != nil {
		t.Fatalf("Answer: %v", err)
	}
	if want := []rowSummary{{"王明", "数控车床操作工", 95}}; !reflect.DeepEqual(summarize(res.Rows), want) {
		t.Errorf("rows %+v, want %+v", summarize(res.Rows), want)
	}
	if res.Pool != 1 {
		t.Errorf("pool %d, want 1 demand still recruiting", res.Pool)
	}
}

// A demand that recruits all year fits the released workers but is no
// seasonal work, so the transfer does not propose it.
func TestAnswerTransferSkipsYearRound(t *testing.T) {
	st, w := seededStore(t)
	matchtest.SetRole(t, st, "central")
	yearRound := w.Electrician
	yearRound.Months = nil
	if _, err := st.SaveDemand(yearRound); err != nil {
		t.Fatalf("SaveDemand: %v", err)
	}
	matchtest.SetRole(t, st, "clerk")

	res, err := Answer(context.Background(), st, protocol.MatchRequest{Use: protocol.MatchTransfer, Employer: w.Hongdu.ID})
	if err != nil {
		t.Fatalf("Answer: %v", err)
	}
	for _, r := range res.Rows {
		if r.Demand != "" {
			t.Errorf("transfer row %s goes to the year-round demand %s (%s)", r.Name, r.Demand, r.Title)
		}
	}
	if len(res.Rows) != 2 {
		t.Errorf("transfer rows %+v, want the 2 released workers without a job", summarize(res.Rows))
	}
}
