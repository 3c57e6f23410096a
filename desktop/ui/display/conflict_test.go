package display

import (
	"testing"
	"time"

	"mobilefactory/shared/codes"
	"mobilefactory/shared/hlc"
	"mobilefactory/shared/record"
)

const (
	selfDevice  = "01JDEVICE0000000000000SELF"
	otherDevice = "01JDEVICE00000000000007K3QZP"
)

func stampAt(t time.Time) uint64 { return uint64(hlc.Make(t.UnixMilli(), 0)) }

func TestShortDevice(t *testing.T) {
	chinese(t)
	cases := []struct{ id, want string }{
		{selfDevice, "本机"},
		{otherDevice, "设备 7K3QZP"},
		{"abc", "设备 abc"},
	}
	for _, c := range cases {
		if got := ShortDevice(c.id, selfDevice); got != c.want {
			t.Errorf("ShortDevice(%q) = %q, want %q", c.id, got, c.want)
		}
	}
}

func TestMaskPhone(t *testing.T) {
	cases := []struct{ in, want string }{
		{"13907971111", "139****1111"},
		{"1390797", "*******"},
		{"", ""},
	}
	for _, c := range cases {
		if got := MaskPhone(c.in); got != c.want {
			t.Errorf("MaskPhone(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestFieldValue(t *testing.T) {
	chinese(t)
	tables := codes.MustLoad()
	cases := []struct {
		field, value string
		reveal       bool
		want         string
	}{
		{record.FieldIDNumber, "36012120020101099X", false, "3601**********099X"},
		{record.FieldIDNumber, "36012120020101099X", true, "36012120020101099X"},
		{record.FieldPhone, "13907971111", false, "139****1111"},
		{record.FieldPhone, "13907971111", true, "13907971111"},
		{record.FieldGender, "2", false, "女"},
		{record.FieldStatus, record.StatusEmployed, false, "已就业"},
		{record.FieldConsent, record.ConsentWithdrawn, false, "已撤回"},
		{record.FieldConsentMethod, "written", false, "书面签字"},
		{record.FieldMajor, "510203", false, "510203 软件技术"},
		{record.FieldWorkRegion, "360121", false, "360121 江西省南昌市南昌县"},
		{record.FieldStart, "2024-03-01", false, "2024年3月1日"},
		{record.FieldCompleted, "1", false, "已结业"},
		{record.FieldRating, "4", false, "评价 4/5"},
		{record.FieldEmployer, "南昌甲公司", false, "南昌甲公司"},
		{record.FieldEmployer, "", false, ""},
	}
	for _, c := range cases {
		if got := FieldValue(tables, c.field, c.value, c.reveal); got != c.want {
			t.Errorf("FieldValue(%s, %q, reveal %v) = %q, want %q", c.field, c.value, c.reveal, got, c.want)
		}
	}
}

func TestConflictSameField(t *testing.T) {
	chinese(t)
	winnerAt := time.Date(2026, 12, 4, 10, 32, 40, 0, time.Local)
	loserAt := time.Date(2026, 12, 4, 9, 5, 0, 0, time.Local)
	item := record.Conflict{
		RecordKind: record.KindPerson, Record: "01JPERSON00000000000000001", Field: record.FieldEmployer,
		Reason: record.ConflictSameField,
		Winner: "九江乙公司", WinnerDevice: otherDevice, WinnerStamp: stampAt(winnerAt),
		Loser: "南昌甲公司", LoserDevice: selfDevice, LoserStamp: stampAt(loserAt),
		Status: record.ConflictOpen,
	}
	got := Conflict(item, ConflictRecord{Found: true, Person: "李娜"}, selfDevice, true, codes.MustLoad())
	want := ConflictView{
		Heading: "李娜 · 单位 · 两人同时修改了同一项",
		Winner:  ConflictSide{Label: "现用值", Value: "九江乙公司", Author: "设备 7K3QZP · 2026年12月4日 10:32"},
		Loser:   ConflictSide{Label: "被替换的值", Value: "南昌甲公司", Author: "本机 · 2026年12月4日 09:05"},
	}
	if got != want {
		t.Errorf("Conflict(same field) =\n%+v\nwant\n%+v", got, want)
	}
}

func TestConflictMasksForOtherRoles(t *testing.T) {
	chinese(t)
	item := record.Conflict{
		RecordKind: record.KindPerson, Field: record.FieldPhone, Reason: record.ConflictSameField,
		Winner: "13907971111", WinnerDevice: otherDevice, Loser: "13870210021", LoserDevice: otherDevice,
	}
	got := Conflict(item, ConflictRecord{Found: true, Person: "李娜"}, selfDevice, false, codes.MustLoad())
	if got.Winner.Value != "139****1111" {
		t.Errorf("masked winner = %q, want 139****1111", got.Winner.Value)
	}
	if got.Loser.Value != "138****0021" {
		t.Errorf("masked loser = %q, want 138****0021", got.Loser.Value)
	}
	if got.Winner.Author != "设备 7K3QZP" {
		t.Errorf("author without a stamp = %q, want only the device", got.Winner.Author)
	}
}

func TestConflictSubjects(t *testing.T) {
	chinese(t)
	tables := codes.MustLoad()
	cases := []struct {
		name string
		kind record.Kind
		rec  ConflictRecord
		want string
	}{
		{"training", record.KindTraining, ConflictRecord{Found: true, Person: "王建华", Detail: "焊工"},
			"王建华 的培训记录“焊工” · 单位 · 记录已被删除后又被修改"},
		{"internship", record.KindInternship, ConflictRecord{Found: true, Person: "王建华", Detail: "江西铜业集团"},
			"王建华 的实习“江西铜业集团” · 单位 · 记录已被删除后又被修改"},
		{"unnamed person", record.KindPerson, ConflictRecord{Found: true},
			"（未填姓名） · 单位 · 记录已被删除后又被修改"},
		{"missing record", record.KindPerson, ConflictRecord{},
			"记录 000001（本机没有这条记录） · 单位 · 记录已被删除后又被修改"},
	}
	for _, c := range cases {
		item := record.Conflict{RecordKind: c.kind, Record: "01JPERSON00000000000000001", Field: record.FieldEmployer,
			Reason: record.ConflictDeleted, Loser: "新单位", LoserDevice: otherDevice}
		got := Conflict(item, c.rec, selfDevice, true, tables)
		if got.Heading != c.want {
			t.Errorf("Conflict(%s).Heading = %q, want %q", c.name, got.Heading, c.want)
		}
		if got.Winner.Value != "（记录已删除）" {
			t.Errorf("Conflict(%s) winner of a deleted record = %q, want （记录已删除）", c.name, got.Winner.Value)
		}
	}
}
