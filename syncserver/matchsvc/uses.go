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
	// Pool counts what the answer was drawn from: the eligible people for
	// job and transfer, the open demands for person (set below), as the
	// window's count line reads it. Indexed counts every entry.
	res := protocol.MatchResult{Use: req.Use, Pool: ix.engine.EligibleCount(), Indexed: ix.size,
		Built: ix.built.UnixMilli()}
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
		if note := ix.demandNote(n, req.Locale); note != "" {
			res.Notes = append(res.Notes, note)
		}
		hits := ix.engine.BestCandidates(ix.jobs[n], limit)
		res.Rows = ix.rows(hits, func(match.Hit) int { return n }, req.Locale)
		if len(res.Rows) == 0 {
			res.Notes = append(res.Notes, i18n.In(req.Locale, "server.match.none_job"))
		}
	case protocol.MatchPerson:
		if req.Person == "" {
			return res, invalid("server.match.no_person")
		}
		person, err := s.personSubject(ix, req.Person)
		if err != nil {
			return res, err
		}
		i := ix.position(canonical(person))
		if i < 0 {
			return res, s.unknownPerson(ix, person)
		}
		jobs, positions := ix.liveJobs(false)
		res.Pool = len(jobs)
		hits := ix.engine.BestJobs(i, jobs, limit)
		res.Rows = ix.rows(hits, func(h match.Hit) int { return positions[h.Job] }, req.Locale)
		if len(res.Rows) == 0 {
			res.Notes = append(res.Notes, s.personNote(person, req.Locale))
		}
	case protocol.MatchTransfer:
		if req.Employer == "" {
			return res, invalid("server.match.no_employer")
		}
		id, err := ix.employerSubject(req.Employer)
		if err != nil {
			return res, err
		}
		employer, ok := ix.employers[id]
		if !ok {
			return res, s.unknownEmployer(ix, req.Employer)
		}
		var note string
		res.Rows, note = ix.transfer(employer.Name, limit, req.Locale)
		if note != "" {
			res.Notes = append(res.Notes, note)
		}
	case protocol.MatchAssign:
		return s.assign(ix, req, res)
	case protocol.MatchRegions:
		jobs, _ := ix.liveJobs(false)
		for _, r := range ix.engine.RankRegions(jobs, regionThreshold) {
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
	if ok {
		return n, nil
	}
	if _, err := ulid.ParseStrict(strings.TrimSpace(id)); err != nil {
		return 0, invalid("server.match.bad_id", id)
	}
	if ix.position(canonical(id)) >= 0 {
		return 0, invalid("server.match.demand_is_person", id)
	}
	if _, ok := ix.employers[canonical(id)]; ok {
		return 0, invalid("server.match.demand_is_employer", id)
	}
	return 0, notFound("server.match.unknown_demand", id, refreshSeconds(s))
}

// unknownPerson returns the error for a person ID the index lacks: a
// malformed ID, the ID of a demand or employer, a deleted person, or an
// ID the pool has not seen (yet).
func (s *Service) unknownPerson(ix *index, id string) error {
	parsed, err := ulid.ParseStrict(strings.TrimSpace(id))
	if err != nil {
		return invalid("server.match.bad_id", id)
	}
	if _, ok := ix.demandPos[parsed.String()]; ok {
		return invalid("server.match.person_is_demand", id)
	}
	if _, ok := ix.employers[parsed.String()]; ok {
		return invalid("server.match.person_is_employer", id)
	}
	if deleted, err := s.pool.PersonDeleted(parsed); err != nil {
		return err
	} else if deleted {
		return notFound("server.match.person_deleted", id)
	}
	return notFound("server.match.unknown_person", id, refreshSeconds(s))
}

// unknownEmployer is unknownPerson for an employer ID.
func (s *Service) unknownEmployer(ix *index, id string) error {
	if _, err := ulid.ParseStrict(strings.TrimSpace(id)); err != nil {
		return invalid("server.match.bad_id", id)
	}
	if _, ok := ix.demandPos[canonical(id)]; ok {
		return invalid("server.match.employer_is_demand", id)
	}
	if ix.position(canonical(id)) >= 0 {
		return invalid("server.match.employer_is_person", id)
	}
	return notFound("server.match.unknown_employer", id, refreshSeconds(s))
}

// live reports whether demand n still recruits today: it is open and not
// past its End date (record.Demand.OpenOn), and the employer it names is
// still in the directory.
func (ix *index) live(n int, today string) bool {
	return ix.jobs[n].Demand.OpenOn(today) && ix.employerListed(n)
}

// employerListed reports whether demand n names no employer or one the
// directory still holds; a deleted employer's demands recruit nobody.
func (ix *index) employerListed(n int) bool {
	d := ix.jobs[n].Demand
	if d.Employer == "" {
		return true
	}
	_, ok := ix.employers[d.Employer]
	return ok
}

// liveJobs returns the demands that still recruit, with the position of
// each in ix.jobs. With closed set it keeps closed demands of listed
// employers too, as the transfer needs them to know an employer's season.
func (ix *index) liveJobs(closed bool) ([]*match.Job, []int) {
	var jobs []*match.Job
	var positions []int
	today := record.Today()
	for n, j := range ix.jobs {
		if ix.live(n, today) || (closed && ix.employerListed(n)) {
			jobs = append(jobs, j)
			positions = append(positions, n)
		}
	}
	return jobs, positions
}

// demandNote returns the notice for a demand that no longer recruits, or
// "" for a live one.
func (ix *index) demandNote(n int, locale string) string {
	d := ix.jobs[n].Demand
	switch {
	case !d.Open():
		return i18n.In(locale, "server.match.demand_closed_note", d.ID)
	case !d.OpenOn(record.Today()):
		return i18n.In(locale, "server.match.demand_ended_note", d.ID, d.End)
	case !ix.employerListed(n):
		return i18n.In(locale, "server.match.demand_no_employer_note", ix.jobs[n].Demand.ID)
	}
	return ""
}

// personNote returns why a person got no job: the consent, the
// employment status, or no open demand fitting them.
func (s *Service) personNote(id, locale string) string {
	parsed, err := ulid.ParseStrict(strings.TrimSpace(id))
	if err != nil {
		return i18n.In(locale, "server.match.none_person")
	}
	e, err := s.pool.EntryOf(parsed)
	if err != nil {
		s.log.Warn("reading a person to explain an empty match failed", "person", parsed.String(), "err", err)
		return i18n.In(locale, "server.match.none_person")
	}
	p := e.Person
	switch {
	case p.Erased != "":
		return i18n.In(locale, "server.match.person_erased")
	case p.Consent == record.ConsentWithdrawn:
		return i18n.In(locale, "server.match.person_consent_withdrawn")
	case p.Consent != record.ConsentGiven:
		return i18n.In(locale, "server.match.person_no_consent")
	case p.Status == record.StatusStudy:
		return i18n.In(locale, "server.match.person_study")
	case p.Status == record.StatusEmployed && p.WillReturn != record.WillReturnYes:
		return i18n.In(locale, "server.match.person_employed")
	case p.Status == record.StatusEmployed && !outsideJiangxi(p.WorkRegion):
		return i18n.In(locale, "server.match.person_employed_in_jiangxi")
	case p.Status != record.StatusSeeking:
		return i18n.In(locale, "server.match.person_status", statusName(p.Status, locale))
	}
	return i18n.In(locale, "server.match.none_person")
}

// outsideJiangxi reports whether a region code lies outside Jiangxi
// (province code 36), as the engine's availability rule reads it.
func outsideJiangxi(region string) bool { return len(region) >= 2 && region[:2] != "36" }

// statusName returns an employment status in the locale's words.
func statusName(status, locale string) string {
	if status == "" {
		return i18n.In(locale, "server.match.status_empty")
	}
	return i18n.In(locale, "status."+status)
}

// transfer returns the rows of an employer's off-season transfer: each
// released person's best transferJobs jobs, people ordered by their best
// score and numbered in that order, at most limit people. People without
// any fitting job get no row. When there are no rows it also returns why.
func (ix *index) transfer(employer string, limit int, locale string) ([]protocol.MatchRow, string) {
	jobs, positions := ix.liveJobs(true)
	// A demand without months or a short date range counts as all year in
	// the engine, so only a seasonal demand gives the employer a season.
	seasonal := false
	for _, j := range jobs {
		if j.EmployerName == employer && j.Seasonal() {
			seasonal = true
		}
	}
	plan := ix.engine.Transfer(employer, jobs, transferJobs)
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
			rows = append(rows, ix.row(rank, h, positions[h.Job], locale))
		}
	}
	switch {
	case len(rows) > 0:
		return rows, ""
	case !seasonal:
		return nil, i18n.In(locale, "server.match.transfer_no_season", employer)
	case plan.OffSeason == 0:
		return nil, i18n.In(locale, "server.match.transfer_all_year", employer)
	case len(plan.People) == 0:
		return nil, i18n.In(locale, "server.match.transfer_no_people", employer)
	}
	return nil, i18n.In(locale, "server.match.transfer_no_jobs", employer)
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
	if !access.ValidFairCode(code) {
		return res, invalid("server.match.bad_fair", code)
	}
	code = strings.ToUpper(code)
	visitors, err := s.fairVisitors(ix, access.FairScope(code))
	if err != nil {
		return res, err
	}
	if len(visitors) == 0 {
		return res, notFound("server.match.unknown_fair", code, refreshSeconds(s))
	}

	var jobs []int
	if len(req.Demands) == 0 {
		_, jobs = ix.liveJobs(false)
	}
	for _, id := range req.Demands {
		n, err := s.demand(ix, id)
		if err != nil {
			return res, err
		}
		if d := ix.jobs[n].Demand; !d.Open() {
			return res, invalid("server.match.demand_closed", id)
		} else if !d.OpenOn(record.Today()) {
			return res, invalid("server.match.demand_ended", id, d.End)
		}
		if !ix.employerListed(n) {
			return res, invalid("server.match.demand_no_employer", id)
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
	res.Assigned = len(hits)
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
	r := ix.personRow(rank, h, locale)
	j := ix.jobs[job]
	r.Demand, r.Employer, r.Title = j.Demand.ID, j.EmployerName, j.Demand.Title
	return r
}

// personRow returns the row of a hit with the person's columns, the
// score and the reasons, and no demand.
func (ix *index) personRow(rank int, h match.Hit, locale string) protocol.MatchRow {
	info := ix.people[h.Person]
	r := protocol.MatchRow{Rank: rank, Person: h.PersonID, Name: info.name, College: info.college,
		Major: info.major, GradYear: int(info.gradYear), Score: float64(h.Score),
		Reasons: make([]protocol.MatchReason, 0, len(h.Reasons))}
	if region := ix.engine.Profile(h.Person).Region; region != 0 {
		r.Region = strconv.FormatUint(uint64(region), 10)
	}
	for _, reason := range h.Reasons {
		r.Reasons = append(r.Reasons, protocol.MatchReason{Text: reason.Text(locale), Points: reason.Points})
	}
	return r
}
