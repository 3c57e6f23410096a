package report

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"mobilefactory/desktop/store"
	"mobilefactory/shared/i18n"
	"mobilefactory/shared/record"
)

// pdfText builds the report for in and returns its text as pdftotext
// extracts it, with line breaks and runs of spaces removed so that text
// wrapped inside a table cell reads whole.
func pdfText(t *testing.T, in Input) string {
	t.Helper()
	var buf bytes.Buffer
	if err := Build(&buf, in); err != nil {
		t.Fatalf("Build: %v", err)
	}
	return extractText(t, buf.Bytes())
}

func extractText(t *testing.T, pdf []byte) string {
	t.Helper()
	// The Makefile installs poppler-utils (scripts/deps.sh), so a missing
	// pdftotext fails the test instead of skipping it.
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Fatal("pdftotext is missing: run make deps to install poppler-utils")
	}
	path := filepath.Join(t.TempDir(), "report.pdf")
	if err := os.WriteFile(path, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-enc", "UTF-8", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return strings.Join(strings.Fields(string(out)), "")
}

func TestBuildContainsApprovedRecord(t *testing.T) {
	i18n.SetLocale(i18n.Chinese)
	f := newFixture(t)
	text := pdfText(t, f.input(t, "clerk", false))

	for _, want := range []string{
		"就业推荐报告",
		"陈思远",
		"江西财经职业学院",
		"基础模块", "办公软件应用",
		"数控车工岗位定制培训", "车床操作实训",
		"已结业",
		"软件技术",
		"江西省南昌市南昌县",
		"兴趣代码RIC",
		"江西洪都数控机械有限公司",
		"★★★★☆4/5",
		"体验",
		"江西省职业院校技能大赛数控车加工赛项二等奖", "省级",
		"车工", "中级", "S000036010000245001234",
		"审核人" + reviewerName,
		"审核日期2025年6月20日",
		"2025年7月2日（zhanghua导出）",
		"第1页，共",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("report text lacks %q", want)
		}
	}
	for _, absent := range []string{pendingAwardTitle, counsellingTopic, testIDNumber, "13907971111", "1188号"} {
		if strings.Contains(text, absent) {
			t.Errorf("report text contains %q", absent)
		}
	}
	if !strings.Contains(text, "3601**********099X") {
		t.Errorf("report text lacks the masked ID number")
	}
}

func TestBuildUnmaskedByClerk(t *testing.T) {
	f := newFixture(t)
	text := pdfText(t, f.input(t, "clerk", true))
	for _, want := range []string{testIDNumber, "13907971111", "丰和中大道1188号"} {
		if !strings.Contains(text, want) {
			t.Errorf("unmasked report text lacks %q", want)
		}
	}
}

func TestBuildUnmaskedByFairRejected(t *testing.T) {
	f := newFixture(t)
	var buf bytes.Buffer
	err := Build(&buf, f.input(t, "fair", true))
	if !errors.Is(err, ErrUnmaskedRole) {
		t.Errorf("Build unmasked for fair staff: %v, want ErrUnmaskedRole", err)
	}
	if buf.Len() != 0 {
		t.Errorf("Build wrote %d bytes before rejecting", buf.Len())
	}
}

func TestBuildWithoutConsentRejected(t *testing.T) {
	f := newFixture(t)
	for _, consent := range []string{"", record.ConsentWithdrawn} {
		in := f.input(t, "clerk", false)
		in.Person.Consent = consent
		var buf bytes.Buffer
		if err := Build(&buf, in); !errors.Is(err, ErrNoConsent) {
			t.Errorf("Build with consent %q: %v, want ErrNoConsent", consent, err)
		}
		if buf.Len() != 0 {
			t.Errorf("Build with consent %q wrote %d bytes", consent, buf.Len())
		}
	}
}

// A correction of an approved award supersedes it, so once the correction
// is returned neither version shows.
func TestBuildLeavesOutReturnedCorrection(t *testing.T) {
	f := newFixture(t)
	in := f.input(t, "clerk", false)
	award := in.History.Awards[0]
	if award.Title == pendingAwardTitle {
		award = in.History.Awards[1]
	}
	fields := award.Fields()
	fields[record.FieldTitle] = "更正后的奖项名称"
	id, err := f.st.SaveHistory(record.KindAward, award.ID, fields)
	if err != nil {
		t.Fatal(err)
	}
	setRole(t, f.st, "reviewer")
	if err := f.st.SetReview([]store.ReviewRef{{Kind: record.KindAward, ID: id}}, record.ReviewReturned, "名称与证书不符"); err != nil {
		t.Fatal(err)
	}
	text := pdfText(t, f.input(t, "clerk", false))
	if strings.Contains(text, "更正后的奖项名称") {
		t.Error("report shows a returned correction")
	}
	if strings.Contains(text, award.Title) {
		t.Error("report shows the superseded version of a corrected award")
	}
}

// Text too long for one page flows onto more pages, and characters the
// font lacks do not stop the build.
func TestBuildLongEvaluationFlows(t *testing.T) {
	f := newFixture(t)
	in := f.input(t, "clerk", false)
	long := strings.Repeat("该生在实习期间表现突出，", 300) + "🙂结束语"
	in.History.Internships[0].Evaluation = long
	var buf bytes.Buffer
	if err := Build(&buf, in); err != nil {
		t.Fatalf("Build: %v", err)
	}
	text := extractText(t, buf.Bytes())
	if !strings.Contains(text, "?结束语") {
		t.Error("the end of a long evaluation is missing, or the emoji was not replaced")
	}
	for _, page := range []string{"第3页", "第4页"} {
		if !strings.Contains(text, page) {
			t.Errorf("report text lacks %q: the evaluation did not flow onto more pages", page)
		}
	}
}

func TestBuildEnglish(t *testing.T) {
	f := newFixture(t)
	in := f.input(t, "clerk", false)
	in.Locale = i18n.English
	text := pdfText(t, in)
	for _, want := range []string{"EmploymentRecommendationReport", "陈思远", "Basicmodules", "2025-06-20"} {
		if !strings.Contains(text, want) {
			t.Errorf("English report text lacks %q", want)
		}
	}
}

func TestBuildEmptyHistory(t *testing.T) {
	f := newFixture(t)
	in := f.input(t, "clerk", false)
	in.History = store.History{}
	text := pdfText(t, in)
	if got := strings.Count(text, "暂无经审核通过的记录"); got != 5 {
		t.Errorf("report of an empty history says 暂无 %d times, want once for each of 5 sections", got)
	}
}
