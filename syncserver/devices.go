package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"sort"
	"text/tabwriter"
	"time"

	"mobilefactory/shared/access"
	"mobilefactory/shared/cli"
	"mobilefactory/shared/codes"
	"mobilefactory/shared/i18n"
	"mobilefactory/shared/protocol"
	"mobilefactory/syncserver/hub"
	"mobilefactory/syncserver/pool"
)

func runDevices(args []string) error {
	fs := cli.FlagSet(program, cli.Command{Name: "devices", Summary: "server.devices.summary", Usage: "server.devices.usage"})
	dataDir := fs.String("data", defaultDataDir, "server.flag.data")
	asJSON := fs.Bool("json", false, "server.flag.json")
	if err := cli.Parse(fs, args); err != nil {
		return err
	}
	var devices []pool.Device
	err := adminCall(*dataDir, "GET", "/admin/devices", nil, &devices)
	if errors.Is(err, errNotRunning) {
		err = withExistingPool(*dataDir, func(p *pool.Pool) error {
			var err error
			devices, err = p.Devices()
			return err
		})
	}
	if err != nil {
		return err
	}
	sort.Slice(devices, func(i, j int) bool { return devices[i].LastContact.After(devices[j].LastContact) })
	if *asJSON {
		for i := range devices {
			devices[i].PublicKey = nil
		}
		enc := json.NewEncoder(os.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(devices)
	}
	tables := codes.MustLoad()
	w := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(w, i18n.T("server.devices.header"))
	for _, d := range devices {
		name := d.College
		if fair, ok := access.FairCode(d.College); ok {
			name = i18n.T("scope.fair", fair)
		}
		if c, ok := tables.College(d.College); ok {
			name = c.Name
		}
		last := i18n.T("server.devices.never")
		if !d.LastContact.IsZero() {
			last = d.LastContact.Local().Format("2006-01-02 15:04")
		}
		state := i18n.T("server.devices.active")
		if d.Revoked() {
			state = i18n.T("server.devices.revoked", d.RevokedAt.Local().Format("2006-01-02 15:04"))
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\t%d\t%s\t%s\n", d.ID, name, roleText(d.Role), state, last, d.ClientVersion, d.Acked,
			skewText(time.Duration(d.SkewMillis)*time.Millisecond), lastErrorText(d))
	}
	return w.Flush()
}

// roleText returns the name of a device role in the user's language, or
// the role itself when it has no translation.
func roleText(role string) string {
	if role == "" {
		return ""
	}
	if text := i18n.T("ui.role." + role); text != "ui.role."+role {
		return text
	}
	return role
}

// lastErrorText describes the failure of a device's last connection in the
// user's words; `devices --json` keeps the detail.
func lastErrorText(d pool.Device) string {
	switch {
	case d.LastError == "" && d.LastErrorCode == "":
		return ""
	case d.LastErrorCode == "":
		// Pools written before the category was stored.
		return i18n.T("server.devices.error.other")
	}
	switch d.LastErrorCode {
	case hub.CategoryTimeout, hub.CategoryConnection,
		string(protocol.CodeUpgrade), string(protocol.CodeAuth), string(protocol.CodeScope),
		string(protocol.CodeTooLarge), string(protocol.CodeCorrupt), string(protocol.CodeInvalid),
		string(protocol.CodeSequence), string(protocol.CodeInternal), string(protocol.CodeRevoked),
		string(protocol.CodeRole):
		return i18n.T("server.devices.error." + d.LastErrorCode)
	}
	return i18n.T("server.devices.error.other")
}

// skewText describes a device's clock skew in whole days, hours, minutes or
// seconds, ahead (+) or behind (-) the server. Under a second is no skew.
func skewText(skew time.Duration) string {
	if skew > -time.Second && skew < time.Second {
		return i18n.T("server.skew.none")
	}
	sign := "+"
	if skew < 0 {
		sign, skew = "-", -skew
	}
	switch {
	case skew >= 24*time.Hour:
		return sign + i18n.T("server.skew.days", int(skew/(24*time.Hour)))
	case skew >= time.Hour:
		return sign + i18n.T("server.skew.hours", int(skew/time.Hour))
	case skew >= time.Minute:
		return sign + i18n.T("server.skew.minutes", int(skew/time.Minute))
	}
	return sign + i18n.T("server.skew.seconds", int(skew/time.Second))
}
