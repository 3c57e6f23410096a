package demo

import (
	"github.com/oklog/ulid/v2"

	"mobilefactory/shared/changeset"
	"mobilefactory/shared/hlc"
	"mobilefactory/shared/record"
)

// Changes returns the data as the change sets a device would push: one
// change per non-empty field, persons first, then trainings, then
// internships, each record's fields in the kind's field order. Each change
// is scoped to the person's college and numbered Seq 1..n. Stamps count up
// from start one by one, so a long run carries from the logical counter into
// the milliseconds. Changes panics on a record ID that is no ULID, which
// Generate never makes.
func (d Data) Changes(device string, start hlc.Stamp) []changeset.Change {
	out := make([]changeset.Change, 0, len(d.Persons)*12+len(d.Trainings)*6+len(d.Internships)*7)
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
	for _, t := range d.Trainings {
		add(record.KindTraining, t.ID, t.College, t.Fields())
	}
	for _, in := range d.Internships {
		add(record.KindInternship, in.ID, in.College, in.Fields())
	}
	return out
}
