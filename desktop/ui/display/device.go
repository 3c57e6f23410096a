package display

import (
	"time"

	"mobilefactory/desktop/syncclient"
	"mobilefactory/shared/i18n"
	"mobilefactory/shared/protocol"
)

// RoleName returns the display name of a device role, such as 审核员 for
// reviewer. An unknown role is returned as it is, and an empty one as 未设置.
func RoleName(role string) string {
	if role == "" {
		return i18n.T("ui.role.unset")
	}
	key := "ui.role." + role
	if name := i18n.T(key); name != key {
		return name
	}
	return role
}

// DeviceRow is one line of the device view: a label and its value.
type DeviceRow struct {
	Label string
	Value string
}

// DeviceRows returns the lines the device view shows for this device: its
// id, college and role, and the sync state s reports.
func DeviceRows(device, college, role string, s syncclient.Status) []DeviceRow {
	connection := i18n.T("ui.status.offline")
	if s.Online {
		connection = i18n.T("ui.status.online")
	}
	lastSync := i18n.T("ui.status.never_synced")
	if !s.LastSync.IsZero() {
		lastSync = DateTime(s.LastSync)
	}
	lastError := StatusError(s)
	if lastError == "" {
		lastError = i18n.T("ui.devices.no_error")
	}
	return []DeviceRow{
		{i18n.T("ui.devices.device"), device},
		{i18n.T("ui.devices.college"), college},
		{i18n.T("ui.devices.role"), RoleName(role)},
		{i18n.T("ui.devices.connection"), connection},
		{i18n.T("ui.devices.pending"), i18n.T("ui.status.pending", s.Pending)},
		{i18n.T("ui.devices.last_sync"), lastSync},
		{i18n.T("ui.devices.clock"), clockState(s)},
		{i18n.T("ui.devices.last_error"), lastError},
	}
}

// clockState returns the device view's clock line. The skew is measured at
// each connection, so before the first one it is unknown.
func clockState(s syncclient.Status) string {
	if !s.Online && s.LastSync.IsZero() && s.Skew == 0 {
		return i18n.T("ui.devices.clock_unknown")
	}
	if warning := Skew(s.Skew); warning != "" {
		return warning
	}
	return i18n.T("ui.devices.clock_ok", int(MinSkewShown.Minutes()))
}

// DeviceListLine returns one line of the central office's device list:
// device, college, role, last contact, version, pending and held changes,
// clock and last error. college maps a college code to its name.
func DeviceListLine(d protocol.DeviceInfo, self string, college func(string) string) string {
	last := i18n.T("ui.devices.never")
	if d.LastContact != 0 {
		last = DateTime(time.UnixMilli(d.LastContact))
	}
	clock := i18n.T("ui.devices.clock_ok", int(MinSkewShown.Minutes()))
	if warning := Skew(time.Duration(d.SkewMillis) * time.Millisecond); warning != "" {
		clock = warning
	}
	line := i18n.T("ui.devices.line", ShortDevice(d.ID, self), college(d.College), RoleName(d.Role), last,
		d.ClientVersion, d.Pending, d.HeldEntries, clock)
	if d.LastError != "" {
		line += i18n.T("ui.devices.line_error", d.LastError)
	}
	return line
}
