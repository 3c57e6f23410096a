// Package hlc implements a hybrid logical clock: stamps that follow wall time
// where the wall clock is sane and still order every event a replica has seen.
//
// A Stamp packs milliseconds since the Unix epoch into the upper 48 bits and a
// logical counter into the lower 16, so stamps compare as plain integers.
package hlc

import (
	"fmt"
	"sync"
	"time"
)

// Stamp is a hybrid-logical-clock timestamp. The zero Stamp is older than
// every stamp a clock issues.
type Stamp uint64

const logicalBits = 16

// MaxLogical is the largest logical counter a stamp can hold.
const MaxLogical = 1<<logicalBits - 1

// Make builds a stamp from wall milliseconds and a logical counter.
func Make(wallMillis int64, logical uint16) Stamp {
	return Stamp(uint64(wallMillis)<<logicalBits | uint64(logical))
}

// WallMillis returns the physical part in milliseconds since the Unix epoch.
func (s Stamp) WallMillis() int64 { return int64(uint64(s) >> logicalBits) }

// Logical returns the logical counter.
func (s Stamp) Logical() uint16 { return uint16(uint64(s) & MaxLogical) }

// Time returns the physical part as a time.Time in UTC.
func (s Stamp) Time() time.Time { return time.UnixMilli(s.WallMillis()).UTC() }

func (s Stamp) String() string {
	return fmt.Sprintf("%s/%d", s.Time().Format("2006-01-02T15:04:05.000Z"), s.Logical())
}

// Persister stores a ceiling above every stamp issued so that a restarted
// clock never goes backwards, even when the wall clock was set back in
// between. The clock saves a new ceiling only when it passes the old one, so
// most stamps cost no write.
type Persister interface {
	LoadStamp() (Stamp, error)
	SaveStamp(Stamp) error
}

// Clock issues stamps. It is safe for concurrent use.
type Clock struct {
	now       func() time.Time
	persister Persister

	mu      sync.Mutex
	last    Stamp // guarded by mu
	ceiling Stamp // guarded by mu; the value last saved to persister
}

// ceilingWindow is how far ahead of the latest stamp the saved ceiling sits.
const ceilingWindow = 2 * time.Second

// New returns a clock that starts after the stamp the persister holds.
// now may be nil, in which case time.Now is used. persister may be nil for a
// clock that lives only in memory (tests, tools).
func New(now func() time.Time, persister Persister) (*Clock, error) {
	if now == nil {
		now = time.Now
	}
	c := &Clock{now: now, persister: persister}
	if persister != nil {
		last, err := persister.LoadStamp()
		if err != nil {
			return nil, fmt.Errorf("loading clock stamp: %w", err)
		}
		c.last = last
		c.ceiling = last
	}
	return c, nil
}

// Now issues a new stamp, greater than every stamp issued or observed before.
func (c *Clock) Now() (Stamp, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.advanceLocked()
}

// Observe moves the clock past a stamp received from another replica, so
// that the next local stamp orders after it.
func (c *Clock) Observe(remote Stamp) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if remote <= c.last {
		return nil
	}
	c.last = remote
	return c.saveLocked()
}

// Last returns the highest stamp issued or observed.
func (c *Clock) Last() Stamp {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.last
}

func (c *Clock) advanceLocked() (Stamp, error) {
	wall := c.now().UnixMilli()
	if wall < 0 {
		wall = 0
	}
	base := c.last
	var next Stamp
	if wall > base.WallMillis() {
		next = Make(wall, 0)
	} else {
		if base.Logical() == MaxLogical {
			// Borrow the next millisecond rather than fail: the stamp stays
			// unique and ordered, and runs at most a little ahead of wall time.
			next = Make(base.WallMillis()+1, 0)
		} else {
			next = base + 1
		}
	}
	c.last = next
	if err := c.saveLocked(); err != nil {
		return 0, err
	}
	return next, nil
}

func (c *Clock) saveLocked() error {
	if c.persister == nil || c.last < c.ceiling {
		return nil
	}
	ceiling := Make(c.last.WallMillis()+ceilingWindow.Milliseconds(), 0)
	if err := c.persister.SaveStamp(ceiling); err != nil {
		return fmt.Errorf("saving clock stamp: %w", err)
	}
	c.ceiling = ceiling
	return nil
}
