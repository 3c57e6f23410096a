package main

import (
	"errors"
	"fmt"
	"os"
	"time"

	"mobilefactory/shared/cli"
	"mobilefactory/shared/codes"
	"mobilefactory/shared/i18n"
	"mobilefactory/syncserver/hub"
	"mobilefactory/syncserver/pool"
)

// Roles a device can be enrolled with.
var roles = []string{"clerk", "reviewer", "fair", "central"}

func runEnrol(args []string) error {
	fs := cli.FlagSet(program, cli.Command{Name: "enrol", Summary: "server.enrol.summary", Usage: "server.enrol.usage"})
	dataDir := fs.String("data", defaultDataDir, "server.flag.data")
	college := fs.String("college", "", "server.flag.college")
	role := fs.String("role", "clerk", "server.flag.role")
	certFile := fs.String("cert", "", "server.flag.enrol_cert")
	ttl := fs.Duration("ttl", hub.EnrolTTL, "server.flag.enrol_ttl")
	if err := cli.Parse(fs, args); err != nil {
		return err
	}
	if *ttl < time.Minute || *ttl > hub.MaxEnrolTTL {
		return cli.Usagef("server.enrol.bad_ttl", ttl.String())
	}
	if *college == "" {
		return cli.Usagef("server.enrol.no_college")
	}
	c, ok := codes.MustLoad().College(*college)
	if !ok {
		return cli.Usagef("server.enrol.unknown_college", *college)
	}
	known := false
	for _, r := range roles {
		known = known || r == *role
	}
	if !known {
		return cli.Usagef("server.enrol.unknown_role", *role)
	}

	var resp hub.AdminEnrolResponse
	err := adminCall(*dataDir, "POST", "/admin/enrol", hub.AdminEnrolRequest{College: c.Code, Role: *role,
		TTLSeconds: int64(*ttl / time.Second)}, &resp)
	if errors.Is(err, errNotRunning) {
		err = withPool(*dataDir, func(p *pool.Pool) error {
			// The code carries the fingerprint of the certificate the
			// server will serve, made now if it has not started yet.
			fingerprint, err := certFingerprint(*dataDir, *certFile)
			if err != nil {
				return err
			}
			resp.Code, resp.ExpiresAt, err = hub.NewEnrolCodeTTL(p, c.Code, *role, fingerprint, *ttl)
			return err
		})
	}
	if err != nil {
		return err
	}
	fmt.Fprintln(os.Stderr, i18n.T("server.enrol.done", c.Name, c.Code, resp.ExpiresAt.Local().Format("2006-01-02 15:04")))
	fmt.Println(resp.Code)
	return nil
}
