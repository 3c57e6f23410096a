package ui

import (
	"time"

	"github.com/oklog/ulid/v2"

	"mobilefactory/desktop/store"
	"mobilefactory/shared/record"
)

// readEnrolments returns, for each person enrolled for re-training, the
// label of the class or programme of their latest re-training record, as
// the enrol dialog names it. A training record counts when it starts on or
// after the person's graduation day (see enrolmentStart), so the mark is
// the same whether the person was enrolled in the 回炉 tab, on a class page
// or on another device. Training during school does not count.
func readEnrolments(st *store.Store, people []record.Person) (map[string]string, error) {
	programmes, err := st.Programmes()
	if err != nil {
		return nil, err
	}
	classes, err := st.Classes()
	if err != nil {
		return nil, err
	}
	labels := map[trainingKey]string{}
	for _, t := range enrolTargets(programmes, classes) {
		if t.class != "" {
			labels[trainingKey{class: t.class}] = t.label
		} else {
			labels[trainingKey{programme: t.programme}] = t.label
		}
	}
	classByID := map[string]record.Class{}
	for _, c := range classes {
		classByID[c.ID] = c
	}

	out := map[string]string{}
	for _, p := range people {
		trainings, err := st.TrainingsOf(p.ID)
		if err != nil {
			return out, err
		}
		graduated := store.Graduated(p.GradYear)
		var latest time.Time
		for _, t := range trainings {
			start := enrolmentStart(t, classByID)
			if start.Before(graduated) || start.Before(latest) {
				continue
			}
			key := trainingKey{programme: t.Programme}
			if t.Class != "" {
				key = trainingKey{class: t.Class}
			}
			label, ok := labels[key]
			if !ok {
				// A class or programme not synced yet.
				continue
			}
			latest = start
			out[p.ID] = label
		}
	}
	return out, nil
}

// enrolmentStart returns when a training record's training starts: its
// class's start date, else its completion date, else the time the record
// version was written, taken from its ULID. A record whose dates cannot be
// read falls through to the next.
func enrolmentStart(t record.Training, classes map[string]record.Class) time.Time {
	if c, ok := classes[t.Class]; ok {
		if d, err := time.ParseInLocation(time.DateOnly, c.Start, time.Local); err == nil {
			return d
		}
	}
	for _, layout := range []string{time.DateOnly, "2006-01"} {
		if d, err := time.ParseInLocation(layout, t.Date, time.Local); err == nil {
			return d
		}
	}
	if id, err := ulid.ParseStrict(t.ID); err == nil {
		return ulid.Time(id.Time()).Local()
	}
	return time.Time{}
}
