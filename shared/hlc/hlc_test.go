package hlc

import (
	"sync"
	"testing"
	"time"
)

type memPersister struct {
	mu    sync.Mutex
	saved Stamp
	saves int
}

func (m *memPersister) LoadStamp() (Stamp, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.saved, nil
}

func (m *memPersister) SaveStamp(s Stamp) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.saved = s
	m.saves++
	return nil
}

func fixed(t time.Time) func() time.Time { return func() time.Time { return t } }

func TestStampParts(t *testing.T) {
	s := Make(1_700_000_000_123, 7)
	if s.WallMillis() != 1_700_000_000_123 {
		t.Errorf("WallMillis() = %d, want 1700000000123", s.WallMillis())
	}
	if s.Logical() != 7 {
		t.Errorf("Logical() = %d, want 7", s.Logical())
	}
	if got := s.String(); got != "2023-11-14T22:13:20.123Z/7" {
		t.Errorf("String() = %q, want 2023-11-14T22:13:20.123Z/7", got)
	}
}

func TestNowFollowsWallClock(t *testing.T) {
	wall := time.UnixMilli(1_000_000)
	c, _ := New(fixed(wall), nil)
	a, _ := c.Now()
	b, _ := c.Now()
	if a != Make(1_000_000, 0) {
		t.Errorf("first stamp = %v, want wall time with counter 0", a)
	}
	if b != Make(1_000_000, 1) {
		t.Errorf("second stamp in the same millisecond = %v, want counter 1", b)
	}
}

func TestCounterOverflowBorrowsMillisecond(t *testing.T) {
	c, _ := New(fixed(time.UnixMilli(5000)), nil)
	c.last = Make(5000, MaxLogical)
	s, err := c.Now()
	if err != nil {
		t.Fatal(err)
	}
	if s != Make(5001, 0) {
		t.Errorf("stamp after a full counter = %v, want %v", s, Make(5001, 0))
	}
}

func TestObserveMovesPastRemote(t *testing.T) {
	c, _ := New(fixed(time.UnixMilli(1000)), nil)
	remote := Make(9000, 3)
	if err := c.Observe(remote); err != nil {
		t.Fatal(err)
	}
	s, _ := c.Now()
	if s <= remote {
		t.Errorf("stamp after observing %v = %v, want greater", remote, s)
	}
}

// A clock reopened after the wall clock went back an hour still issues
// stamps after every stamp it issued before.
func TestRestartNeverGoesBack(t *testing.T) {
	p := &memPersister{}
	wall := time.Date(2026, 12, 4, 10, 0, 0, 0, time.UTC)
	c, _ := New(fixed(wall), p)
	var last Stamp
	for i := 0; i < 100; i++ {
		last, _ = c.Now()
	}
	if p.saves != 1 {
		t.Errorf("saves for 100 stamps in one millisecond = %d, want 1", p.saves)
	}
	c2, _ := New(fixed(wall.Add(-time.Hour)), p)
	next, _ := c2.Now()
	if next <= last {
		t.Errorf("stamp after restart = %v, want after %v", next, last)
	}
}
