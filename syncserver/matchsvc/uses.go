package matchsvc

import (
	"context"
	"slices"
	"strconv"
	"strings"

	"github.com/oklog/ulid/v2"

	"mobilefactory/shared/access"
	"mobilefactory/shared/changeset"
	"mobilefactory/shared/i18n"
	"mobilefactory/shared/match"
	"mobilefactory/shared/protocol"
	"mobilefactory/shared/record"
)

// DefaultLimit is the number of rows a request without a limit gets,
// except MatchAssign, which returns every assigned pair.
const DefaultLimit = 50

// MaxLimit bounds MatchRequest.Limit.
const MaxLimit = 1000

// transferJobs is how many jobs MatchTransfer proposes for each person.
const transferJobs = 3

// regionThreshold is the score a returner must reach against some open
// Jiangxi demand to count in MatchRegions: a fit of the major class and
// the will to return.
const regionThreshold = match.PointsMajorClass + match.PointsWillReturn

// Match runs one request on the current index, waiting for the first
// build. A request naming a demand, person, employer or fair that the
// index lacks returns an *Error wrapping protocol.ErrNotFound; a malformed
// request one wrapping protocol.ErrInvalid.
func (s *Service) Match(ctx context.Context, req protocol.MatchRequest) (protocol.MatchResult, error) {
	if req.Limit < 0 || req.Limit > MaxLimit {
		return protocol.MatchResult{}, invalid("server.match.bad_limit", req.Limit, MaxLimit)
	}
	if req.Locale == "" {
		req.Locale = i18n.Chinese
	}
	ix, err := s.index(ctx)
	if err != nil {
		return protocol.MatchResult{}, err
	}
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	res := protocol.MatchResult{Use: req.Use, Pool: ix.size, Built: ix.built.UnixMilli()}
	limit := req.Limit
	if limit == 0 {
		limit = DefaultLimit
	}
	switch req.Use {
	case protocol.MatchJob:
		n, err := s.demand(ix, req.Demand)
		if err != nil {
			return res, err
		}
		hits := ix.engine.BestCandidates(ix.jobs[n], limit)
		res.Rows = ix.rows(hits, func(match.Hit) int { return n }, req.Locale)
	case protocol.MatchPerson:
		i := ix.position(canonical(req.Person))
		if req.Person == "" {
			return res, invalid("server.match.no_person")
		}
		if i < 0 {
			return res, notFound("server.match.unknown_person", req.Person, refreshSeconds(s))
		}
		hits := ix.engine.BestJobs(i, ix.jobs, limit)
		res.Rows = ix.rows(hits, func(h match.Hit) int { return h.Job }, req.Locale)
	case protocol.MatchTransfer:
		employer, ok := ix.employers[canonical(req.Employer)]
		if req.Employer == "" {
			return res, invalid("server.match.no_employer")
		}
		if !ok {
			return res, notFound("server.match.unknown_employer", req.Employer, refreshSeconds(s))
		}
		res.Rows = ix.transfer(employer.Name, limit, req.Locale)
	case protocol.MatchAssign:
		return s.assign(ix, req, res)
	case protocol.MatchRegions:
		for _, r := range ix.engine.RankRegions(ix.jobs, regionThreshold) {
			res.Regions = append(res.Regions, protocol.RegionRow{Region: r.Prefecture, Name: r.Name, People: r.People})
		}
		res.Regions = res.Regions[:min(len(res.Regions), limit)]
	default:
		return res, invalid("server.match.unknown_use", req.Use)
	}
	return res, nil
}

// canonical returns a ULID in its canonical upper-case form, as records
// name each other, or s unchanged when it is no ULID.
func canonical(s string) string {
	id, err := ulid.ParseStrict(strings.TrimSpace(s))
	if err != nil {
		return s
	}
	return id.String()
}

// demand returns the position of a demand in ix.jobs.
func (s *Service) demand(ix *index, id string) (int, error) {
	if id == "" {
		return 0, invalid("server.match.no_demand")
	}
	n, ok := ix.demandPos[canonical(id)]
	if !ok {
		return 0, notFound("server.match.unknown_demand", id, refreshSeconds(s))
	}
	return n, nil
}

// transfer returns the rows of an employer's off-season transfer: each
// released person's best transferJobs jobs, people ordered by their best
// score and numbered in that order, at most limit people. People without
// any fitting job get no row.
func (ix *index) transfer(employer string, limit int, locale string) []protocol.MatchRow {
	plan := ix.engine.Transfer(employer, ix.jobs, transferJobs)
	var rows []protocol.MatchRow
	rank := 0
	for _, person := range plan.People {
		if len(person.Jobs) == 0 {
			continue
		}
		if rank++; rank > limit {
			break
		}
		for _, h := range person.Jobs {
			rows = append(rows, ix.row(rank, h, h.Job, locale))
		}
	}
	return rows
}

// assign proposes jobs for a fair's visitors: the pool entries with a
// person record in the fair's scope, against the demands of the request
// or, when it names none, every open demand. Edges are every eligible
// visitor's positive scores, and match.Assign maximises their total under
// the demands' headcounts. A demand without a headcount offers one place.
func (s *Service) assign(ix *index, req protocol.MatchRequest, res protocol.MatchResult) (protocol.MatchResult, error) {
	code := strings.TrimSpace(req.Fair)
	if code == "" {
		return res, invalid("server.match.no_fair")
	}
	code = strings.TrimPrefix(code, access.FairScopePrefix)
	visitors, err := s.fairVisitors(ix, access.FairScopePrefix+code)
	if err != nil {
		return res, err
	}
	if len(visitors) == 0 {
		return res, notFound("server.match.unknown_fair", code, refreshSeconds(s))
	}

	var jobs []int
	if len(req.Demands) == 0 {
		jobs = ix.openJobs()
	}
	for _, id := range req.Demands {
		n, err := s.demand(ix, id)
		if err != nil {
			return res, err
		}
		if !slices.Contains(jobs, n) {
			jobs = append(jobs, n)
		}
	}
	headcounts := make([]int, len(jobs))
	for k, n := range jobs {
		headcounts[k] = max(ix.jobs[n].Demand.Headcount, 1)
	}
	var edges []match.Edge
	for v, i := range visitors {
		if !ix.engine.Eligible(i) {
			continue
		}
		for k, n := range jobs {
			if score, ok := ix.engine.Score(i, ix.jobs[n]); ok && score > 0 {
				edges = append(edges, match.Edge{Person: v, Job: k, Score: float64(score)})
			}
		}
	}
	a, err := match.Assign(len(visitors), headcounts, edges)
	if err != nil {
		// The edges are built above from valid indexes and positive
		// scores, so this is a bug, not bad input.
		return res, err
	}

	var hits []match.Hit
	for v, k := range a.Job {
		if k < 0 {
			continue
		}
		i := visitors[v]
		score, _ := ix.engine.Score(i, ix.jobs[jobs[k]])
		hits = append(hits, match.Hit{Person: i, PersonID: ix.engine.Profile(i).ID, Job: jobs[k], Score: score})
	}
	slices.SortFunc(hits, func(a, b match.Hit) int {
		if a.Score != b.Score {
			return b.Score - a.Score
		}
		return strings.Compare(a.PersonID, b.PersonID)
	})
	if req.Limit > 0 {
		hits = hits[:min(len(hits), req.Limit)]
	}
	for n := range hits {
		hits[n].Reasons = ix.engine.Explain(hits[n].Person, ix.jobs[hits[n].Job])
	}
	res.Rows = ix.rows(hits, func(h match.Hit) int { return h.Job }, req.Locale)
	res.Total = a.Total
	res.Pool = len(visitors)
	return res, nil
}

// fairVisitors returns the engine positions of the pool entries that hold
// a person record of the fair scope, in record order without repeats.
func (s *Service) fairVisitors(ix *index, scope string) ([]int, error) {
	seen := map[int]bool{}
	var out []int
	var from []byte
	for {
		changes, next, err := s.pool.Snapshot(scope, from, 20000)
		if err != nil {
			return nil, err
		}
		for _, c := range changes {
			if c.Kind != record.KindPerson || c.Scope != scope || !isFirstField(c) {
				continue
			}
			if i := ix.position(c.ID.String()); i >= 0 && !seen[i] {
				seen[i] = true
				out = append(out, i)
			}
		}
		if next == nil {
			return out, nil
		}
		from = next
	}
}

// isFirstField picks one change per record: the name, which every
// registration carries.
func isFirstField(c changeset.Change) bool { return c.Field == record.FieldName }

// rows returns the result rows of hits, numbered from 1; job gives the
// position of each hit's demand in ix.jobs.
func (ix *index) rows(hits []match.Hit, job func(match.Hit) int, locale string) []protocol.MatchRow {
	rows := make([]protocol.MatchRow, 0, len(hits))
	for n, h := range hits {
		rows = append(rows, ix.row(n+1, h, job(h), locale))
	}
	return rows
}

func (ix *index) row(rank int, h match.Hit, job int, locale string) protocol.MatchRow {
	info := ix.people[h.Person]
	j := ix.jobs[job]
	r := protocol.MatchRow{Rank: rank, Person: h.PersonID, Name: info.name, College: info.college,
		Major: info.major, GradYear: int(info.gradYear), Demand: j.Demand.ID, Employer: j.EmployerName,
		Title: j.Demand.Title, Score: float64(h.Score), Reasons: make([]protocol.MatchReason, 0, len(h.Reasons))}
	if region := ix.engine.Profile(h.Person).Region; region != 0 {
		r.Region = strconv.FormatUint(uint64(region), 10)
	}
	for _, reason := range h.Reasons {
		r.Reasons = append(r.Reasons, protocol.MatchReason{Text: reason.Text(locale), Points: reason.Points})
	}
	return r
}
