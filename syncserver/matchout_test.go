package main

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// match --out writes the ranked list as xlsx with Chinese headers, one
// row per candidate in rank order, and never replaces a file.
func TestMatchOutWritesRanking(t *testing.T) {
	data := t.TempDir()
	if _, stderr, code := run(t, "demo", "--data", data, "--people", "300", "--seed", "5"); code != 0 {
		t.Fatalf("demo failed: %s", stderr)
	}
	out := filepath.Join(t.TempDir(), "人选.xlsx")
	stdout, stderr, code := run(t, "match", "--data", data, "--major", "软件技术,460301", "-n", "5", "--out", out)
	if code != 0 {
		t.Fatalf("match --out failed: %s", stderr)
	}
	if want := "已把 5 名人选写入 " + out; !strings.Contains(stdout, want) {
		t.Errorf("output = %q, want it to contain %q", stdout, want)
	}

	f, err := excelize.OpenFile(out)
	if err != nil {
		t.Fatalf("opening %s: %v", out, err)
	}
	defer f.Close()
	rows, err := f.GetRows(f.GetSheetName(0))
	if err != nil {
		t.Fatal(err)
	}
	wantHeader := "名次|姓名|院校|专业|毕业年份|就业状态|工作地区|得分|理由"
	if got := strings.Join(rows[0], "|"); got != wantHeader {
		t.Errorf("header = %s, want %s", got, wantHeader)
	}
	if len(rows) != 6 {
		t.Fatalf("file has %d rows, want the header and 5 candidates", len(rows))
	}
	previous := 1e9
	for i, row := range rows[1:] {
		if row[0] != strconv.Itoa(i+1) {
			t.Errorf("row %d rank = %q, want %d", i+2, row[0], i+1)
		}
		score, err := strconv.ParseFloat(row[7], 64)
		if err != nil {
			t.Errorf("row %d score %q is not a number", i+2, row[7])
		}
		if score > previous {
			t.Errorf("row %d scores %v, above the row before (%v)", i+2, score, previous)
		}
		previous = score
		if len(row) < 9 || row[8] == "" {
			t.Errorf("row %d has no reasons: %q", i+2, row)
		}
	}

	// A second run to the same file is rejected and keeps the file.
	before, _ := os.ReadFile(out)
	_, stderr, code = run(t, "match", "--data", data, "--major", "软件技术", "--out", out)
	if code == 0 || !strings.Contains(stderr, "已存在") {
		t.Errorf("match --out to an existing file: exit %d, output %q, want the file-exists message", code, stderr)
	}
	if after, _ := os.ReadFile(out); string(after) != string(before) {
		t.Error("match --out changed the existing file")
	}

	_, stderr, code = run(t, "match", "--data", data, "--major", "软件技术", "--out", "人选.csv")
	if code != 2 || !strings.Contains(stderr, "必须以 .xlsx 结尾") {
		t.Errorf("match --out 人选.csv: exit %d, output %q, want the .xlsx usage error", code, stderr)
	}
}
