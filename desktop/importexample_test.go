package main

import (
	"strings"
	"testing"

	"mobilefactory/desktop/store"
	"mobilefactory/shared/demo"
	"mobilefactory/shared/record"
)

// TestImportExampleList imports the list the READMEs show, into a store
// holding the demo's sample person as `make run` syncs it: a title row, a
// two-row merged header, an unknown column and three rows with mistakes.
func TestImportExampleList(t *testing.T) {
	dir := importDataDir(t)
	sample := demo.Generate(demo.Options{People: 10, Seed: 1}).Persons[0]
	if sample.IDNumber != demo.SampleIDNumber {
		t.Fatalf("the demo's first person is not the sample person")
	}
	sample.ID, sample.College = "", ""
	st, err := store.Open(storePath(dir), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := st.Unlock(importAccount, importPassword); err != nil {
		t.Fatal(err)
	}
	if _, err := st.SavePersons([]record.Person{sample}); err != nil {
		t.Fatal(err)
	}
	st.Close()

	out, err := runImportIn(t, dir, "../docs/examples/graduates-example.xlsx", "--dry-run")
	if err != nil {
		t.Fatal(err)
	}
	t.Log(out)
	for _, want := range []string{
		"以下列未识别，不会导入：备注。",
		"预览：新增 4、更新 1、跳过 0、拒绝 3",
		"第 9 行“身份证号码”列：身份证号“3601**********0061”的校验位不正确，应为 6",
		"第 10 行“身份证号码”列：身份证号被 Excel 存成了数字（文件中为 3601**********0070，Excel 显示为 3.60121E+17）",
		"第 11 行“手机号”列：手机号码“139***1200”有 10 位数字",
		"第 4 行 李志明：手机号码 138****2345 → 139****1234",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}

	if _, err := runImportIn(t, dir, "../docs/examples/graduates-example.xlsx"); err != nil {
		t.Fatal(err)
	}
	if persons, _ := storedCount(t, dir); persons != 5 {
		t.Errorf("stored %d persons, want 5", persons)
	}
}
