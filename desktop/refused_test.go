package main

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"mobilefactory/desktop/store"
	"mobilefactory/shared/i18n"
	"mobilefactory/shared/protocol"
	"mobilefactory/shared/record"
)

// desktop refused names a person erased on the server and gives the
// erasure as the reason the phone was rejected, not an invalid value.
func TestPrintRefusedErased(t *testing.T) {
	i18n.SetLocale(i18n.Chinese)
	st := openTestStore(t)
	if err := st.SetIdentity(store.Identity{Device: st.Device(), College: testCollege, Role: "central"}); err != nil {
		t.Fatal(err)
	}
	person, err := st.SavePerson(record.Person{Name: "李娜", GradYear: 2025})
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 5, 4, 10, 30, 0, 0, time.Local)
	if err := st.SaveRefused([]protocol.Refusal{{Seq: 1, Kind: uint8(record.KindPerson), Record: person.ID,
		Field: record.FieldPhone, Reason: protocol.CodeErased}}, at); err != nil {
		t.Fatal(err)
	}
	if err := st.ErasePerson(person.ID); err != nil {
		t.Fatalf("ErasePerson: %v", err)
	}

	var out bytes.Buffer
	if err := printRefused(&out, st); err != nil {
		t.Fatal(err)
	}
	want := "已删除个人信息的人员 · 手机号码：此人的个人信息已应本人要求删除，不能再填写。"
	if !strings.Contains(out.String(), want) {
		t.Errorf("refused list = %q, want it to contain %q", out.String(), want)
	}
	if strings.Contains(out.String(), "格式不对") {
		t.Errorf("refused list = %q, calls the erased value invalid", out.String())
	}
}

// The sync notice quotes refusals whose reasons end in a full stop without
// doubling it, and puts each on its own line.
func TestReportNewRefusedPunctuation(t *testing.T) {
	i18n.SetLocale(i18n.Chinese)
	st := openTestStore(t)
	if err := st.SetIdentity(store.Identity{Device: st.Device(), College: testCollege, Role: "clerk"}); err != nil {
		t.Fatal(err)
	}
	person, err := st.SavePerson(record.Person{Name: "李娜", GradYear: 2025})
	if err != nil {
		t.Fatal(err)
	}
	refusals := []protocol.Refusal{
		{Seq: 1, Kind: uint8(record.KindPerson), Record: person.ID, Field: record.FieldErased, Reason: protocol.CodeRole},
		{Seq: 2, Kind: uint8(record.KindPerson), Record: person.ID, Field: record.FieldPhone, Reason: protocol.CodeInvalid},
	}
	if err := st.SaveRefused(refusals, time.Date(2026, 5, 4, 10, 30, 0, 0, time.Local)); err != nil {
		t.Fatal(err)
	}

	var out bytes.Buffer
	reportNewRefused(&out, st, 0)
	text := out.String()
	for _, double := range []string{"。。", "请请", "。；"} {
		if strings.Contains(text, double) {
			t.Errorf("notice = %q contains %q", text, double)
		}
	}
	if !strings.Contains(text, "重新保存。\n  李娜 · 已删除个人信息") {
		t.Errorf("notice = %q, want the second example on its own line", text)
	}
}
