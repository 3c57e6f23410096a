package protocol

// TypeMatch asks the server's matching (central office only); the server
// replies with TypeMatchResult, or TypeError with CodeRole for other roles.
const (
	TypeMatch       Type = 13
	TypeMatchResult Type = 14
)

// Uses of a MatchRequest.
const (
	MatchJob      = "job"      // best candidates for Demand
	MatchPerson   = "person"   // best open demands for Person
	MatchTransfer = "transfer" // off-season transfer of Employer's people
	MatchAssign   = "assign"   // assign Fair's visitors to the fair's demands under headcounts
	MatchRegions  = "regions"  // out-of-province prefectures ranked by matchable talent
)

// MatchRequest asks for one use of matching.
type MatchRequest struct {
	Use      string   `json:"use"`
	Demand   string   `json:"demand,omitempty"`   // demand ULID (job)
	Person   string   `json:"person,omitempty"`   // person ULID (person)
	Employer string   `json:"employer,omitempty"` // employer ULID (transfer)
	Fair     string   `json:"fair,omitempty"`     // fair code (assign)
	Demands  []string `json:"demands,omitempty"`  // demand ULIDs offered at the fair (assign)
	Limit    int      `json:"limit,omitempty"`    // 0: 50
	Locale   string   `json:"locale,omitempty"`   // reasons' locale, zh-Hans when empty
}

// MatchRow is one ranked pair. Personal numbers are never sent.
type MatchRow struct {
	Rank     int           `json:"rank"`
	Person   string        `json:"person"`
	Name     string        `json:"name"`
	College  string        `json:"college"` // college code
	Major    string        `json:"major"`   // major code
	GradYear int           `json:"grad_year"`
	Region   string        `json:"region"` // the person's current region code
	Demand   string        `json:"demand"`
	Employer string        `json:"employer"` // employer name
	Title    string        `json:"title"`    // the demand's job title
	Score    float64       `json:"score"`
	Reasons  []MatchReason `json:"reasons"`
}

// MatchReason is one scored fact of a MatchRow.
type MatchReason struct {
	Text   string  `json:"text"` // translated in the request's locale, e.g. 专业对口：数控技术
	Points float64 `json:"points"`
}

// RegionRow is one prefecture of a regions answer.
type RegionRow struct {
	Region string `json:"region"` // prefecture code
	Name   string `json:"name"`
	People int    `json:"people"` // matchable people working there and willing to return
}

// MatchResult answers a MatchRequest.
type MatchResult struct {
	Use     string      `json:"use"`
	Rows    []MatchRow  `json:"rows,omitempty"`
	Regions []RegionRow `json:"regions,omitempty"`
	Total   float64     `json:"total,omitempty"` // assign: the total score
	Pool    int         `json:"pool"`            // persons the answer was drawn from
	Built   int64       `json:"built"`           // Unix ms the server's index was built
}
