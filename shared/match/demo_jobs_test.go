package match

import (
	"testing"

	"mobilefactory/shared/demo"
	"mobilefactory/shared/record"
)

// On demo data a 现代物流管理 graduate's best jobs are logistics jobs,
// because demo demands take their title, occupation and majors from one
// job.
func TestDemoLogisticsGraduateGetsLogisticsJobs(t *testing.T) {
	d := demo.Generate(demo.Options{People: 3000, Seed: 2, Demands: 2000})
	e := newTestEngine(Candidate{Person: record.Person{ID: idA, Major: "530802", GradYear: 2025,
		HomeRegion: "360102", Status: record.StatusSeeking, Consent: record.ConsentGiven}})
	employers := map[string]record.Employer{}
	for _, em := range d.Employers {
		employers[em.ID] = em
	}
	jobs := make([]*Job, len(d.Demands))
	for n, dm := range d.Demands {
		jobs[n] = e.CompileJob(dm, employers[dm.Employer], nil)
	}
	hits := e.BestJobs(0, jobs, 5)
	if len(hits) != 5 {
		t.Fatalf("got %d jobs, want 5", len(hits))
	}
	for _, h := range hits {
		if dm := jobs[h.Job].Demand; dm.Title != "仓储物流专员" || dm.Occupation[:7] != "4-02-06" {
			t.Errorf("job %s is %s (%s), score %d; want a logistics job", dm.ID, dm.Title, dm.Occupation, h.Score)
		}
	}
}
