package main

import (
	"fmt"
	"os"
	"time"

	"mobilefactory/shared/cli"
	"mobilefactory/shared/demo"
	"mobilefactory/shared/hlc"
	"mobilefactory/shared/i18n"
	"mobilefactory/shared/record"
	"mobilefactory/syncserver/pool"
)

// demoDevice is the device id the demo data carries as its author.
const demoDevice = "demo"

// demoNow is the time the demo data is generated at. A fixed time keeps the
// data identical for a seed whatever day it runs.
var demoNow = time.Date(2026, 7, 1, 9, 0, 0, 0, time.UTC)

func runDemo(args []string) error {
	fs := cli.FlagSet(program, cli.Command{Name: "demo", Summary: "server.demo.summary", Usage: "server.demo.usage"})
	dataDir := fs.String("data", defaultDataDir, "server.flag.data")
	people := fs.Int("people", 20000, "server.flag.people")
	seed := fs.Int64("seed", 1, "server.flag.seed")
	if err := cli.Parse(fs, args); err != nil {
		return err
	}
	if *people <= 0 || *people > 2_000_000 {
		return cli.Usagef("server.demo.bad_people", *people)
	}
	if err := os.MkdirAll(*dataDir, 0o700); err != nil {
		return fmt.Errorf("creating data folder: %w", err)
	}
	return withPool(*dataDir, func(p *pool.Pool) error {
		st, err := p.Stats()
		if err != nil {
			return err
		}
		if n := st.Total[record.KindPerson]; n > 0 {
			fmt.Fprintln(os.Stderr, i18n.T("server.demo.exists", n))
			return nil
		}
		data := demo.Generate(demo.Options{People: *people, Seed: *seed, Now: demoNow})
		changes := data.Changes(demoDevice, hlc.Make(demoNow.UnixMilli(), 0))
		if _, err := p.ApplyTrusted(changes); err != nil {
			return err
		}
		fmt.Fprintln(os.Stderr, i18n.T("server.demo.done", len(data.Persons), len(data.Trainings), len(data.Internships)))
		fmt.Fprintln(os.Stderr, i18n.T("server.demo.history", len(data.Programmes), len(data.Classes),
			len(data.Assessments), len(data.Awards), len(data.Certificates), len(data.Counsellings)))
		states := data.ReviewStates()
		fmt.Fprintln(os.Stderr, i18n.T("server.demo.review", states[record.ReviewApproved],
			states[record.ReviewPending], states[record.ReviewDraft], states[record.ReviewReturned]))
		fmt.Fprintln(os.Stderr, i18n.T("server.demo.sample", data.Persons[0].ID))
		return nil
	})
}
