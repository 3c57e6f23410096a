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

// addValues adds one counted history record from its values, keeping
// only the latest assessment of each person by date.
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
// ID that is no ULID is left out, since no pool entry can name it.
func (h *history) refs() map[ulid.ULID][]histRef {
	out := map[ulid.ULID][]histRef{}
	put := func(kind record.Kind, person, id string) {
		pid, err := ulid.ParseStrict(person)
		if err != nil {
			return
		}
		rid, err := ulid.ParseStrict(id)
		if err != nil {
			return
		}
		out[pid] = append(out[pid], histRef{kind, rid})
	}
	for person, list := range h.trainings {
		for _, t := range list {
			put(record.KindTraining, person, t.ID)
		}
	}
	for person, list := range h.internships {
		for _, in := range list {
			put(record.KindInternship, person, in.ID)
		}
	}
	for person, list := range h.certificates {
		for _, ct := range list {
			put(record.KindCertificate, person, ct.ID)
		}
	}
	for person, a := range h.assessments {
		put(record.KindAssessment, person, a.ID)
	}
	for person, ids := range h.olderAssessments {
		for _, id := range ids {
			put(record.KindAssessment, person, id)
		}
	}
	return out
}
