package main

import (
	"strings"
	"testing"
)

// TestImportExampleList imports the list the READMEs show: a title row, a
// two-row merged header, an unknown column and three rows with mistakes.
func TestImportExampleList(t *testing.T) {
	dir := importDataDir(t)
	out, err := runImportIn(t, dir, "../docs/examples/graduates-example.xlsx")
	if err != nil {
		t.Fatal(err)
	}
	t.Log(out)
	for _, want := range []string{
		"预览：新增 5、更新 0、跳过 0、拒绝 3",
		"第 9 行“身份证号码”列",
		"第 10 行“身份证号码”列",
		"第 11 行“手机号”列",
		"备注",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if persons, _ := storedCount(t, dir); persons != 5 {
		t.Errorf("stored %d persons, want 5", persons)
	}
}
