package ui

import (
	"errors"
	"testing"
	"time"

	"mobilefactory/desktop/syncclient"
	"mobilefactory/shared/record"
)

func TestStatusBarShowsStatus(t *testing.T) {
	st := openStore(t, true)
	source := newFakeStatus()
	h := newHarness(t, st, Options{Status: source})
	bar := h.w.main.status

	if got, want := bar.line.Text, "离线 · 待同步 0 条 · 尚未同步"; got != want {
		t.Errorf("status before any update = %q, want %q", got, want)
	}

	last := time.Date(2026, 12, 4, 10, 32, 0, 0, time.Local)
	source.ch <- syncclient.Status{Online: true, Pending: 3, LastSync: last}
	want := "在线 · 待同步 3 条 · 上次同步 2026年12月4日 10:32"
	h.eventually("status update", func() bool { return bar.line.Text == want })
	if bar.err.Visible() {
		t.Errorf("error line visible without an error: %q", bar.err.Text)
	}

	source.ch <- syncclient.Status{Pending: 3, LastSync: last, LastError: errors.New("handshake timed out")}
	h.eventually("error update", func() bool { return bar.err.Visible() })
	if got, want := bar.err.Text, "同步出错：handshake timed out"; got != want {
		t.Errorf("error line = %q, want %q", got, want)
	}
	if got, want := bar.line.Text, "离线 · 待同步 3 条 · 上次同步 2026年12月4日 10:32"; got != want {
		t.Errorf("status line with an error = %q, want %q", got, want)
	}
}

func TestStatusBarCountsLocalEdits(t *testing.T) {
	st := openStore(t, true)
	source := newFakeStatus()
	h := newHarness(t, st, Options{Status: source})
	bar := h.w.main.status

	savePerson(t, st, record.Person{Name: "李志明", IDNumber: "36012120020101099X"})
	want := "离线 · 待同步 2 条 · 尚未同步" // name and ID number
	h.eventually("pending count after a local edit", func() bool { return bar.line.Text == want })
}
