package demo

import (
	"github.com/oklog/ulid/v2"

	"mobilefactory/shared/changeset"
	"mobilefactory/shared/hlc"
	"mobilefactory/shared/record"
)

// Changes returns the data as the change sets a device would push: one
// change per non-empty field, in the order of Data's fields (persons,
// programmes, classes, then each history kind), each record's fields in
// the kind's field order, then employers and demands. Each change is
// scoped to the record's college, or record.ProvinceScope for employers
// and demands, and numbered Seq 1..n. Stamps count up from start one by one, so a long
// run carries from the logical counter into the milliseconds. Changes
// panics on a record ID that is no ULID, which Generate never makes.
func (d Data) Changes(device string, start hlc.Stamp) []changeset.Change {
	out := make([]changeset.Change, 0, d.estimateChanges())
	add := func(kind record.Kind, id, scope string, fields map[string]string) {
		rid := ulid.MustParseStrict(id)
		for _, f := range record.FieldsOf(kind) {
			v := fields[f]
			if v == "" {
				continue
			}
			n := uint64(len(out))
			out = append(out, changeset.Change{
				Kind: kind, ID: rid, Scope: scope, Field: f, Value: v,
				Stamp: start + hlc.Stamp(n), Device: device, Seq: n + 1,
			})
		}
	}
	for _, p := range d.Persons {
		add(record.KindPerson, p.ID, p.College, p.Fields())
	}
	for _, p := range d.Programmes {
		add(record.KindProgramme, p.ID, p.College, p.Fields())
	}
	for _, c := range d.Classes {
		add(record.KindClass, c.ID, c.College, c.Fields())
	}
	for _, t := range d.Trainings {
		add(record.KindTraining, t.ID, t.College, t.Fields())
	}
	for _, a := range d.Assessments {
		add(record.KindAssessment, a.ID, a.College, a.Fields())
	}
	for _, in := range d.Internships {
		add(record.KindInternship, in.ID, in.College, in.Fields())
	}
	for _, a := range d.Awards {
		add(record.KindAward, a.ID, a.College, a.Fields())
	}
	for _, c := range d.Certificates {
		add(record.KindCertificate, c.ID, c.College, c.Fields())
	}
	for _, c := range d.Counsellings {
		add(record.KindCounselling, c.ID, c.College, c.Fields())
	}
	for _, e := range d.Employers {
		add(record.KindEmployer, e.ID, e.Scope, e.Fields())
	}
	for _, dm := range d.Demands {
		add(record.KindDemand, dm.ID, dm.Scope, dm.Fields())
	}
	return out
}

// estimateChanges returns about the number of changes Changes makes, from
// the typical number of non-empty fields of each kind.
func (d Data) estimateChanges() int {
	return len(d.Persons)*13 + len(d.Programmes)*5 + len(d.Classes)*4 +
		len(d.Trainings)*10 + len(d.Assessments)*7 + len(d.Internships)*13 +
		len(d.Awards)*9 + len(d.Certificates)*10 + len(d.Counsellings)*9 +
		len(d.Employers)*7 + len(d.Demands)*12
}

// ReviewStates counts the history records in each review state.
func (d Data) ReviewStates() map[string]int {
	out := make(map[string]int, len(record.ReviewStates))
	count := func(r record.Review) { out[r.Current()]++ }
	for _, t := range d.Trainings {
		count(t.Review)
	}
	for _, a := range d.Assessments {
		count(a.Review)
	}
	for _, in := range d.Internships {
		count(in.Review)
	}
	for _, a := range d.Awards {
		count(a.Review)
	}
	for _, c := range d.Certificates {
		count(c.Review)
	}
	for _, c := range d.Counsellings {
		count(c.Review)
	}
	return out
}
