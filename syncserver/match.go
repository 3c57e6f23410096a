package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/oklog/ulid/v2"

	"mobilefactory/shared/changeset"
	"mobilefactory/shared/cli"
	"mobilefactory/shared/codes"
	"mobilefactory/shared/i18n"
	"mobilefactory/shared/match"
	"mobilefactory/shared/protocol"
	"mobilefactory/shared/record"
	"mobilefactory/shared/sheet"
	"mobilefactory/syncserver/matchsvc"
	"mobilefactory/syncserver/pool"
)

// MatchResult is one ranked candidate as the match command prints it.
// Personal numbers are left out: the list goes to employers.
type MatchResult struct {
	Rank       int      `json:"rank"`
	Person     string   `json:"person"`
	Name       string   `json:"name"`
	College    string   `json:"college"`
	Major      string   `json:"major"`
	GradYear   int      `json:"grad_year"`
	Status     string   `json:"status"`
	WorkRegion string   `json:"work_region,omitempty"`
	Score      float64  `json:"score"`
	Reasons    []string `json:"reasons"`
}

// candidates loads every live person of the pool who consented to be
// recommended and was not erased, with their approved training,
// internships and certificates (pool.EachCounted: a record waiting for
// review, or an approved one whose correction waits, does not count). A
// withdrawal of consent takes effect at the next query.
// NOTE: a full scan per query; inverted indexes over the pool come later.
func candidates(p *pool.Pool) ([]match.Candidate, error) {
	programmes := map[string]record.Programme{}
	err := p.Each(record.KindProgramme, func(st *changeset.State) error {
		programmes[st.ID.String()] = record.ProgrammeFrom(st.ID.String(), st.Scope, st.Values())
		return nil
	})
	if err != nil {
		return nil, err
	}
	byPerson := map[string]*match.Candidate{}
	var order []string
	err = p.Each(record.KindPerson, func(st *changeset.State) error {
		id := st.ID.String()
		person := record.PersonFrom(id, st.Scope, st.Values())
		if !person.Consented() {
			return nil
		}
		byPerson[id] = &match.Candidate{Person: person, Programmes: programmes}
		order = append(order, id)
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = p.EachCounted(record.KindTraining, func(st *changeset.State) error {
		t := record.TrainingFrom(st.ID.String(), st.Scope, st.Values())
		if c, ok := byPerson[t.Person]; ok {
			c.Trainings = append(c.Trainings, t)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = p.EachCounted(record.KindInternship, func(st *changeset.State) error {
		in := record.InternshipFrom(st.ID.String(), st.Scope, st.Values())
		if c, ok := byPerson[in.Person]; ok {
			c.Internships = append(c.Internships, in)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = p.EachCounted(record.KindCertificate, func(st *changeset.State) error {
		ct := record.CertificateFrom(st.ID.String(), st.Scope, st.Values())
		if c, ok := byPerson[ct.Person]; ok {
			c.Certificates = append(c.Certificates, ct)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	out := make([]match.Candidate, 0, len(order))
	for _, id := range order {
		out = append(out, *byPerson[id])
	}
	return out, nil
}

func rankPool(p *pool.Pool, q match.Query, locale string) ([]MatchResult, error) {
	cands, err := candidates(p)
	if err != nil {
		return nil, err
	}
	tables := codes.MustLoad()
	var out []MatchResult
	for i, r := range match.Rank(cands, q) {
		m := MatchResult{Rank: i + 1, Person: r.Person.ID, Name: r.Person.Name, Major: r.Person.Major,
			GradYear: r.Person.GradYear, Status: i18n.In(locale, "status."+r.Person.Status), Score: r.Score}
		if c, ok := tables.College(r.Person.College); ok {
			m.College = c.Name
		}
		if e, ok := tables.Majors.ByCode(r.Person.Major); ok {
			m.Major = e.Code + " " + e.Name
		}
		if r.Person.WorkRegion != "" {
			m.WorkRegion = tables.RegionName(r.Person.WorkRegion)
		}
		for _, reason := range r.Reasons {
			m.Reasons = append(m.Reasons, reason.Text(locale))
		}
		out = append(out, m)
	}
	return out, nil
}

// matchHandler serves /admin/match: a POST carries a
// protocol.MatchRequest for the matching service, a GET the older ranking
// by major and region. With a matching service the GET ranks on its index
// (see matchsvc.Service.MatchMajors). The full scan of rankPool, used
// without one, reads the whole pool into memory.
func matchHandler(p *pool.Pool, svc *matchsvc.Service, log *slog.Logger) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost {
			serveMatchRequest(w, r, svc, log)
			return
		}
		if r.Method != http.MethodGet {
			http.Error(w, "GET or POST only", http.StatusMethodNotAllowed)
			return
		}
		q := match.Query{Region: r.URL.Query().Get("region")}
		if m := r.URL.Query().Get("major"); m != "" {
			q.Majors = strings.Split(m, ",")
		}
		q.Limit, _ = strconv.Atoi(r.URL.Query().Get("n"))
		locale := r.URL.Query().Get("lang")
		if svc != nil {
			serveMajorsRanking(w, r, p, svc, q, locale, log)
			return
		}
		results, err := rankPool(p, q, locale)
		if err != nil {
			log.Error("match failed", "err", err)
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(results)
	}
}

// serveMajorsRanking serves the GET form of /admin/match from the
// matching service's index, in the shape rankPool returns.
func serveMajorsRanking(w http.ResponseWriter, r *http.Request, p *pool.Pool, svc *matchsvc.Service, q match.Query,
	locale string, log *slog.Logger) {
	if !svc.Ready() {
		writeMatchError(w, http.StatusServiceUnavailable, codeIndexBuilding, i18n.In(locale, "server.match.index_building"))
		return
	}
	limit := q.Limit
	if limit <= 0 {
		limit = defaultMajorsLimit
	}
	rows, err := svc.MatchMajors(r.Context(), q.Majors, q.Region, limit, locale)
	var merr *matchsvc.Error
	if errors.As(err, &merr) {
		writeMatchError(w, http.StatusBadRequest, string(protocol.CodeOf(err)), merr.Message(locale))
		return
	}
	if err != nil {
		log.Error("ranking by major on the index failed", "majors", q.Majors, "region", q.Region, "err", err)
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	results, err := majorsResults(p, rows, locale)
	if err != nil {
		log.Error("reading the ranked people failed", "majors", q.Majors, "err", err)
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(results)
}

// defaultMajorsLimit is the number of candidates the GET form of
// /admin/match lists without n, as the match command's -n default.
const defaultMajorsLimit = 20

// majorsResults turns the service's rows into the match command's
// results, reading each listed person's status and work region from the
// pool.
func majorsResults(p *pool.Pool, rows []protocol.MatchRow, locale string) ([]MatchResult, error) {
	tables := codes.MustLoad()
	out := make([]MatchResult, 0, len(rows))
	for _, row := range rows {
		m := MatchResult{Rank: row.Rank, Person: row.Person, Name: row.Name, Major: row.Major,
			GradYear: row.GradYear, Score: row.Score}
		if c, ok := tables.College(row.College); ok {
			m.College = c.Name
		}
		if e, ok := tables.Majors.ByCode(row.Major); ok {
			m.Major = e.Code + " " + e.Name
		}
		if id, err := ulid.ParseStrict(row.Person); err == nil {
			entry, err := p.EntryOf(id)
			if err != nil && !errors.Is(err, pool.ErrNoPerson) {
				return nil, err
			}
			if err == nil {
				m.Status = i18n.In(locale, "status."+entry.Person.Status)
				if entry.Person.WorkRegion != "" {
					m.WorkRegion = tables.RegionName(entry.Person.WorkRegion)
				}
			}
		}
		for _, reason := range row.Reasons {
			m.Reasons = append(m.Reasons, reason.Text)
		}
		out = append(out, m)
	}
	return out, nil
}

func runMatch(args []string) error {
	if len(args) > 0 && slices.Contains(matchUses, args[0]) {
		return runMatchUse(args[0], args[1:])
	}
	// The ranking by major takes flags only, so a first word is a mistyped use.
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		return cli.Usagef("server.match.unknown_subcommand", args[0])
	}
	fs := cli.FlagSet(program, cli.Command{Name: "match", Summary: "server.match.summary", Usage: "server.match.usage"})
	dataDir := fs.String("data", defaultDataDir, "server.flag.data")
	majors := fs.String("major", "", "server.flag.major")
	region := fs.String("region", "", "server.flag.region")
	n := fs.Int("n", 20, "server.flag.n")
	asJSON := fs.Bool("json", false, "server.flag.json")
	out := fs.String("out", "", "server.flag.match_out")
	if err := cli.Parse(fs, args); err != nil {
		return err
	}
	if err := checkOut(*out, "人选.xlsx"); err != nil {
		return err
	}
	tables := codes.MustLoad()
	q := match.Query{Region: *region, Limit: *n}
	for _, m := range strings.Split(*majors, ",") {
		m = strings.TrimSpace(m)
		if m == "" {
			continue
		}
		if _, ok := tables.Majors.ByCode(m); !ok {
			// A major may also be given by its name, as on the desktop.
			byName := tables.Majors.ByName(m)
			if len(byName) != 1 {
				return cli.Usagef("server.match.unknown_major", m)
			}
			m = byName[0].Code
		}
		q.Majors = append(q.Majors, m)
	}
	if len(q.Majors) == 0 {
		return cli.Usagef("server.match.no_major")
	}
	if q.Region != "" {
		if _, ok := tables.Regions.ByCode(q.Region); !ok {
			return cli.Usagef("server.match.unknown_region", q.Region)
		}
	}
	if *n <= 0 {
		return cli.Usagef("server.match.bad_n", *n)
	}

	var results []MatchResult
	path := "/admin/match?" + url.Values{"major": {strings.Join(q.Majors, ",")}, "region": {q.Region},
		"n": {strconv.Itoa(*n)}, "lang": {i18n.Locale()}}.Encode()
	err := adminCall(*dataDir, "GET", path, nil, &results)
	if errors.Is(err, errNotRunning) {
		err = withExistingPool(*dataDir, func(p *pool.Pool) error {
			var err error
			results, err = rankPool(p, q, i18n.Locale())
			return err
		})
	}
	if err != nil {
		return err
	}
	if *out != "" {
		if err := sheet.Write(*out, matchTable(results)); err != nil {
			return err
		}
		fmt.Println(i18n.T("server.match.out_written", len(results), *out))
	}
	if *asJSON {
		enc := json.NewEncoder(os.Stdout)
		enc.SetIndent("", "  ")
		if results == nil {
			results = []MatchResult{}
		}
		return enc.Encode(results)
	}
	if len(results) == 0 {
		fmt.Println(i18n.T("server.match.none"))
		return nil
	}
	w := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', 0)
	for _, r := range results {
		fmt.Fprintf(w, "%d.\t%s\t%s\t%s\t%d\t%s\t%s %.1f\n", r.Rank, r.Name, r.College, r.Major, r.GradYear, r.Status,
			i18n.T("server.match.score"), r.Score)
		for _, reason := range r.Reasons {
			fmt.Fprintf(w, "\t  · %s\n", reason)
		}
	}
	return w.Flush()
}

// matchTable returns the ranked list as a sheet table, with one line per
// reason in the reasons cell.
func matchTable(results []MatchResult) sheet.Table {
	t := sheet.Table{Sheet: i18n.T("match.sheet.name"), Columns: []sheet.Column{
		{Header: i18n.T("match.sheet.rank"), Number: true},
		{Header: i18n.T("match.sheet.name_column")},
		{Header: i18n.T("match.sheet.college")},
		{Header: i18n.T("match.sheet.major")},
		{Header: i18n.T("match.sheet.grad_year"), Number: true},
		{Header: i18n.T("match.sheet.status")},
		{Header: i18n.T("match.sheet.work_region")},
		{Header: i18n.T("match.sheet.score"), Number: true},
		{Header: i18n.T("match.sheet.reasons"), Width: 60},
	}}
	for _, r := range results {
		year := ""
		if r.GradYear != 0 {
			year = strconv.Itoa(r.GradYear)
		}
		t.Rows = append(t.Rows, []string{strconv.Itoa(r.Rank), r.Name, r.College, r.Major, year, r.Status,
			r.WorkRegion, strconv.FormatFloat(r.Score, 'f', 1, 64), strings.Join(r.Reasons, "\n")})
	}
	return t
}
