package record

// Review states of a history record (审核状态). A clerk saves a draft and
// submits it; a reviewer approves or returns it with a reason. A correction
// of a record is a new version in ReviewPending, so editing an approved
// record sends it back to review. access.CheckReview holds who may make
// which transition.
const (
	ReviewDraft    = "draft"    // 草稿
	ReviewPending  = "pending"  // 待审核
	ReviewApproved = "approved" // 已通过
	ReviewReturned = "returned" // 已退回
)

// ReviewStates lists the review states in display order.
var ReviewStates = []string{ReviewDraft, ReviewPending, ReviewApproved, ReviewReturned}

// ReviewFields are the fields every history kind carries for review.
var ReviewFields = []string{FieldReview, FieldReviewReason, FieldReviewBy, FieldReviewAt, FieldSubmittedAt}

// Review is the review state of a history record.
type Review struct {
	State       string // one of ReviewStates; empty reads as ReviewDraft
	Reason      string // the reviewer's reason for returning it
	By          string // the account that approved or returned it
	At          string // ISO 8601 date of that decision
	SubmittedAt string // RFC 3339 time it was last submitted
}

// Approved reports whether the record was approved and so counts in
// matching, statistics and reports.
func (r Review) Approved() bool { return r.State == ReviewApproved }

// Current returns the state, reading empty as ReviewDraft.
func (r Review) Current() string {
	if r.State == "" {
		return ReviewDraft
	}
	return r.State
}

// put adds the review fields to f. Only set fields are written, so a save
// that does not touch the review leaves it as stored.
func (r Review) put(f map[string]string) map[string]string {
	for field, v := range map[string]string{
		FieldReview: r.State, FieldReviewReason: r.Reason, FieldReviewBy: r.By,
		FieldReviewAt: r.At, FieldSubmittedAt: r.SubmittedAt,
	} {
		if v != "" {
			f[field] = v
		}
	}
	return f
}

// ReviewFrom reads the review fields of stored values.
func ReviewFrom(f map[string]string) Review {
	return Review{State: f[FieldReview], Reason: f[FieldReviewReason], By: f[FieldReviewBy],
		At: f[FieldReviewAt], SubmittedAt: f[FieldSubmittedAt]}
}
