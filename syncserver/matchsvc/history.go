package matchsvc

import (
	"fmt"
	"slices"

	"github.com/oklog/ulid/v2"

	"mobilefactory/shared/changeset"
	"mobilefactory/shared/record"
	"mobilefactory/syncserver/pool"
)

// historyKinds are the kinds of history that matching counts.
var historyKinds = []record.Kind{record.KindTraining, record.KindInternship, record.KindCertificate, record.KindAssessment}

// isHistoryKind reports whether matching counts records of kind.
func isHistoryKind(kind record.Kind) bool { return slices.Contains(historyKinds, kind) }

func newHistory() history {
	return history{trainings: map[string][]record.Training{}, internships: map[string][]record.Internship{},
		certificates: map[string][]record.Certificate{}, assessments: map[string]record.Assessment{},
		olderAssessments: map[string][]string{}}
}

// add adds one counted history record.
func (h *history) add(st *changeset.State) {
	h.addValues(st.Kind, st.ID.String(), st.Scope, st.Values())
}

// addValues adds one counted history record from its values. Of each
// person's assessments, the latest by date counts and the others go to
// olderAssessments.
func (h *history) addValues(kind record.Kind, id, scope string, values map[string]string) {
	switch kind {
	case record.KindTraining:
		t := record.TrainingFrom(id, scope, values)
		h.trainings[t.Person] = append(h.trainings[t.Person], t)
	case record.KindInternship:
		in := record.InternshipFrom(id, scope, values)
		h.internships[in.Person] = append(h.internships[in.Person], in)
	case record.KindCertificate:
		ct := record.CertificateFrom(id, scope, values)
		h.certificates[ct.Person] = append(h.certificates[ct.Person], ct)
	case record.KindAssessment:
		a := record.AssessmentFrom(id, scope, values)
		old, ok := h.assessments[a.Person]
		switch {
		case !ok:
			h.assessments[a.Person] = a
		case a.Date >= old.Date:
			h.assessments[a.Person] = a
			h.olderAssessments[a.Person] = append(h.olderAssessments[a.Person], old.ID)
		default:
			h.olderAssessments[a.Person] = append(h.olderAssessments[a.Person], a.ID)
		}
	}
}

// readHistory reads the approved trainings, internships, certificates and
// assessments of every person.
func readHistory(p *pool.Pool) (history, error) {
	h := newHistory()
	for _, kind := range historyKinds {
		err := p.EachCountedValues(kind, func(id ulid.ULID, scope string, values map[string]string) error {
			h.addValues(kind, id.String(), scope, values)
			return nil
		})
		if err != nil {
			return h, fmt.Errorf("reading %s records: %w", kind, err)
		}
	}
	return h, nil
}

// refs returns the ULIDs of the records in h by person. A person or record
// ID that is no ULID is left out, since no pool entry can name it. The
// lists share one backing array, each capped at its length, so an append
// to one list copies it rather than overwrite its neighbour.
func (h *history) refs() map[ulid.ULID][]histRef {
	total := len(h.assessments)
	for _, list := range h.trainings {
		total += len(list)
	}
	for _, list := range h.internships {
		total += len(list)
	}
	for _, list := range h.certificates {
		total += len(list)
	}
	for _, ids := range h.olderAssessments {
		total += len(ids)
	}
	backing := make([]histRef, 0, total)
	out := make(map[ulid.ULID][]histRef, len(h.trainings))
	add := func(person string) {
		pid, err := ulid.ParseStrict(person)
		if err != nil {
			return
		}
		if _, done := out[pid]; done {
			return
		}
		start := len(backing)
		put := func(kind record.Kind, id string) {
			if rid, err := ulid.ParseStrict(id); err == nil {
				backing = append(backing, histRef{kind, rid})
			}
		}
		for _, t := range h.trainings[person] {
			put(record.KindTraining, t.ID)
		}
		for _, in := range h.internships[person] {
			put(record.KindInternship, in.ID)
		}
		for _, ct := range h.certificates[person] {
			put(record.KindCertificate, ct.ID)
		}
		if a, ok := h.assessments[person]; ok {
			put(record.KindAssessment, a.ID)
		}
		for _, id := range h.olderAssessments[person] {
			put(record.KindAssessment, id)
		}
		out[pid] = backing[start:len(backing):len(backing)]
	}
	for person := range h.trainings {
		add(person)
	}
	for person := range h.internships {
		add(person)
	}
	for person := range h.certificates {
		add(person)
	}
	for person := range h.assessments {
		add(person)
	}
	for person := range h.olderAssessments {
		add(person)
	}
	return out
}
