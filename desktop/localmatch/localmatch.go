// Package localmatch runs matching requests on a desktop store, for a
// device that works offline: a college clerk or a fair worker matches the
// store's own people against the job demands the device pulled. The
// central office asks the server instead, which holds the whole pool.
//
// Answers are read-only. The uses job, person and transfer are served;
// assign and regions need the provincial pool and fail with
// ErrUnsupportedUse.
package localmatch

import (
	"context"
	"errors"
	"fmt"

	"mobilefactory/desktop/store"
	"mobilefactory/shared/i18n"
	"mobilefactory/shared/match"
	"mobilefactory/shared/protocol"
	"mobilefactory/shared/record"
)

// DefaultLimit is the number of rows of a request whose Limit is 0.
const DefaultLimit = 50

// TransferJobsPerPerson is the number of jobs ranked for each released
// person of a transfer. A transfer row shows the best of them.
const TransferJobsPerPerson = 1

// Errors of Answer. Each is wrapped with the value it concerns.
var (
	// ErrUnsupportedUse is returned for the uses that need the provincial
	// pool (assign, regions) and for unknown uses.
	ErrUnsupportedUse = errors.New("use not served offline")
	// ErrNotFound is returned when the request's demand, person or
	// employer is not in the store.
	ErrNotFound = errors.New("not found in this device's store")
)

// Answer runs req on st. It reads every person of the store with
// their approved trainings, internships, certificates and latest approved
// assessment, the employers, demands and programmes, builds a match.Engine
// over them, and runs the request. Only people who consented to be
// recommended are read, because the Engine's hard filters drop the others
// anyway. Answer checks ctx between people and returns ctx.Err() when it
// ends. The result's Pool counts the eligible people for the uses job and
// transfer, and for the use person the demands of listed employers that
// still recruit today (record.Demand.OpenOn).
// Demands whose employer was deleted are offered to nobody.
//
// NOTE: the Engine is built again for every request. A college's store
// holds thousands of people, not the provincial pool, so this takes well
// under a second (BenchmarkAnswerJob).
func Answer(ctx context.Context, st *store.Store, req protocol.MatchRequest) (protocol.MatchResult, error) {
	switch req.Use {
	case protocol.MatchJob, protocol.MatchPerson, protocol.MatchTransfer:
	default:
		return protocol.MatchResult{}, fmt.Errorf("match use %q: %w", req.Use, ErrUnsupportedUse)
	}
	limit := req.Limit
	if limit <= 0 {
		limit = DefaultLimit
	}
	locale := req.Locale
	if locale == "" {
		locale = i18n.Chinese
	}

	d, err := load(ctx, st)
	if err != nil {
		return protocol.MatchResult{}, err
	}
	res := protocol.MatchResult{Use: req.Use, Pool: d.engine.EligibleCount(), Built: d.built.UnixMilli()}
	switch req.Use {
	case protocol.MatchJob:
		n, ok := d.demandIndex[req.Demand]
		if !ok {
			return res, fmt.Errorf("demand %s: %w", req.Demand, ErrNotFound)
		}
		for _, hit := range d.engine.BestCandidates(d.jobs[n], limit) {
			res.Rows = append(res.Rows, d.row(len(res.Rows)+1, hit, d.jobs[n], locale))
		}
	case protocol.MatchPerson:
		i := d.engine.Position(req.Person)
		if i < 0 {
			if _, ok := d.persons[req.Person]; !ok {
				return res, fmt.Errorf("person %s: %w", req.Person, ErrNotFound)
			}
			return res, nil // not consented: matched with nothing
		}
		res.Pool = d.openDemands
		// BestJobs skips closed and ended demands itself.
		for _, hit := range d.engine.BestJobs(i, d.live, limit) {
			res.Rows = append(res.Rows, d.row(len(res.Rows)+1, hit, d.live[hit.Job], locale))
		}
	case protocol.MatchTransfer:
		employer, ok := d.employers[req.Employer]
		if !ok {
			return res, fmt.Errorf("employer %s: %w", req.Employer, ErrNotFound)
		}
		res.Rows = d.transferRows(employer.Name, limit, locale)
	}
	return res, nil
}

// transferRows returns one row per person the employer releases, in the
// order of Engine.Transfer: the person's best job, or no job and a zero
// score when no other employer's demand fits them.
func (d *data) transferRows(employer string, limit int, locale string) []protocol.MatchRow {
	plan := d.engine.Transfer(employer, d.live, TransferJobsPerPerson)
	var rows []protocol.MatchRow
	for _, tp := range plan.People {
		if len(rows) == limit {
			break
		}
		if len(tp.Jobs) > 0 {
			hit := tp.Jobs[0]
			rows = append(rows, d.row(len(rows)+1, hit, d.live[hit.Job], locale))
			continue
		}
		rows = append(rows, d.personRow(len(rows)+1, tp.PersonID))
	}
	return rows
}

// row builds the MatchRow of a hit against job.
func (d *data) row(rank int, hit match.Hit, job *match.Job, locale string) protocol.MatchRow {
	r := d.personRow(rank, hit.PersonID)
	r.Demand, r.Employer, r.Title = job.Demand.ID, job.EmployerName, job.Demand.Title
	r.Score = float64(hit.Score)
	r.Reasons = make([]protocol.MatchReason, len(hit.Reasons))
	for n, reason := range hit.Reasons {
		r.Reasons[n] = protocol.MatchReason{Text: reason.Text(locale), Points: reason.Points}
	}
	return r
}

// personRow builds a MatchRow with the person's columns only. Personal
// numbers (ID number, phone, address) are left out.
func (d *data) personRow(rank int, personID string) protocol.MatchRow {
	p := d.persons[personID]
	region := p.HomeRegion
	if p.Status == record.StatusEmployed && p.WorkRegion != "" {
		region = p.WorkRegion
	}
	return protocol.MatchRow{Rank: rank, Person: p.ID, Name: p.Name, College: p.College, Major: p.Major,
		GradYear: p.GradYear, Region: region}
}
