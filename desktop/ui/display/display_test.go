package display

import (
	"errors"
	"testing"
	"time"

	"mobilefactory/desktop/syncclient"
	"mobilefactory/shared/codes"
	"mobilefactory/shared/i18n"
	"mobilefactory/shared/protocol"
	"mobilefactory/shared/record"
)

// chinese selects the Chinese locale for one test and restores it after.
func chinese(t *testing.T) {
	t.Helper()
	i18n.SetLocale(i18n.Chinese)
	t.Cleanup(func() { i18n.SetLocale(i18n.Chinese) })
}

func TestMaskID(t *testing.T) {
	cases := []struct{ in, want string }{
		{"36012120020101099X", "3601**********099X"},
		{"360121020101099", "3601*******1099"}, // a 15-digit first-generation number
		{"12345678", "********"},
		{"1234", "****"},
		{"", ""},
	}
	for _, c := range cases {
		if got := MaskID(c.in); got != c.want {
			t.Errorf("MaskID(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func FuzzMaskID(f *testing.F) {
	f.Add("36012120020101099X")
	f.Add("阿依古丽·买买提")
	f.Fuzz(func(t *testing.T, id string) {
		masked := []rune(MaskID(id))
		runes := []rune(id)
		if len(masked) != len(runes) {
			t.Fatalf("MaskID(%q) has %d characters, want %d", id, len(masked), len(runes))
		}
		// At most eight characters of the original stay visible.
		visible := 0
		for i := range runes {
			if masked[i] != '*' {
				visible++
			}
		}
		if visible > 8 {
			t.Errorf("MaskID(%q) = %q shows %d characters", id, string(masked), visible)
		}
	})
}

func TestPersonRow(t *testing.T) {
	p := record.Person{Name: "李志明", StudentNo: "JXCJ2024001", IDNumber: "36012120020101099X"}
	if got, want := PersonRow(p), "李志明  JXCJ2024001  3601**********099X"; got != want {
		t.Errorf("PersonRow(full) = %q, want %q", got, want)
	}
	p.StudentNo = ""
	if got, want := PersonRow(p), "李志明  3601**********099X"; got != want {
		t.Errorf("PersonRow(no student number) = %q, want %q", got, want)
	}
}

func TestCodeLabels(t *testing.T) {
	tables := codes.MustLoad()
	if got, want := MajorLabel(tables, "510203"), "510203 软件技术"; got != want {
		t.Errorf("MajorLabel(510203) = %q, want %q", got, want)
	}
	if got, want := RegionLabel(tables, "360121"), "360121 江西省南昌市南昌县"; got != want {
		t.Errorf("RegionLabel(360121) = %q, want %q", got, want)
	}
	if got := RegionLabel(tables, "999999"); got != "999999" {
		t.Errorf("RegionLabel(unknown) = %q, want the code", got)
	}
	if got := CodeOf(tables.Majors, "510203 软件技术"); got != "510203" {
		t.Errorf("CodeOf(major label) = %q, want 510203", got)
	}
	if got := CodeOf(tables.Majors, " 软件技术 "); got != "软件技术" {
		t.Errorf("CodeOf(typed name) = %q, want the trimmed name", got)
	}
	if got := CodeOf(tables.Regions, "123456 某地"); got != "123456 某地" {
		t.Errorf("CodeOf(unknown code label) = %q, want the text unchanged", got)
	}
}

func TestMajorOptions(t *testing.T) {
	got := MajorOptions(codes.MustLoad(), "软件技术", 5)
	if len(got) == 0 || got[0] != "510203 软件技术" {
		t.Errorf("MajorOptions(软件技术) = %q, want 510203 软件技术 first", got)
	}
	got = MajorOptions(codes.MustLoad(), "5102", 3)
	if len(got) != 3 {
		t.Errorf("MajorOptions(5102, limit 3) returned %d options, want 3", len(got))
	}
}

func TestDate(t *testing.T) {
	chinese(t)
	cases := []struct{ iso, want string }{
		{"2024-05-10", "2024年5月10日"},
		{"2024-05", "2024年5月"},
		{"", ""},
		{"not a date", "not a date"},
	}
	for _, c := range cases {
		if got := Date(c.iso); got != c.want {
			t.Errorf("Date(%q) = %q, want %q", c.iso, got, c.want)
		}
	}
	i18n.SetLocale(i18n.English)
	if got := Date("2024-05-10"); got != "2024-05-10" {
		t.Errorf("Date(2024-05-10) in English = %q, want 2024-05-10", got)
	}
}

func TestStatusLine(t *testing.T) {
	chinese(t)
	last := time.Date(2026, 12, 4, 10, 32, 15, 0, time.Local)
	cases := []struct {
		name string
		in   syncclient.Status
		want string
	}{
		{"online", syncclient.Status{Online: true, Pending: 3, LastSync: last},
			"在线 · 待同步 3 条 · 上次同步 2026年12月4日 10:32"},
		{"never synced", syncclient.Status{},
			"离线 · 待同步 0 条 · 尚未同步"},
		{"clock ahead", syncclient.Status{Pending: 1, LastSync: last, Skew: 3*time.Hour + 10*time.Minute},
			"离线 · 待同步 1 条 · 上次同步 2026年12月4日 10:32 · 本机时间不正确：与服务器相差约 3 小时，请校准本机时间"},
		{"small skew", syncclient.Status{Online: true, LastSync: last, Skew: -time.Minute},
			"在线 · 待同步 0 条 · 上次同步 2026年12月4日 10:32"},
	}
	for _, c := range cases {
		if got := StatusLine(c.in); got != c.want {
			t.Errorf("StatusLine(%s) = %q, want %q", c.name, got, c.want)
		}
	}
}

func TestSkew(t *testing.T) {
	chinese(t)
	cases := []struct {
		skew time.Duration
		want string
	}{
		{3 * 24 * time.Hour, "本机时间不正确：与服务器相差约 3 天，请校准本机时间"},
		{-(3*24*time.Hour + 5*time.Hour), "本机时间不正确：与服务器相差约 3 天，请校准本机时间"},
		{10 * time.Minute, "本机时间不正确：与服务器相差约 10 分钟，请校准本机时间"},
		{-10 * time.Minute, "本机时间不正确：与服务器相差约 10 分钟，请校准本机时间"},
		{5 * time.Minute, "本机时间不正确：与服务器相差约 5 分钟，请校准本机时间"},
		{5*time.Minute - time.Second, ""},
		{0, ""},
	}
	for _, c := range cases {
		if got := Skew(c.skew); got != c.want {
			t.Errorf("Skew(%v) = %q, want %q", c.skew, got, c.want)
		}
	}
	i18n.SetLocale(i18n.English)
	want := "this computer's time is wrong: about 3 days off the server's; correct the clock"
	if got := Skew(72 * time.Hour); got != want {
		t.Errorf("Skew(72h) in English = %q, want %q", got, want)
	}
}

type keyedError struct{}

func (keyedError) Error() string { return "connection refused" }
func (keyedError) TranslationKey() (string, []any) {
	return "ui.status.offline", nil
}

func TestStatusError(t *testing.T) {
	chinese(t)
	if got := StatusError(syncclient.Status{}); got != "" {
		t.Errorf("StatusError(no error) = %q, want empty", got)
	}
	plain := syncclient.Status{LastError: errors.New("dial tcp: connection refused")}
	if got, want := StatusError(plain), "同步出错：dial tcp: connection refused"; got != want {
		t.Errorf("StatusError(plain) = %q, want %q", got, want)
	}
	keyed := syncclient.Status{LastError: fmtWrap(keyedError{})}
	if got, want := StatusError(keyed), "同步出错：离线"; got != want {
		t.Errorf("StatusError(wrapped localized) = %q, want %q", got, want)
	}
}

func fmtWrap(err error) error { return errors.Join(errors.New("pushing"), err) }

func TestDeviceListLine(t *testing.T) {
	i18n.SetLocale(i18n.Chinese)
	d := protocol.DeviceInfo{ID: "01JF00000000000000007K3QZP", College: "4136012941", Role: "clerk",
		LastContact: time.Date(2026, 12, 4, 10, 32, 0, 0, time.Local).UnixMilli(), ClientVersion: "0.1.0",
		Pending: 3, HeldEntries: 2, SkewMillis: (72 * time.Hour).Milliseconds(), LastError: "server unreachable"}
	got := DeviceListLine(d, "other", func(string) string { return "江西财经职业学院" })
	want := "设备 7K3QZP · 江西财经职业学院 · 录入员 · 最近联系 2026年12月4日 10:32 · 版本 0.1.0 · 待上传 3 条 · 待拉取 2 批 · 时钟：本机时间不正确：与服务器相差约 3 天，请校准本机时间 · 最近错误：server unreachable"
	if got != want {
		t.Errorf("DeviceListLine = %q\nwant %q", got, want)
	}
}

func TestMaskAddressKeepsRegion(t *testing.T) {
	cases := []struct{ address, want string }{
		{"江西省南昌市红谷滩区丰和中大道1188号", "江西省南昌市红谷滩区***"},
		{"南昌县莲塘镇澄湖东路8号", "南昌县***"},
		{"学校宿舍5栋", "***"},
		{"", ""},
	}
	for _, c := range cases {
		if got := MaskAddress(c.address); got != c.want {
			t.Errorf("MaskAddress(%q) = %q, want %q", c.address, got, c.want)
		}
	}
}
