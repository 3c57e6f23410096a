package ui

import (
	"context"
	"fmt"
	"net"
	"path/filepath"
	"regexp"
	"testing"
	"time"

	"mobilefactory/desktop/store"
	"mobilefactory/desktop/syncclient"
	"mobilefactory/internal/testtls"
	"mobilefactory/shared/protocol"
	"mobilefactory/shared/record"
	"mobilefactory/syncserver/hub"
	"mobilefactory/syncserver/pool"
)

// centralPorts is the loopback port range the central match tests listen on.
const centralPortFirst, centralPortLast = 19100, 19149

// centralWorld is a central office window whose sync client talks to the
// real sync server on loopback. The server answers match requests with
// answer, in place of the matching service, which another package tests.
type centralWorld struct {
	h      *harness
	demand record.Demand
}

func newCentralWorld(t *testing.T, answer hub.MatchFunc) centralWorld {
	t.Helper()
	p, err := pool.Open(filepath.Join(t.TempDir(), "pool.db"), pool.Options{})
	if err != nil {
		t.Fatal(err)
	}
	cert, fingerprint := testtls.Certificate(t)
	ln := listenCentral(t)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	srv := hub.New(p, hub.Options{Certificate: cert, Match: answer})
	go func() { done <- srv.Serve(ctx, ln) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("server stopped with error: %v", err)
		}
		p.Close()
	})

	code, _, err := hub.NewEnrolCode(p, testCollege, "central", fingerprint)
	if err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(filepath.Join(t.TempDir(), "central.db"), store.Options{Argon2: cheapArgon2})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if err := syncclient.Enrol(context.Background(), st, "https://"+ln.Addr().String(), code); err != nil {
		t.Fatalf("Enrol: %v", err)
	}
	employer := seedEmployer(t, st, hongdu)
	demand, err := st.SaveDemand(record.Demand{Scope: record.ProvinceScope, Employer: employer.ID,
		Title: "数控车床操作工", Majors: []string{"460103"}, Headcount: 20, Status: record.DemandOpen})
	if err != nil {
		t.Fatalf("SaveDemand: %v", err)
	}

	h := newHarness(t, st, Options{Status: syncclient.New(st, syncclient.Options{})})
	h.queue.flush()
	// The status bar shows what the sync loop last saw; no loop runs here.
	h.w.onStatus(syncclient.Status{Online: true})
	return centralWorld{h: h, demand: demand}
}

// listenCentral listens on a free loopback port of the tests' range.
func listenCentral(t *testing.T) net.Listener {
	t.Helper()
	for port := centralPortFirst; port <= centralPortLast; port++ {
		ln, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", port))
		if err == nil {
			return ln
		}
	}
	t.Fatalf("no free loopback port in %d–%d", centralPortFirst, centralPortLast)
	return nil
}

// fiftyCandidates answers a job request with 50 ranked rows drawn from a
// pool of 748 eligible people.
func fiftyCandidates(_ context.Context, req protocol.MatchRequest) (protocol.MatchResult, error) {
	res := protocol.MatchResult{Use: req.Use, Pool: 748, Built: time.Now().UnixMilli()}
	for i := range 50 {
		res.Rows = append(res.Rows, protocol.MatchRow{Rank: i + 1, Person: fmt.Sprintf("P%02d", i),
			Name: fmt.Sprintf("候选人%02d", i+1), College: testCollege, Major: "460103", GradYear: 2025,
			Region: "360111", Demand: req.Demand, Title: "数控车床操作工", Employer: hongdu.Name,
			Score: float64(100 - i), Reasons: []protocol.MatchReason{{Text: "专业对口：数控技术", Points: 40}}})
	}
	return res, nil
}

func TestCentralJobMatchFiftyRows(t *testing.T) {
	world := newCentralWorld(t, fiftyCandidates)
	m := openJobMatch(t, world.h, world.demand.ID)
	world.h.eventually("the match answer", func() bool { return m.message.Text != "正在匹配……" })

	if !m.remote {
		t.Fatal("the central office's match ran locally, want the server")
	}
	if len(m.shown) != 50 {
		t.Fatalf("the dialog shows %d rows, want 50 (message %q)", len(m.shown), m.message.Text)
	}
	if got, want := m.message.Text, "共 50 条结果，从 748 名符合推荐条件的人员中选出"; got != want {
		t.Errorf("message %q, want %q", got, want)
	}
	rows := matchListRows(m)
	if want := "1|候选人01|江西财经职业学院  数控技术  2025届  江西省南昌市青山湖区|100分"; rows[0] != want {
		t.Errorf("first row %q, want %q", rows[0], want)
	}
	if want := "50|候选人50|江西财经职业学院  数控技术  2025届  江西省南昌市青山湖区|51分"; rows[49] != want {
		t.Errorf("last row %q, want %q", rows[49], want)
	}
	if m.export.Disabled() {
		t.Error("导出表格 is disabled with 50 rows shown")
	}
}

// The server's notes show over the rows, and in place of the empty
// result's message when no row came back.
func TestCentralMatchShowsNotes(t *testing.T) {
	const closed = "岗位需求“质检员”已结束招聘，以下结果仅供参考。"
	withNote := func(ctx context.Context, req protocol.MatchRequest) (protocol.MatchResult, error) {
		res, err := fiftyCandidates(ctx, req)
		res.Rows = res.Rows[:2]
		res.Notes = []string{closed}
		return res, err
	}
	world := newCentralWorld(t, withNote)
	m := openJobMatch(t, world.h, world.demand.ID)
	world.h.eventually("the match answer", func() bool { return m.message.Text != "正在匹配……" })
	if want := "共 2 条结果，从 748 名符合推荐条件的人员中选出\n" + closed; m.message.Text != want {
		t.Errorf("message %q, want %q", m.message.Text, want)
	}
}

// latin finds English words, which no Chinese message may contain.
var latin = regexp.MustCompile(`[A-Za-z]{3,}`)

// A failed central request gets a message of its own, in Chinese, that
// neither speaks of refused changes nor sends the central office to
// itself.
func TestCentralMatchFailureMessages(t *testing.T) {
	cases := []struct {
		name string
		err  error
		want string
	}{
		{"not found", fmt.Errorf("%w: demand 01J0000000000000000000000X", protocol.ErrNotFound),
			""}, // filled below: it names the demand the request asked for
		{"role", fmt.Errorf("%w: match requested by role %q", protocol.ErrRole, "clerk"),
			"服务器不允许本设备进行全省匹配：只有省中心登记的设备可以使用。请核对本机的登记角色。"},
		{"internal", fmt.Errorf("%w: index not loaded", protocol.ErrInternal),
			"服务器未能完成匹配。请稍后重试；仍然失败时请查看服务器日志或联系技术支持。"},
		{"too large", fmt.Errorf("%w: result of 80 MB", protocol.ErrTooLarge),
			"服务器返回的匹配结果过大或已损坏，本机无法读取。请稍后重试；仍然失败时请联系技术支持。"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			world := newCentralWorld(t, func(context.Context, protocol.MatchRequest) (protocol.MatchResult, error) {
				return protocol.MatchResult{}, c.err
			})
			m := openJobMatch(t, world.h, world.demand.ID)
			world.h.eventually("the match error", func() bool { return m.message.Text != "正在匹配……" })

			want := c.want
			if want == "" {
				want = "服务器的匹配索引中没有“" + world.demand.ID + "”。请核对编号；刚录入的记录要等索引更新后（约一分钟）才能匹配。"
			}
			if m.message.Text != want {
				t.Errorf("message %q, want %q", m.message.Text, want)
			}
			if words := latin.FindAllString(m.message.Text, -1); c.want != "" && len(words) > 0 {
				t.Errorf("message %q contains English %q", m.message.Text, words)
			}
			if len(m.shown) != 0 {
				t.Errorf("a failed match shows %d rows", len(m.shown))
			}
		})
	}
}

// A hung server makes the dialog say that the server did not answer in
// time, not that it is unreachable, and the dialog closes as usual.
func TestCentralMatchServerHangs(t *testing.T) {
	saved := remoteMatchTimeout
	remoteMatchTimeout = time.Second
	t.Cleanup(func() { remoteMatchTimeout = saved })
	world := newCentralWorld(t, func(ctx context.Context, _ protocol.MatchRequest) (protocol.MatchResult, error) {
		<-ctx.Done() // hangs until the server shuts down
		return protocol.MatchResult{}, ctx.Err()
	})
	m := openJobMatch(t, world.h, world.demand.ID)
	world.h.eventually("the timeout", func() bool { return m.message.Text != "正在匹配……" })

	want := "服务器在 1 秒内没有回应，本次匹配已取消。服务器可能正忙或已停止响应，请稍后重试；仍然如此时请检查服务器。"
	if m.message.Text != want {
		t.Errorf("message %q, want %q", m.message.Text, want)
	}
	if m.busy.Visible() {
		t.Error("the progress bar still spins after the timeout")
	}
	m.dialog.Hide()
	if top := world.h.win.Canvas().Overlays().Top(); top != nil {
		t.Errorf("after 关闭 the window is still covered by %T", top)
	}
}
