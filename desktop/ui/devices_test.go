package ui

import (
	"strings"
	"testing"
	"time"

	"mobilefactory/desktop/syncclient"
	"mobilefactory/shared/protocol"
)

func TestClerkHasNoDeviceButton(t *testing.T) {
	st := openStoreAs(t, "clerk")
	h := newHarness(t, st, Options{})
	if b := h.w.main.status.devices; b != nil {
		t.Errorf("clerk sees a device button %q", b.Text)
	}
}

func TestReviewerHasNoDeviceButton(t *testing.T) {
	st := openStoreAs(t, roleReviewer)
	h := newHarness(t, st, Options{})
	if b := h.w.main.status.devices; b != nil {
		t.Errorf("reviewer sees a device button %q", b.Text)
	}
}

func TestDeviceViewShowsThisDevice(t *testing.T) {
	st := openStoreAs(t, roleCentral)
	source := newFakeStatus()
	h := newHarness(t, st, Options{Status: source})
	if h.w.main.status.devices == nil {
		t.Fatal("central office has no 设备 button")
	}
	if got := h.w.main.status.devices.Text; got != "设备" {
		t.Errorf("device button = %q, want 设备", got)
	}

	last := time.Date(2026, 12, 4, 10, 32, 0, 0, time.Local)
	other := protocol.DeviceInfo{ID: "01JF00000000000000007K3QZP", College: "4136012941", Role: "clerk",
		LastContact: last.UnixMilli(), ClientVersion: "0.1.0", Pending: 3, HeldEntries: 1}
	source.ch <- syncclient.Status{Online: true, Pending: 2, LastSync: last, Skew: 10 * time.Minute,
		Devices: []protocol.DeviceInfo{other}}
	h.eventually("status update", func() bool { return h.w.status.Pending == 2 })

	got := labelTexts(h.w.devicesContent())
	want := []string{
		"设备编号", st.Device(),
		"院校", "江西财经职业学院",
		"角色", "省中心",
		"连接", "在线",
		"待同步", "待同步 2 条",
		"上次同步", "2026年12月4日 10:32",
		"本机时钟", "本机时间不正确：与服务器相差约 10 分钟，请校准本机时间",
		"最近错误", "无",
		"全部设备",
		"设备 7K3QZP · 江西财经职业学院 · 录入员 · 最近联系 2026年12月4日 10:32 · 版本 0.1.0 · 待上传 3 条 · 待拉取 1 批 · 时钟：正常（与服务器相差不到 5 分钟）",
		"全部设备的状态在每次同步后更新；服务器上也可用“syncserver devices”命令查看。",
	}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("device view =\n%q\nwant\n%q", got, want)
	}
}
