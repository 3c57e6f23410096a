package syncclient

import (
	"time"

	"mobilefactory/shared/protocol"
)

// Status is the sync state the status bar shows.
type Status struct {
	Online    bool          // connected and authenticated
	Pending   int           // outbox entries not yet acknowledged
	LastSync  time.Time     // when the last complete push and pull ended; zero if never
	LastError error         // the last failure, nil once a sync succeeds
	Skew      time.Duration // this device's clock minus the server's, at the last connection
	// Devices is every enrolled device, fetched at each sync by a
	// central-office device; nil for other roles.
	Devices []protocol.DeviceInfo
}
