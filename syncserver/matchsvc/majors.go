package matchsvc

import (
	"context"

	"mobilefactory/shared/protocol"
	"mobilefactory/shared/record"
)

// MatchMajors ranks the best limit eligible people for majors in region,
// for the older `syncserver match --major … --region …` form. It compiles
// an ad hoc demand of those majors and region and ranks it on the current
// index, without reading the pool. The rows carry no demand.
//
// NOTE: the scores are the engine's points, and its hard filters apply
// (consent, and job seekers or people employed outside Jiangxi who will
// return), so the rows differ from match.Rank's full scan on a pool file.
func (s *Service) MatchMajors(ctx context.Context, majors []string, region string, limit int, locale string) ([]protocol.MatchRow, error) {
	if limit <= 0 || limit > MaxLimit {
		return nil, invalid("server.match.bad_limit", limit, MaxLimit)
	}
	ix, err := s.index(ctx)
	if err != nil {
		return nil, err
	}
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	job := ix.engine.CompileJob(record.Demand{Majors: majors, Region: region}, record.Employer{}, nil)
	hits := ix.engine.BestCandidates(job, limit)
	rows := make([]protocol.MatchRow, len(hits))
	for n, h := range hits {
		rows[n] = ix.personRow(n+1, h, locale)
	}
	return rows, nil
}
