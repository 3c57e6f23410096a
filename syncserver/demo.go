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

// demoPart is the number of people Stream makes per part: large enough to
// keep ApplyTrusted's transactions full, small enough that a part's
// changes (about 60 per person) take a few hundred MiB at most.
const demoPart = 20_000

// maxDemands bounds --demands.
const maxDemands = 100_000

func runDemo(args []string) error {
	fs := cli.FlagSet(program, cli.Command{Name: "demo", Summary: "server.demo.summary", Usage: "server.demo.usage"})
	dataDir := fs.String("data", defaultDataDir, "server.flag.data")
	people := fs.Int("people", 20000, "server.flag.people")
	demands := fs.Int("demands", 0, "server.flag.demands")
	seed := fs.Int64("seed", 1, "server.flag.seed")
	if err := cli.Parse(fs, args); err != nil {
		return err
	}
	if *people <= 0 || *people > 2_000_000 {
		return cli.Usagef("server.demo.bad_people", *people)
	}
	if *demands < 0 || *demands > maxDemands {
		return cli.Usagef("server.demo.bad_demands", *demands)
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
		opts := demo.Options{People: *people, Demands: *demands, Seed: *seed, Now: demoNow}
		sum, err := loadDemo(p, opts, demoPart)
		if err != nil {
			return err
		}
		fmt.Fprintln(os.Stderr, i18n.T("server.demo.done", sum.persons, sum.trainings, sum.internships))
		fmt.Fprintln(os.Stderr, i18n.T("server.demo.history", sum.programmes, sum.classes,
			sum.assessments, sum.awards, sum.certificates, sum.counsellings))
		fmt.Fprintln(os.Stderr, i18n.T("server.demo.demands", sum.employers, sum.demands, sum.linkedDemands))
		fmt.Fprintln(os.Stderr, i18n.T("server.demo.review", sum.review[record.ReviewApproved],
			sum.review[record.ReviewPending], sum.review[record.ReviewDraft], sum.review[record.ReviewReturned]))
		fmt.Fprintln(os.Stderr, i18n.T("server.demo.sample", sum.sample))
		return nil
	})
}

// demoSummary counts what loadDemo wrote.
type demoSummary struct {
	persons, trainings, internships, programmes, classes int
	assessments, awards, certificates, counsellings      int
	employers, demands, linkedDemands                    int
	review                                               map[string]int
	sample                                               string // ULID of the sample person
}

// loadDemo generates the demo data of opts in parts of partSize people and
// applies each part's changes to the pool, so memory stays bounded at
// 1,000,000 people.
// Stamps continue from one part to the next, as if one device had pushed
// them all.
func loadDemo(p *pool.Pool, opts demo.Options, partSize int) (demoSummary, error) {
	sum := demoSummary{review: map[string]int{}}
	stamp := hlc.Make(demoNow.UnixMilli(), 0)
	err := demo.Stream(opts, partSize, func(part demo.Data) error {
		changes := part.Changes(demoDevice, stamp)
		stamp += hlc.Stamp(len(changes))
		if _, err := p.ApplyTrusted(changes); err != nil {
			return err
		}
		if sum.sample == "" {
			sum.sample = part.Persons[0].ID
		}
		sum.add(part)
		return nil
	})
	return sum, err
}

func (s *demoSummary) add(d demo.Data) {
	s.persons += len(d.Persons)
	s.trainings += len(d.Trainings)
	s.internships += len(d.Internships)
	s.programmes += len(d.Programmes)
	s.classes += len(d.Classes)
	s.assessments += len(d.Assessments)
	s.awards += len(d.Awards)
	s.certificates += len(d.Certificates)
	s.counsellings += len(d.Counsellings)
	s.employers += len(d.Employers)
	s.demands += len(d.Demands)
	for _, dm := range d.Demands {
		if dm.Programme != "" {
			s.linkedDemands++
		}
	}
	for state, n := range d.ReviewStates() {
		s.review[state] += n
	}
}
