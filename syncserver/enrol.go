package main

import (
	"errors"
	"fmt"
	"os"
	"time"

	"mobilefactory/shared/access"
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
	fair := fs.String("fair", "", "server.flag.fair")
	role := fs.String("role", "clerk", "server.flag.role")
	certFile := fs.String("cert", "", "server.flag.enrol_cert")
	ttl := fs.Duration("ttl", hub.EnrolTTL, "server.flag.enrol_ttl")
	if err := cli.Parse(fs, args); err != nil {
		return err
	}
	if *ttl < time.Minute || *ttl > hub.MaxEnrolTTL {
		return cli.Usagef("server.enrol.bad_ttl", ttl.String())
	}
	known := false
	for _, r := range roles {
		known = known || r == *role
	}
	if !known {
		return cli.Usagef("server.enrol.unknown_role", *role)
	}
	scope, name, err := enrolScope(access.Role(*role), *college, *fair)
	if err != nil {
		return err
	}

	var resp hub.AdminEnrolResponse
	err = adminCall(*dataDir, "POST", "/admin/enrol", hub.AdminEnrolRequest{College: scope, Role: *role,
		TTLSeconds: int64(*ttl / time.Second)}, &resp)
	if errors.Is(err, errNotRunning) {
		err = withPool(*dataDir, func(p *pool.Pool) error {
			// The code carries the fingerprint of the certificate the
			// server will serve, made now if it has not started yet.
			fingerprint, err := certFingerprint(*dataDir, *certFile)
			if err != nil {
				return err
			}
			resp.Code, resp.ExpiresAt, err = hub.NewEnrolCodeTTL(p, scope, *role, fingerprint, *ttl)
			return err
		})
	}
	if err != nil {
		return err
	}
	fmt.Fprintln(os.Stderr, i18n.T("server.enrol.done", name, scope, resp.ExpiresAt.Local().Format("2006-01-02 15:04")))
	fmt.Println(resp.Code)
	return nil
}

// enrolScope returns the scope a device of role is enrolled with and its
// name for messages: a fair's scope (access.FairScope) for the fair role,
// a college code for every other role. It returns a usage error when the
// flags do not fit the role.
func enrolScope(role access.Role, college, fair string) (scope, name string, err error) {
	if role == access.Fair {
		switch {
		case college != "":
			return "", "", cli.Usagef("server.enrol.fair_with_college", college)
		case fair == "":
			return "", "", cli.Usagef("server.enrol.no_fair")
		case !access.ValidFairCode(fair):
			return "", "", cli.Usagef("server.enrol.bad_fair", fair)
		}
		scope := access.FairScope(fair)
		code, _ := access.FairCode(scope)
		return scope, i18n.T("scope.fair", code), nil
	}
	if fair != "" {
		return "", "", cli.Usagef("server.enrol.fair_for_role", string(role))
	}
	if college == "" {
		return "", "", cli.Usagef("server.enrol.no_college")
	}
	c, ok := codes.MustLoad().College(college)
	if !ok {
		return "", "", cli.Usagef("server.enrol.unknown_college", college)
	}
	return c.Code, c.Name, nil
}
