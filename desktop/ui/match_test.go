package ui

import (
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"mobilefactory/desktop/localmatch/matchtest"
	"mobilefactory/shared/access"
)

// matchWorld opens a window on a store with the hand-made matching world,
// on a device of role.
func matchWorld(t *testing.T, role access.Role) (*harness, matchtest.World) {
	t.Helper()
	st := openStore(t, true)
	world := matchtest.Seed(t, st, testCollege)
	matchtest.SetRole(t, st, string(role))
	h := newHarness(t, st, Options{})
	h.queue.flush()
	return h, world
}

// matchListRows returns the texts the match list shows in each row: rank,
// first line, detail and score, joined by |.
func matchListRows(v *matchView) []string {
	var out []string
	for i := range v.shown {
		item := v.rows.CreateItem()
		v.rows.UpdateItem(i, item)
		rank, first, detail, score := matchRowParts(item)
		out = append(out, strings.Join([]string{rank.Text, first.Text, detail.Text, score.Text}, "|"))
	}
	return out
}

// reasonTexts returns the texts of the reasons panel.
func reasonTexts(v *matchView) []string {
	var out []string
	for _, o := range v.reasons.Objects {
		out = append(out, o.(*widget.Label).Text)
	}
	return out
}

// openJobMatch selects the demand in the 岗位需求 tab and taps 匹配人才.
func openJobMatch(t *testing.T, h *harness, demandID string) *matchView {
	t.Helper()
	v, _ := directoryTab[*demandsView](t, h)
	h.queue.flush()
	row := -1
	for i, r := range v.shown {
		if r.demand.ID == demandID {
			row = i
		}
	}
	if row < 0 {
		t.Fatalf("the 岗位需求 tab does not list demand %s", demandID)
	}
	v.pane.list.Select(row)
	action := findTappable(v.pane.content, "匹配人才")
	if action == nil {
		t.Fatal("the 岗位需求 tab has no 匹配人才 button")
	}
	test.Tap(action)
	h.queue.flush()
	if v.match == nil {
		t.Fatal("匹配人才 opened no dialog")
	}
	return v.match
}

func TestJobMatchClerkSeesTopPerson(t *testing.T) {
	h, world := matchWorld(t, access.Clerk)
	m := openJobMatch(t, h, world.Lathe.ID)

	if m.remote {
		t.Error("a clerk's match goes to the server, want the local store")
	}
	want := []string{
		"1|王明|江西财经职业学院  数控技术  2025届  江西省南昌市青山湖区|95分",
		"2|孙丽|江西财经职业学院  数控技术  2025届  江西省南昌市青山湖区|75分",
		"3|李华|江西财经职业学院  数控技术  2025届  江西省九江市濂溪区|65分",
	}
	if got := matchListRows(m); !reflect.DeepEqual(got, want) {
		t.Errorf("rows\n got %q\nwant %q", got, want)
	}
	wantReasons := []string{
		"王明 的匹配理由（共 95 分）",
		"专业对口：数控技术 +40",
		"持有岗位要求的证书：数控车工（中级） +15",
		"具备岗位所需技能：数控编程 +5",
		"现居岗位所在县区：南昌市青山湖区 +15",
		"目前待就业，可随时到岗 +20",
	}
	if got := reasonTexts(m); !reflect.DeepEqual(got, wantReasons) {
		t.Errorf("reasons of the first row\n got %q\nwant %q", got, wantReasons)
	}
	if got, want := m.message.Text, "共 3 条结果，从 3 名符合推荐条件的人员中选出"; got != want {
		t.Errorf("message %q, want %q", got, want)
	}
	if m.export.Disabled() {
		t.Error("导出表格 is disabled with rows shown")
	}

	m.rows.Select(2)
	if got := reasonTexts(m); len(got) == 0 || got[0] != "李华 的匹配理由（共 65 分）" {
		t.Errorf("after selecting 李华 the reasons read %q", got)
	}
}

func TestPersonMatchBestDemandFirst(t *testing.T) {
	h, world := matchWorld(t, access.Clerk)
	page := h.w.main.page
	if !page.recommend.Disabled() {
		t.Error("推荐岗位 is enabled with no person shown")
	}
	h.w.main.persons.selectID(world.WangMing.ID)
	h.queue.flush()
	if page.recommend.Disabled() {
		t.Fatal("推荐岗位 is disabled for a saved person")
	}
	test.Tap(page.recommend)
	h.queue.flush()
	m := page.match
	if m == nil {
		t.Fatal("推荐岗位 opened no dialog")
	}
	want := []string{
		"1|数控车床操作工（江西洪都数控机械有限公司）|江西省南昌市青山湖区  4500–6500元/月|95分",
		"2|设备维修电工（九江石化设备有限公司）|江西省九江市浔阳区  5000元/月起|35分",
	}
	if got := matchListRows(m); !reflect.DeepEqual(got, want) {
		t.Errorf("rows\n got %q\nwant %q", got, want)
	}
	if got, want := m.heading.Text, "为 王明 推荐的岗位"; got != want {
		t.Errorf("heading %q, want %q", got, want)
	}
}

func TestTransferListsEmployees(t *testing.T) {
	h, world := matchWorld(t, access.Fair)
	v, _ := directoryTab[*employersView](t, h)
	h.queue.flush()
	for i, r := range v.shown {
		if r.employer.ID == world.Hongdu.ID {
			v.pane.list.Select(i)
		}
	}
	action := findTappable(v.pane.content, "淡季转移")
	if action == nil || action.Disabled() {
		t.Fatalf("淡季转移 is %v, want an enabled button", action)
	}
	test.Tap(action)
	h.queue.flush()
	if v.match == nil {
		t.Fatal("淡季转移 opened no dialog")
	}
	// The target job leads the row, so the list's width cuts off the
	// person's details and not the job.
	want := []string{
		"1|周杰  可转至：设备维修电工（九江石化设备有限公司）|江西财经职业学院  机电设备技术  2023届  江西省南昌市青山湖区|45分",
		"2|吴刚  可转至：设备维修电工（九江石化设备有限公司）|江西财经职业学院  数控技术  2023届  江西省南昌市青山湖区|15分",
	}
	if got := matchListRows(v.match); !reflect.DeepEqual(got, want) {
		t.Errorf("rows\n got %q\nwant %q", got, want)
	}
	reasons := reasonTexts(v.match)
	if len(reasons) < 2 || reasons[1] != "可转至：设备维修电工（九江石化设备有限公司）" {
		t.Errorf("reasons panel %q, want the target job on its second line", reasons)
	}
}

// Each row of the list shows its own position as its rank, even when the
// rows' ranks repeat, as a transfer's may.
func TestMatchRowsRankByPosition(t *testing.T) {
	h, world := matchWorld(t, access.Clerk)
	m := openJobMatch(t, h, world.Lathe.ID)
	for i := range m.shown {
		m.shown[i].row.Rank = 1
	}
	for i, row := range matchListRows(m) {
		if rank, _, _ := strings.Cut(row, "|"); rank != strconv.Itoa(i+1) {
			t.Errorf("row %d shows rank %s, want %d", i, rank, i+1)
		}
	}
}

func TestMatchExportWritesRows(t *testing.T) {
	h, world := matchWorld(t, access.Clerk)
	h.w.now = func() time.Time { return time.Date(2026, 3, 2, 9, 0, 0, 0, time.Local) }
	m := openJobMatch(t, h, world.Lathe.ID)

	dir := t.TempDir()
	var path string
	var writeErr error
	h.w.writeList(dir, m.list, matchTable(m.list, m.shown), func(p string, err error) { path, writeErr = p, err })
	h.queue.flush()
	if writeErr != nil {
		t.Fatalf("export: %v", writeErr)
	}
	if want := filepath.Join(dir, "匹配人才-20260302.xlsx"); path != want {
		t.Errorf("exported to %s, want %s", path, want)
	}
	rows := sheetRows(t, path)
	want := [][]string{
		{"排名", "姓名", "院校", "专业", "毕业年份", "现居地区", "岗位名称", "用人单位", "得分", "匹配理由"},
		{"1", "王明", "江西财经职业学院", "数控技术", "2025", "江西省南昌市青山湖区", "数控车床操作工", "江西洪都数控机械有限公司", "95",
			"专业对口：数控技术 +40；持有岗位要求的证书：数控车工（中级） +15；具备岗位所需技能：数控编程 +5；现居岗位所在县区：南昌市青山湖区 +15；目前待就业，可随时到岗 +20"},
		{"2", "孙丽", "江西财经职业学院", "数控技术", "2025", "江西省南昌市青山湖区", "数控车床操作工", "江西洪都数控机械有限公司", "75",
			"专业对口：数控技术 +40；现居岗位所在县区：南昌市青山湖区 +15；目前待就业，可随时到岗 +20"},
		{"3", "李华", "江西财经职业学院", "数控技术", "2025", "江西省九江市濂溪区", "数控车床操作工", "江西洪都数控机械有限公司", "65",
			"专业对口：数控技术 +40；现居岗位所在省份：江西省 +5；目前待就业，可随时到岗 +20"},
	}
	if !reflect.DeepEqual(rows, want) {
		t.Errorf("exported rows\n got %q\nwant %q", rows, want)
	}
}

// The central office matches on the server. Without a connection the
// dialog says so and shows no rows.
func TestCentralMatchOffline(t *testing.T) {
	h, world := matchWorld(t, access.Central)
	m := openJobMatch(t, h, world.Lathe.ID)

	if !m.remote {
		t.Error("the central office's match runs locally, want the server")
	}
	if got, want := m.message.Text, "未连接服务器，无法查询全省人才库。请检查网络，等状态栏显示已连接后再试。"; got != want {
		t.Errorf("message %q, want %q", got, want)
	}
	if len(m.shown) != 0 {
		t.Errorf("an offline central match shows %d rows, want none", len(m.shown))
	}
	if !m.export.Disabled() {
		t.Error("导出表格 is enabled without rows")
	}
}

// TestJobMatchImage compares the 匹配人才 dialog to a reference image in
// testdata. Delete the image to make a new one.
func TestJobMatchImage(t *testing.T) {
	h, world := matchWorld(t, access.Clerk)
	h.win.Resize(fyne.NewSize(1100, 720))
	openJobMatch(t, h, world.Lathe.ID)
	h.queue.flush()

	test.AssertImageMatches(t, "match_candidates.png", h.win.Canvas().Capture())
}
