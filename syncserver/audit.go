package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"mobilefactory/shared/cli"
	"mobilefactory/shared/i18n"
	"mobilefactory/shared/record"
	"mobilefactory/syncserver/pool"
)

// errAuditBroken is returned by `syncserver audit --verify` when the chain
// is broken, after the message is printed.
var errAuditBroken = errors.New("audit log chain broken")

func runAudit(args []string) error {
	fs := cli.FlagSet(program, cli.Command{Name: "audit", Summary: "server.audit.summary", Usage: "server.audit.usage"})
	dataDir := fs.String("data", defaultDataDir, "server.flag.data")
	person := fs.String("person", "", "server.flag.person")
	account := fs.String("account", "", "server.flag.account")
	device := fs.String("device", "", "server.flag.device")
	fromText := fs.String("from", "", "server.flag.from")
	toText := fs.String("to", "", "server.flag.to")
	verify := fs.Bool("verify", false, "server.flag.verify")
	asJSON := fs.Bool("json", false, "server.flag.json")
	if err := cli.Parse(fs, args); err != nil {
		return err
	}
	filter := pool.AuditFilter{Person: *person, Account: *account, Device: *device}
	var err error
	if filter.From, err = parseDay(*fromText); err != nil {
		return err
	}
	if filter.To, err = parseDay(*toText); err != nil {
		return err
	}
	if !filter.To.IsZero() {
		// --to names the last day included.
		filter.To = filter.To.AddDate(0, 0, 1)
	}

	if *verify {
		return verifyAudit(*dataDir)
	}
	entries, err := readAudit(*dataDir, filter)
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(os.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(entries)
	}
	if len(entries) == 0 {
		fmt.Println(i18n.T("server.audit.none"))
		return nil
	}
	w := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(w, i18n.T("server.audit.header"))
	for _, e := range entries {
		fmt.Fprintln(w, auditRow(e))
	}
	if err := w.Flush(); err != nil {
		return err
	}
	fmt.Println(i18n.T("server.audit.count", len(entries)))
	return nil
}

// parseDay reads a date as 2026-03-01 in local time; "" gives the zero time.
func parseDay(text string) (time.Time, error) {
	if text == "" {
		return time.Time{}, nil
	}
	day, err := time.ParseInLocation(time.DateOnly, text, time.Local)
	if err != nil {
		return time.Time{}, cli.Usagef("server.audit.bad_date", text)
	}
	return day, nil
}

// readAudit reads the matching entries through the running server, or from
// the pool file when no server runs on dataDir.
func readAudit(dataDir string, f pool.AuditFilter) ([]pool.AuditEntry, error) {
	q := url.Values{}
	for name, value := range map[string]string{"person": f.Person, "account": f.Account, "device": f.Device} {
		if value != "" {
			q.Set(name, value)
		}
	}
	for name, t := range map[string]time.Time{"from": f.From, "to": f.To} {
		if !t.IsZero() {
			q.Set(name, t.Format(time.RFC3339))
		}
	}
	var entries []pool.AuditEntry
	err := adminCall(dataDir, "GET", "/admin/audit?"+q.Encode(), nil, &entries)
	if errors.Is(err, errNotRunning) {
		err = withExistingPool(dataDir, func(p *pool.Pool) error {
			var err error
			entries, err = p.AuditEntries(f)
			return err
		})
	}
	return entries, err
}

// verifyAudit checks the chain through the running server or in the pool
// file, and prints the outcome.
func verifyAudit(dataDir string) error {
	var sum pool.AuditSummary
	err := adminCall(dataDir, "GET", "/admin/audit?verify=1", nil, &sum)
	if errors.Is(err, errNotRunning) {
		err = withExistingPool(dataDir, func(p *pool.Pool) error {
			var err error
			sum, err = p.VerifyAudit()
			return err
		})
	}
	// Through the server a broken chain arrives as an HTTP 409 error.
	if errors.Is(err, pool.ErrAuditChain) || (err != nil && strings.Contains(err.Error(), pool.ErrAuditChain.Error())) {
		fmt.Println(i18n.T("server.audit.broken", err))
		return errAuditBroken
	}
	if err != nil {
		return err
	}
	fmt.Println(i18n.T("server.audit.verified", sum.Entries, sum.Head))
	return nil
}

// auditRow formats one entry as a tab-separated table row.
func auditRow(e pool.AuditEntry) string {
	kind := ""
	if e.Kind != 0 {
		kind = i18n.T("server.audit.kind." + e.Kind.String())
	}
	fields := make([]string, len(e.Fields))
	for i, f := range e.Fields {
		// A field without a translation shows its own name.
		fields[i] = i18n.T("field." + f)
		if fields[i] == "field."+f {
			fields[i] = f
		}
	}
	reason := ""
	if e.Reason != "" {
		reason = i18n.T("server.audit.reason." + e.Reason)
	}
	cells := []string{fmt.Sprint(e.Seq), e.Time.Local().Format("2006-01-02 15:04:05"), i18n.T("server.audit.action." + e.Action),
		e.Device, roleText(e.Role), e.Account, kind, e.Record, scopeText(e.Scope), strings.Join(fields, "、"), reason}
	for i, c := range cells {
		if c == "" {
			cells[i] = "-"
		}
	}
	return strings.Join(cells, "\t")
}

// scopeText returns a scope as the audit table shows it: a college or fair
// scope as stored, the province scope in words.
func scopeText(scope string) string {
	if scope == record.ProvinceScope {
		return i18n.T("server.audit.scope.province")
	}
	return scope
}
