package pool

import (
	"crypto/ed25519"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/oklog/ulid/v2"

	"mobilefactory/shared/changeset"
	"mobilefactory/shared/demo"
	"mobilefactory/shared/hlc"
	"mobilefactory/shared/record"
)

func BenchmarkApplyTrustedDemo2k(b *testing.B) {
	now := time.Date(2026, 7, 1, 0, 0, 0, 0, time.UTC)
	data := demo.Generate(demo.Options{People: 2000, Seed: 1, Now: now})
	changes := data.Changes("demo", hlc.Make(now.UnixMilli(), 0))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		p, err := Open(filepath.Join(b.TempDir(), "pool.db"), Options{})
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		if _, err := p.ApplyTrusted(changes); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		p.Close()
	}
	b.ReportMetric(float64(len(data.Persons)*b.N)/b.Elapsed().Seconds(), "persons/s")
}

// pushedDemo returns the changes a clerk's device pushes after saving the
// demo people of one college with their training records and internships,
// the history records submitted for review, numbered from 1, and the
// number of records.
func pushedDemo(device string, people int) ([]changeset.Change, int) {
	now := time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC)
	data := demo.Generate(demo.Options{People: people, Seed: 7, Now: now})
	submitted := record.Review{State: record.ReviewPending, SubmittedAt: "2026-12-01T08:00:00Z"}
	var changes []changeset.Change
	add := func(kind record.Kind, id string, fields map[string]string) {
		rid := ulid.MustParseStrict(id)
		for _, f := range record.FieldsOf(kind) {
			if fields[f] == "" {
				continue
			}
			n := uint64(len(changes)) + 1
			changes = append(changes, changeset.Change{Kind: kind, ID: rid, Scope: college, Field: f,
				Value: fields[f], Stamp: hlc.Make(now.UnixMilli(), 0) + hlc.Stamp(n), Device: device,
				Account: "王老师", Seq: n})
		}
	}
	for _, p := range data.Persons {
		p.College = college
		add(record.KindPerson, p.ID, p.Fields())
	}
	for _, t := range data.Trainings {
		t.Class, t.Review = "", submitted
		add(record.KindTraining, t.ID, t.Fields())
	}
	for _, in := range data.Internships {
		in.Review = submitted
		add(record.KindInternship, in.ID, in.Fields())
	}
	return changes, len(data.Persons) + len(data.Trainings) + len(data.Internships)
}

// BenchmarkApplyPush10kPersons applies, without the network, the pushes of
// 10,000 persons with their training records and internships from one
// clerk's device, in pushes of the client's default batch size.
func BenchmarkApplyPush10kPersons(b *testing.B) {
	const batch = 20_000
	var records int
	var cpu float64
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		p, err := Open(filepath.Join(b.TempDir(), "pool.db"), Options{})
		if err != nil {
			b.Fatal(err)
		}
		code, err := p.CreateEnrolment(college, "clerk", time.Hour)
		if err != nil {
			b.Fatal(err)
		}
		pub, _, _ := ed25519.GenerateKey(nil)
		d, err := p.Enrol(code, ulid.Make().String(), pub, "bench")
		if err != nil {
			b.Fatal(err)
		}
		changes, n := pushedDemo(d.ID, 10_000)
		records = n
		// Collect the setup's garbage now, so the timed pushes do not pay
		// for it.
		runtime.GC()
		cpuStart, _ := processCPU()
		b.StartTimer()

		for from := 0; from < len(changes); from += batch {
			part := changes[from:min(from+batch, len(changes))]
			res, err := p.ApplyPush(d.ID, part[0].Seq, part[len(part)-1].Seq, part)
			if err != nil {
				b.Fatal(err)
			}
			if len(res.Refused) != 0 {
				b.Fatalf("refused %d changes, first %+v", len(res.Refused), res.Refused[0])
			}
		}

		b.StopTimer()
		cpuEnd, _ := processCPU()
		cpu += cpuEnd - cpuStart
		p.Close()
	}
	b.ReportMetric(float64(records*b.N)/b.Elapsed().Seconds(), "records/s")
	if cpu > 0 {
		b.ReportMetric(float64(records*b.N)/cpu, "records/cpu-s")
	}
}
