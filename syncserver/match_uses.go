package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"mobilefactory/shared/access"
	"mobilefactory/shared/cli"
	"mobilefactory/shared/codes"
	"mobilefactory/shared/i18n"
	"mobilefactory/shared/protocol"
	"mobilefactory/shared/sheet"
	"mobilefactory/syncserver/matchsvc"
	"mobilefactory/syncserver/pool"
)

// matchUses are the subcommands of match, each a protocol.MatchRequest use.
var matchUses = []string{protocol.MatchJob, protocol.MatchPerson, protocol.MatchTransfer,
	protocol.MatchAssign, protocol.MatchRegions}

// codeIndexBuilding is the HTTPError code of a match request that came
// before the first build of the matching index ended.
const codeIndexBuilding = "index_building"

// serveMatchRequest answers a POSTed protocol.MatchRequest. A request the
// service cannot answer gets 404 (not found) or 400 (invalid) with an
// HTTPError whose message is in the request's locale. Before the first
// index build ends it gets 503 with codeIndexBuilding at once, because that
// build takes minutes on a large pool.
func serveMatchRequest(w http.ResponseWriter, r *http.Request, svc *matchsvc.Service, log *slog.Logger) {
	var req protocol.MatchRequest
	if err := json.NewDecoder(io.LimitReader(r.Body, 1<<20)).Decode(&req); err != nil {
		writeMatchError(w, http.StatusBadRequest, string(protocol.CodeCorrupt), err.Error())
		return
	}
	if !svc.Ready() {
		log.Info("match request before the first index build ended", "use", req.Use)
		writeMatchError(w, http.StatusServiceUnavailable, codeIndexBuilding, i18n.In(req.Locale, "server.match.index_building"))
		return
	}
	res, err := svc.Match(r.Context(), req)
	var merr *matchsvc.Error
	switch {
	case errors.As(err, &merr):
		status := http.StatusBadRequest
		if errors.Is(err, protocol.ErrNotFound) {
			status = http.StatusNotFound
		}
		writeMatchError(w, status, string(protocol.CodeOf(err)), merr.Message(req.Locale))
		return
	case err != nil:
		log.Error("match request failed", "use", req.Use, "err", err)
		writeMatchError(w, http.StatusInternalServerError, string(protocol.CodeInternal), err.Error())
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(res)
}

func writeMatchError(w http.ResponseWriter, status int, code, message string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(protocol.HTTPError{Code: code, Message: message})
}

// demandList is a repeatable flag of demand ULIDs; a value may also list
// several, separated by commas.
type demandList []string

func (d *demandList) String() string { return strings.Join(*d, ",") }

func (d *demandList) Set(v string) error {
	for _, id := range strings.Split(v, ",") {
		if id = strings.TrimSpace(id); id != "" {
			*d = append(*d, id)
		}
	}
	return nil
}

// runMatchUse runs `match USE [SUBJECT] [flags]`: one use of the matching
// service, through the running server's admin endpoint, or on the pool
// file when no server runs.
func runMatchUse(use string, args []string) error {
	fs := cli.FlagSet(program, cli.Command{Name: "match " + use, Summary: "server.match.summary_" + use,
		Usage: "server.match.usage_" + use})
	dataDir := fs.String("data", defaultDataDir, "server.flag.data")
	n := fs.Int("n", 0, "server.flag.match_n")
	// The help text of -n states its default, which depends on the use.
	fs.Lookup("n").DefValue = ""
	asJSON := fs.Bool("json", false, "server.flag.json")
	out := fs.String("out", "", "server.flag.match_out")
	var fair string
	var demands demandList
	if use == protocol.MatchAssign {
		fs.StringVar(&fair, "fair", "", "server.flag.fair_code")
		fs.Var(&demands, "demand", "server.flag.match_demand")
	}
	// The subject may come before the flags: match job 01J… --out x.xlsx.
	var subject string
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		subject, args = args[0], args[1:]
	}
	if err := cli.Parse(fs, args); err != nil {
		return err
	}
	if rest := fs.Args(); len(rest) > 0 {
		if subject != "" || len(rest) > 1 {
			return cli.Usagef("server.match.extra_args", strings.Join(rest, " "))
		}
		subject = rest[0]
	}
	if err := checkOut(*out, "人选.xlsx"); err != nil {
		return err
	}
	if *n < 0 || *n > matchsvc.MaxLimit {
		return cli.Usagef("server.match.bad_limit", *n, matchsvc.MaxLimit)
	}
	req := protocol.MatchRequest{Use: use, Limit: *n, Locale: i18n.Locale(), Fair: fair, Demands: demands}
	switch use {
	case protocol.MatchJob:
		req.Demand = subject
	case protocol.MatchPerson:
		req.Person = subject
	case protocol.MatchTransfer:
		req.Employer = subject
	default:
		if subject != "" {
			return cli.Usagef("server.match.extra_args", subject)
		}
	}
	if subject == "" && (use == protocol.MatchJob || use == protocol.MatchPerson || use == protocol.MatchTransfer) {
		return cli.Usagef("server.match.no_" + map[string]string{protocol.MatchJob: "demand",
			protocol.MatchPerson: "person", protocol.MatchTransfer: "employer"}[use])
	}
	if use == protocol.MatchAssign && strings.TrimSpace(fair) == "" {
		return cli.Usagef("server.match.no_fair")
	}
	if code := strings.TrimSpace(fair); use == protocol.MatchAssign && !access.ValidFairCode(code) {
		return cli.Usagef("server.match.bad_fair", code)
	}

	res, err := requestMatch(*dataDir, req)
	if err != nil {
		return err
	}
	if *out != "" {
		table := matchRowsTable(res)
		if err := sheet.Write(*out, table); err != nil {
			return err
		}
		fmt.Println(i18n.T("server.match.rows_written", len(table.Rows), *out))
	}
	if *asJSON {
		enc := json.NewEncoder(os.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(res)
	}
	printMatchResult(os.Stdout, res)
	return nil
}

// requestMatch asks the server running on dataDir, or builds the index
// from the pool file when none runs there.
func requestMatch(dataDir string, req protocol.MatchRequest) (protocol.MatchResult, error) {
	var res protocol.MatchResult
	err := adminCall(dataDir, http.MethodPost, "/admin/match", req, &res)
	var status *adminStatusError
	if errors.As(err, &status) && (status.code == string(protocol.CodeNotFound) ||
		status.code == string(protocol.CodeInvalid) || status.code == codeIndexBuilding) {
		// The message is the user's, in the request's locale.
		return res, errors.New(status.message)
	}
	if !errors.Is(err, errNotRunning) {
		return res, err
	}
	err = withExistingPool(dataDir, func(p *pool.Pool) error {
		svc := matchsvc.New(p, matchsvc.Options{})
		if err := svc.Load(); err != nil {
			return err
		}
		var err error
		res, err = svc.Match(context.Background(), req)
		var merr *matchsvc.Error
		if errors.As(err, &merr) {
			return errors.New(offlineMessage(merr, req.Locale))
		}
		return err
	})
	return res, err
}

// offlineMessage returns the user's message of a match error on the pool
// file. The index was just built from the file, so unlike a running
// server's answer it does not ask to wait for the next refresh.
func offlineMessage(merr *matchsvc.Error, locale string) string {
	if strings.HasPrefix(merr.Key, "server.match.unknown_") && len(merr.Args) > 0 {
		return i18n.In(locale, merr.Key+"_offline", merr.Args[0])
	}
	return merr.Message(locale)
}

// checkOut returns a usage error when --out is set to no .xlsx file name
// or to a folder; example is a file name to suggest.
func checkOut(out, example string) error {
	if out == "" {
		return nil
	}
	if info, err := os.Stat(out); err == nil && info.IsDir() {
		return cli.Usagef("server.out_is_folder", out, filepath.Join(out, example))
	}
	if !strings.EqualFold(filepath.Ext(out), ".xlsx") {
		return cli.Usagef("server.match.out_not_xlsx", out)
	}
	return nil
}

// reasonText returns a reason with its points in the locale's brackets.
func reasonText(r protocol.MatchReason) string {
	return i18n.T("server.match.reason", r.Text, fmt.Sprintf("%+.0f", r.Points))
}

// printMatchResult prints the result as a table in the current locale.
func printMatchResult(w io.Writer, res protocol.MatchResult) {
	if res.Use == protocol.MatchRegions {
		if len(res.Regions) == 0 {
			fmt.Fprintln(w, i18n.T("server.match.regions_none"))
			return
		}
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", i18n.T("match.sheet.rank"), i18n.T("match.sheet.region_code"),
			i18n.T("match.sheet.region_name"), i18n.T("match.sheet.people"))
		for k, r := range res.Regions {
			fmt.Fprintf(tw, "%d\t%s\t%s\t%d\n", k+1, r.Region, r.Name, r.People)
		}
		_ = tw.Flush()
		fmt.Fprintln(w, i18n.T("server.match.built", res.Indexed, time.UnixMilli(res.Built).Format("2006-01-02 15:04")))
		return
	}
	for _, note := range res.Notes {
		fmt.Fprintln(w, note)
	}
	if len(res.Rows) == 0 {
		if len(res.Notes) == 0 {
			fmt.Fprintln(w, i18n.T("server.match.none"))
		}
		return
	}
	tables := codes.MustLoad()
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", i18n.T("match.sheet.rank"), i18n.T("match.sheet.name_column"),
		i18n.T("match.sheet.college"), i18n.T("match.sheet.major"), i18n.T("match.sheet.employer"),
		i18n.T("match.sheet.title"), i18n.T("match.sheet.score"), i18n.T("match.sheet.demand"))
	for _, r := range res.Rows {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%.0f\t%s\n", r.Rank, r.Name, collegeLabel(tables, r.College),
			majorLabel(tables, r.Major), r.Employer, r.Title, r.Score, r.Demand)
		for _, reason := range r.Reasons {
			fmt.Fprintf(tw, "\t  · %s\n", reasonText(reason))
		}
	}
	_ = tw.Flush()
	built := time.UnixMilli(res.Built).Format("2006-01-02 15:04")
	if res.Use == protocol.MatchAssign {
		total := strconv.FormatFloat(res.Total, 'f', -1, 64)
		if res.Assigned > len(res.Rows) {
			fmt.Fprintln(w, i18n.T("server.match.total_shown", res.Assigned, total, len(res.Rows)))
		} else {
			fmt.Fprintln(w, i18n.T("server.match.total", len(res.Rows), total))
		}
		fmt.Fprintln(w, i18n.T("server.match.built_assign", res.Pool, res.Indexed, built))
		return
	}
	fmt.Fprintln(w, i18n.T("server.match.built", res.Indexed, built))
}

func collegeLabel(t *codes.Tables, code string) string {
	if c, ok := t.College(code); ok {
		return c.Name
	}
	return code
}

func majorLabel(t *codes.Tables, code string) string {
	if m, ok := t.Majors.ByCode(code); ok {
		return m.Name
	}
	return code
}

// matchRowsTable returns the result as a sheet table: the regions of
// MatchRegions, else one row per pair with one line per reason.
func matchRowsTable(res protocol.MatchResult) sheet.Table {
	if res.Use == protocol.MatchRegions {
		t := sheet.Table{Sheet: i18n.T("match.sheet.regions_name"), Columns: []sheet.Column{
			{Header: i18n.T("match.sheet.rank"), Number: true},
			{Header: i18n.T("match.sheet.region_code")},
			{Header: i18n.T("match.sheet.region_name")},
			{Header: i18n.T("match.sheet.people"), Number: true},
		}}
		for k, r := range res.Regions {
			t.Rows = append(t.Rows, []string{strconv.Itoa(k + 1), r.Region, r.Name, strconv.Itoa(r.People)})
		}
		return t
	}
	tables := codes.MustLoad()
	t := sheet.Table{Sheet: i18n.T("match.sheet.name"), Columns: []sheet.Column{
		{Header: i18n.T("match.sheet.rank"), Number: true},
		{Header: i18n.T("match.sheet.name_column")},
		{Header: i18n.T("match.sheet.college")},
		{Header: i18n.T("match.sheet.major")},
		{Header: i18n.T("match.sheet.grad_year"), Number: true},
		{Header: i18n.T("match.sheet.region")},
		{Header: i18n.T("match.sheet.employer")},
		{Header: i18n.T("match.sheet.title")},
		{Header: i18n.T("match.sheet.score"), Number: true},
		{Header: i18n.T("match.sheet.reasons"), Width: 60},
		{Header: i18n.T("match.sheet.person")},
		{Header: i18n.T("match.sheet.demand")},
	}}
	for _, r := range res.Rows {
		year := ""
		if r.GradYear != 0 {
			year = strconv.Itoa(r.GradYear)
		}
		region := r.Region
		if name := tables.RegionName(r.Region); name != "" {
			region = name
		}
		reasons := make([]string, len(r.Reasons))
		for k, reason := range r.Reasons {
			reasons[k] = reasonText(reason)
		}
		t.Rows = append(t.Rows, []string{strconv.Itoa(r.Rank), r.Name, collegeLabel(tables, r.College),
			majorLabel(tables, r.Major), year, region, r.Employer, r.Title,
			strconv.FormatFloat(r.Score, 'f', -1, 64), strings.Join(reasons, "\n"), r.Person, r.Demand})
	}
	return t
}
