package main

import (
	"errors"
	"fmt"
	"os"

	"mobilefactory/shared/cli"
	"mobilefactory/shared/i18n"
	"mobilefactory/syncserver/hub"
	"mobilefactory/syncserver/pool"
)

func runRevoke(args []string) error {
	fs := cli.FlagSet(program, cli.Command{Name: "revoke", Summary: "server.revoke.summary", Usage: "server.revoke.usage"})
	dataDir := fs.String("data", defaultDataDir, "server.flag.data")
	device, err := cli.ParseFile(fs, args, "server.revoke.no_device")
	if err != nil {
		return err
	}

	// A running server also cuts the device's open connections.
	var d pool.Device
	err = adminCall(*dataDir, "POST", "/admin/revoke", hub.AdminRevokeRequest{Device: device}, &d)
	if errors.Is(err, errNotRunning) {
		err = withExistingPool(*dataDir, func(p *pool.Pool) error {
			var err error
			d, err = p.Revoke(device)
			return err
		})
	}
	var status *adminStatusError
	if errors.Is(err, pool.ErrUnknownDevice) || (errors.As(err, &status) && status.code == hub.CodeUnknownDevice) {
		return errors.New(i18n.T("server.revoke.unknown", device))
	}
	if err != nil {
		return err
	}
	fmt.Fprintln(os.Stderr, i18n.T("server.revoke.done", d.ID, d.College, d.RevokedAt.Local().Format("2006-01-02 15:04")))
	return nil
}
