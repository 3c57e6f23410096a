package store

import (
	"errors"
	"fmt"
	"sort"
	"time"

	bolt "go.etcd.io/bbolt"

	"mobilefactory/shared/access"
	"mobilefactory/shared/changeset"
	"mobilefactory/shared/record"
)

// ErrReviewMove is returned when this device's role may not make a review
// transition, or the record's state does not allow it. The server checks
// the same rules; checking here shows the user the reason at once.
var ErrReviewMove = errors.New("review transition not allowed")

// SaveHistory writes a record of one of record.HistoryKinds and returns its
// id. Its fields are the kind's own fields and FieldPerson; review fields
// in it are ignored except FieldReview == record.ReviewDraft, which keeps
// it a draft unless it corrects an approved record. Any other save submits
// it for review (record.ReviewPending).
//
// A history record is an event: saving one with an id stores a new version
// that supersedes it, so a correction of an approved record goes back to
// review, and two clerks correcting one record both keep their correction.
func (s *Store) SaveHistory(kind record.Kind, id string, fields map[string]string) (string, error) {
	own, err := s.versionFields(kind, id, fields)
	if err != nil {
		return "", err
	}
	return s.save(kind, "", own)
}

// ReviewRef names one history record.
type ReviewRef struct {
	Kind record.Kind
	ID   string
}

// SetReview moves history records to a review state in place: submit
// (record.ReviewPending), take back (record.ReviewDraft), approve
// (record.ReviewApproved) or return with a reason (record.ReviewReturned).
// A decision records the signed-in account and today's date. Every record
// is checked first, so nothing changes when one of them may not move, and
// the error names it. The records of one kind then change in one
// transaction.
func (s *Store) SetReview(refs []ReviewRef, state, reason string) error {
	if state == record.ReviewReturned && reason == "" {
		return fmt.Errorf("%w: a returned record needs a reason", ErrReviewMove)
	}
	role := access.Role(s.role())
	byKind := map[record.Kind][]string{}
	var kinds []record.Kind
	for _, ref := range refs {
		if !ref.Kind.Reviewed() {
			return fmt.Errorf("%w: %s is not reviewed", ErrReviewMove, ref.Kind)
		}
		st, err := s.state(ref.Kind, ref.ID)
		if err != nil {
			return err
		}
		if role != "" {
			if err := access.CheckReview(role, st.Fields[record.FieldReview].Value, state); err != nil {
				return fmt.Errorf("%w: %s %s: %v", ErrReviewMove, ref.Kind, ref.ID, err)
			}
		}
		if _, ok := byKind[ref.Kind]; !ok {
			kinds = append(kinds, ref.Kind)
		}
		byKind[ref.Kind] = append(byKind[ref.Kind], ref.ID)
	}
	now := s.now()
	fields := map[string]string{record.FieldReview: state}
	switch state {
	case record.ReviewApproved, record.ReviewReturned:
		fields[record.FieldReviewBy] = s.Account()
		fields[record.FieldReviewAt] = now.Format(time.DateOnly)
		fields[record.FieldReviewReason] = reason
	case record.ReviewPending:
		fields[record.FieldSubmittedAt] = now.UTC().Format(time.RFC3339)
	}
	for _, kind := range kinds {
		ids := byKind[kind]
		batch := make([]map[string]string, len(ids))
		for i := range ids {
			batch[i] = fields
		}
		if _, err := s.SaveBatch(kind, ids, batch); err != nil {
			return err
		}
	}
	return nil
}

func (s *Store) role() string {
	id, _ := s.Identity()
	return id.Role
}

// History is a person's whole record: the latest version of each history
// record that is not deleted, in every review state, oldest first.
type History struct {
	Trainings    []record.Training
	Assessments  []record.Assessment
	Internships  []record.Internship
	Awards       []record.Award
	Certificates []record.Certificate
	Counsellings []record.Counselling
}

// HistoryOf returns a person's whole record.
func (s *Store) HistoryOf(personID string) (History, error) {
	var h History
	var err error
	if h.Trainings, err = s.TrainingsOf(personID); err != nil {
		return h, err
	}
	if h.Internships, err = s.InternshipsOf(personID); err != nil {
		return h, err
	}
	err = s.eachOfPerson(personID, record.KindAssessment, func(st *changeset.State) {
		h.Assessments = append(h.Assessments, record.AssessmentFrom(st.ID.String(), st.Scope, st.Values()))
	})
	if err == nil {
		err = s.eachOfPerson(personID, record.KindAward, func(st *changeset.State) {
			h.Awards = append(h.Awards, record.AwardFrom(st.ID.String(), st.Scope, st.Values()))
		})
	}
	if err == nil {
		err = s.eachOfPerson(personID, record.KindCertificate, func(st *changeset.State) {
			h.Certificates = append(h.Certificates, record.CertificateFrom(st.ID.String(), st.Scope, st.Values()))
		})
	}
	if err == nil {
		err = s.eachOfPerson(personID, record.KindCounselling, func(st *changeset.State) {
			h.Counsellings = append(h.Counsellings, record.CounsellingFrom(st.ID.String(), st.Scope, st.Values()))
		})
	}
	sort.SliceStable(h.Assessments, func(i, j int) bool { return h.Assessments[i].Date < h.Assessments[j].Date })
	sort.SliceStable(h.Awards, func(i, j int) bool { return h.Awards[i].Date < h.Awards[j].Date })
	sort.SliceStable(h.Certificates, func(i, j int) bool { return h.Certificates[i].Date < h.Certificates[j].Date })
	sort.SliceStable(h.Counsellings, func(i, j int) bool { return h.Counsellings[i].Date < h.Counsellings[j].Date })
	return h, err
}

// Approved returns the part of h a reviewer approved: what reports,
// matching and statistics count.
func (h History) Approved() History {
	return History{
		Trainings:    approvedOnly(h.Trainings, func(t record.Training) record.Review { return t.Review }),
		Assessments:  approvedOnly(h.Assessments, func(a record.Assessment) record.Review { return a.Review }),
		Internships:  approvedOnly(h.Internships, func(in record.Internship) record.Review { return in.Review }),
		Awards:       approvedOnly(h.Awards, func(a record.Award) record.Review { return a.Review }),
		Certificates: approvedOnly(h.Certificates, func(c record.Certificate) record.Review { return c.Review }),
		Counsellings: approvedOnly(h.Counsellings, func(c record.Counselling) record.Review { return c.Review }),
	}
}

func approvedOnly[T any](list []T, review func(T) record.Review) []T {
	var out []T
	for _, v := range list {
		if review(v).Approved() {
			out = append(out, v)
		}
	}
	return out
}

// QueueItem is a history record waiting for review.
type QueueItem struct {
	Kind        record.Kind
	ID          string
	College     string
	Person      string // ULID of the person
	Class       string // ULID of the class, for training records in one
	SubmittedAt string // RFC 3339
	Fields      map[string]string
}

// Latest returns the latest version of every history record of kind that is
// not deleted, with fn deciding which to keep; nil keeps all.
func (s *Store) latest(kind record.Kind, keep func(*changeset.State) bool) ([]*changeset.State, error) {
	var all []*changeset.State
	superseded := map[string]bool{}
	err := s.view(func(tx *bolt.Tx) error {
		return s.eachState(tx, kind, func(st *changeset.State) error {
			if prev := st.Fields[record.FieldSupersedes].Value; prev != "" {
				superseded[prev] = true
			}
			all = append(all, st)
			return nil
		})
	})
	if err != nil {
		return nil, err
	}
	var out []*changeset.State
	for _, st := range all {
		if st.Deleted() || superseded[st.ID.String()] || (keep != nil && !keep(st)) {
			continue
		}
		out = append(out, st)
	}
	return out, nil
}

// ReviewQueue returns the history records waiting for review
// (record.ReviewPending), oldest submission first.
func (s *Store) ReviewQueue() ([]QueueItem, error) {
	var out []QueueItem
	for _, kind := range record.HistoryKinds {
		states, err := s.latest(kind, func(st *changeset.State) bool {
			return st.Fields[record.FieldReview].Value == record.ReviewPending
		})
		if err != nil {
			return nil, err
		}
		for _, st := range states {
			v := st.Values()
			out = append(out, QueueItem{Kind: kind, ID: st.ID.String(), College: st.Scope,
				Person: v[record.FieldPerson], Class: v[record.FieldClass],
				SubmittedAt: v[record.FieldSubmittedAt], Fields: v})
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].SubmittedAt != out[j].SubmittedAt {
			return out[i].SubmittedAt < out[j].SubmittedAt
		}
		return out[i].ID < out[j].ID
	})
	return out, nil
}

// SaveProgramme writes a training programme and returns it with its id.
// Unlike history records, a programme changes in place.
func (s *Store) SaveProgramme(p record.Programme) (record.Programme, error) {
	if p.ID == record.BasicProgramme {
		return p, fmt.Errorf("saving programme: the basic programme is built in")
	}
	id, err := s.save(record.KindProgramme, p.ID, p.Fields())
	if err != nil {
		return p, err
	}
	p.ID, p.College = id, s.college()
	return p, nil
}

// Programmes returns the basic programme followed by every stored
// programme not deleted, by title.
func (s *Store) Programmes() ([]record.Programme, error) {
	states, err := s.latest(record.KindProgramme, nil)
	if err != nil {
		return nil, err
	}
	out := make([]record.Programme, 0, len(states)+1)
	for _, st := range states {
		out = append(out, record.ProgrammeFrom(st.ID.String(), st.Scope, st.Values()))
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Title < out[j].Title })
	return append([]record.Programme{record.Basic()}, out...), nil
}

// Programme returns the programme with the given id, the basic one for
// record.BasicProgramme.
func (s *Store) Programme(id string) (record.Programme, error) {
	if id == record.BasicProgramme {
		return record.Basic(), nil
	}
	st, err := s.state(record.KindProgramme, id)
	if err != nil {
		return record.Programme{}, err
	}
	return record.ProgrammeFrom(st.ID.String(), st.Scope, st.Values()), nil
}

// SaveClass writes a class and returns it with its id.
func (s *Store) SaveClass(c record.Class) (record.Class, error) {
	id, err := s.save(record.KindClass, c.ID, c.Fields())
	if err != nil {
		return c, err
	}
	c.ID, c.College = id, s.college()
	return c, nil
}

// Classes returns every class not deleted, newest start first.
func (s *Store) Classes() ([]record.Class, error) {
	states, err := s.latest(record.KindClass, nil)
	if err != nil {
		return nil, err
	}
	out := make([]record.Class, 0, len(states))
	for _, st := range states {
		out = append(out, record.ClassFrom(st.ID.String(), st.Scope, st.Values()))
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Start > out[j].Start })
	return out, nil
}

// Class returns the class with the given id.
func (s *Store) Class(id string) (record.Class, error) {
	st, err := s.state(record.KindClass, id)
	if err != nil {
		return record.Class{}, err
	}
	return record.ClassFrom(st.ID.String(), st.Scope, st.Values()), nil
}

// ClassMembers returns the latest training record of each member of a
// class.
func (s *Store) ClassMembers(classID string) ([]record.Training, error) {
	states, err := s.latest(record.KindTraining, func(st *changeset.State) bool {
		return st.Fields[record.FieldClass].Value == classID
	})
	if err != nil {
		return nil, err
	}
	out := make([]record.Training, len(states))
	for i, st := range states {
		out[i] = record.TrainingFrom(st.ID.String(), st.Scope, st.Values())
	}
	return out, nil
}

// RetrainingAfter is how long after graduation a graduate still without
// work is listed for re-training (回炉).
const RetrainingAfter = 12 // months

// Graduated returns the day a person of grad year graduated: 1 July, when
// vocational colleges hold graduation.
func Graduated(year int) time.Time { return time.Date(year, time.July, 1, 0, 0, 0, 0, time.Local) }

// Retraining returns the graduates still seeking work (record.StatusSeeking)
// RetrainingAfter months or more after graduating, as of now.
func (s *Store) Retraining(now time.Time) []record.Person {
	var out []record.Person
	for _, p := range s.Persons() {
		if p.Status != record.StatusSeeking || p.GradYear == 0 {
			continue
		}
		if !Graduated(p.GradYear).AddDate(0, RetrainingAfter, 0).After(now) {
			out = append(out, p)
		}
	}
	return out
}
