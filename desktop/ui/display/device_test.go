package display

import (
	"errors"
	"testing"
	"time"

	"mobilefactory/desktop/syncclient"
)

func TestDeviceRows(t *testing.T) {
	chinese(t)
	last := time.Date(2026, 12, 4, 10, 32, 0, 0, time.Local)
	status := syncclient.Status{Pending: 4, LastSync: last, Skew: 3 * 24 * time.Hour,
		LastError: errors.New("handshake timed out")}
	got := DeviceRows(selfDevice, "江西财经职业学院", "central", status)
	want := []DeviceRow{
		{"设备编号", selfDevice},
		{"院校", "江西财经职业学院"},
		{"角色", "省中心"},
		{"连接", "离线"},
		{"待同步", "待同步 4 条"},
		{"上次同步", "2026年12月4日 10:32"},
		{"本机时钟", "本机时间不正确：与服务器相差约 3 天，请校准本机时间"},
		{"最近错误", "同步出错：handshake timed out"},
	}
	if len(got) != len(want) {
		t.Fatalf("DeviceRows returned %d rows, want %d: %q", len(got), len(want), got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("DeviceRows row %d = %q, want %q", i, got[i], want[i])
		}
	}

	fresh := DeviceRows(selfDevice, "江西财经职业学院", "", syncclient.Status{})
	if got := fresh[2].Value; got != "未设置" {
		t.Errorf("DeviceRows role without a role = %q, want 未设置", got)
	}
	if got := fresh[6].Value; got != "尚未连接服务器，无法判断" {
		t.Errorf("DeviceRows clock before any connection = %q, want 尚未连接服务器，无法判断", got)
	}
	if got := fresh[7].Value; got != "无" {
		t.Errorf("DeviceRows last error without one = %q, want 无", got)
	}

	online := DeviceRows(selfDevice, "江西财经职业学院", "reviewer", syncclient.Status{Online: true, Skew: time.Minute})
	if got := online[2].Value; got != "审核员" {
		t.Errorf("DeviceRows role reviewer = %q, want 审核员", got)
	}
	if got := online[6].Value; got != "正常（与服务器相差不到 5 分钟）" {
		t.Errorf("DeviceRows clock one minute off = %q, want 正常（与服务器相差不到 5 分钟）", got)
	}
}
