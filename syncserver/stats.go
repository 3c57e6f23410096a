package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"text/tabwriter"

	"mobilefactory/shared/cli"
	"mobilefactory/shared/codes"
	"mobilefactory/shared/i18n"
	"mobilefactory/syncserver/hub"
	"mobilefactory/syncserver/pool"
)

func runStats(args []string) error {
	fs := cli.FlagSet(program, cli.Command{Name: "stats", Summary: "server.stats.summary", Usage: "server.stats.usage"})
	dataDir := fs.String("data", defaultDataDir, "server.flag.data")
	asJSON := fs.Bool("json", false, "server.flag.json")
	if err := cli.Parse(fs, args); err != nil {
		return err
	}

	var rep hub.StatsReport
	err := adminCall(*dataDir, "GET", "/admin/stats", nil, &rep)
	if errors.Is(err, errNotRunning) {
		err = withExistingPool(*dataDir, func(p *pool.Pool) error {
			st, err := p.Stats()
			rep = hub.StatsJSON(st)
			return err
		})
	}
	if err != nil {
		return err
	}
	tables := codes.MustLoad()
	for i := range rep.Colleges {
		if c, ok := tables.College(rep.Colleges[i].College); ok {
			rep.Colleges[i].Name = c.Name
		}
	}
	if *asJSON {
		enc := json.NewEncoder(os.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(rep)
	}

	// pool.Stats counts history records only when approved, so the
	// headings name them approved.
	w := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\n", i18n.T("server.stats.college_code"), i18n.T("server.stats.college"),
		i18n.T("server.stats.person"), i18n.T("server.stats.training_approved"), i18n.T("server.stats.internship_approved"),
		i18n.T("server.stats.certificate_approved"))
	for _, c := range rep.Colleges {
		fmt.Fprintf(w, "%s\t%s\t%d\t%d\t%d\t%d\n", c.College, c.Name, c.Counts["person"], c.Counts["training"],
			c.Counts["internship"], c.Counts["certificate"])
	}
	fmt.Fprintf(w, "%s\t\t%d\t%d\t%d\t%d\n", i18n.T("server.stats.total"), rep.Total["person"], rep.Total["training"],
		rep.Total["internship"], rep.Total["certificate"])
	if err := w.Flush(); err != nil {
		return err
	}
	fmt.Println(i18n.T("server.stats.footer", len(rep.Colleges), rep.Devices, rep.LogChanges))
	if rep.UnreadablePersons > 0 {
		fmt.Println(i18n.T("server.stats.unreadable", rep.UnreadablePersons))
	}
	return nil
}
