package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/oklog/ulid/v2"

	"mobilefactory/shared/access"
	"mobilefactory/shared/cli"
	"mobilefactory/shared/codes"
	"mobilefactory/shared/i18n"
	"mobilefactory/shared/mask"
	"mobilefactory/shared/record"
	"mobilefactory/shared/sheet"
	"mobilefactory/syncserver/hub"
	"mobilefactory/syncserver/pool"
)

// duplicatesBy is the account name decisions made with the command carry
// in the pool and the audit log.
const duplicatesBy = "syncserver duplicates"

var duplicatesCommand = cli.Command{Name: "duplicates", Summary: "server.duplicates.summary", Usage: "server.duplicates.usage"}

// runDuplicates runs `syncserver duplicates [--data DIR] ACTION …`, where
// ACTION is list, merge, apart or undo. Flags may come before or after the
// action and its ULIDs. When `syncserver serve` runs on the folder, the
// command sends its requests to /admin/duplicates. Otherwise it opens the
// pool file itself.
func runDuplicates(args []string) error {
	fs := cli.FlagSet(program, duplicatesCommand)
	dataDir := fs.String("data", defaultDataDir, "server.flag.data")
	limit := fs.Int("limit", 100, "server.flag.duplicates_limit")
	out := fs.String("out", "", "server.flag.duplicates_out")
	flags, operands := splitFlags(fs, args)
	if err := cli.Parse(fs, flags); err != nil {
		return err
	}
	if len(operands) == 0 {
		return cli.Usagef("server.duplicates.no_action")
	}
	action, rest := operands[0], operands[1:]
	switch action {
	case "list":
		if len(rest) > 0 {
			return cli.Usagef("cli.extra_args", strings.Join(rest, " "))
		}
		if *limit <= 0 || *limit > hub.MaxDuplicatesLimit {
			return cli.Usagef("server.duplicates.bad_limit", strconv.Itoa(*limit), hub.MaxDuplicatesLimit)
		}
		if info, err := os.Stat(*out); *out != "" && err == nil && info.IsDir() {
			return cli.Usagef("server.out_is_folder", *out, filepath.Join(*out, "重复人员.xlsx"))
		}
		if *out != "" && !strings.EqualFold(filepath.Ext(*out), ".xlsx") {
			return cli.Usagef("server.duplicates.out_not_xlsx", *out)
		}
		return listDuplicates(*dataDir, *limit, *out)
	case "merge", "apart":
		ids, err := parsePersons(rest)
		if err != nil {
			return err
		}
		decision := record.DecisionMerge
		if action == "apart" {
			decision = record.DecisionApart
		}
		return decide(*dataDir, decision, ids)
	case "undo":
		if len(rest) != 1 {
			return cli.Usagef("server.duplicates.undo_one")
		}
		id, err := ulid.ParseStrict(rest[0])
		if err != nil {
			return cli.Usagef("server.duplicates.bad_ulid", rest[0])
		}
		return undoDecision(*dataDir, id)
	}
	return cli.Usagef("server.duplicates.unknown_action", action)
}

// splitFlags separates the flags of fs, with their values, from the
// operands, so flags may follow the action.
func splitFlags(fs *flag.FlagSet, args []string) (flags, operands []string) {
	for i := 0; i < len(args); i++ {
		arg := args[i]
		if arg == "--" {
			return flags, append(operands, args[i+1:]...)
		}
		if len(arg) < 2 || arg[0] != '-' {
			operands = append(operands, arg)
			continue
		}
		flags = append(flags, arg)
		name := strings.TrimLeft(arg, "-")
		if strings.Contains(name, "=") {
			continue
		}
		// A flag that takes a value takes the next argument.
		if f := fs.Lookup(name); f != nil && i+1 < len(args) {
			if b, ok := f.Value.(interface{ IsBoolFlag() bool }); !ok || !b.IsBoolFlag() {
				i++
				flags = append(flags, args[i])
			}
		}
	}
	return flags, operands
}

// parsePersons parses the person ULIDs of merge and apart.
func parsePersons(args []string) ([]ulid.ULID, error) {
	if len(args) < 2 {
		return nil, cli.Usagef("server.duplicates.need_two")
	}
	ids := make([]ulid.ULID, 0, len(args))
	for _, arg := range args {
		id, err := ulid.ParseStrict(arg)
		if err != nil {
			return nil, cli.Usagef("server.duplicates.bad_ulid", arg)
		}
		ids = append(ids, id)
	}
	return ids, nil
}

// fetchDuplicates lists the duplicates through the server running on
// dataDir, or from the pool file when none runs.
func fetchDuplicates(dataDir string, limit int) ([]pool.Duplicate, error) {
	var dups []pool.Duplicate
	err := adminCall(dataDir, "GET", "/admin/duplicates?limit="+strconv.Itoa(limit), nil, &dups)
	var status *adminStatusError
	if errors.As(err, &status) && status.code == hub.CodeBadLimit {
		return nil, cli.Usagef("server.duplicates.bad_limit", status.message, hub.MaxDuplicatesLimit)
	}
	if errors.Is(err, errNotRunning) {
		err = withExistingPool(dataDir, func(p *pool.Pool) error {
			var err error
			dups, err = p.Duplicates(limit)
			return err
		})
	}
	return dups, err
}

// sendDecision records a merge, apart or undo through the server running
// on dataDir, or in the pool file when none runs. It returns the pool's
// errors either way, so the messages do not depend on the path.
func sendDecision(dataDir string, req hub.AdminDecideRequest) (record.Merge, error) {
	var d record.Merge
	err := adminCall(dataDir, "POST", "/admin/duplicates/decide", req, &d)
	if errors.Is(err, errNotRunning) {
		return decideInPool(dataDir, req)
	}
	var status *adminStatusError
	if errors.As(err, &status) {
		switch status.code {
		case hub.CodeSameEntry:
			return d, pool.ErrSameEntry
		case hub.CodeNeedTwo:
			return d, pool.ErrDecisionPersons
		case hub.CodeNoDecision:
			return d, pool.ErrNoDecision
		case hub.CodeTwoPeople:
			if masked := strings.Fields(status.message); len(masked) == 2 {
				return d, &pool.TwoPeopleError{IDNumbers: [2]string{masked[0], masked[1]}}
			}
		case hub.CodeKeptApart:
			return d, &pool.KeptApartError{Decision: status.message}
		case hub.CodeNoPerson:
			if id, perr := ulid.ParseStrict(status.message); perr == nil {
				return d, &pool.NoPersonError{Person: id}
			}
			return d, pool.ErrNoPerson
		}
	}
	return d, err
}

// decideInPool is sendDecision on the pool file of a stopped server.
func decideInPool(dataDir string, req hub.AdminDecideRequest) (record.Merge, error) {
	var d record.Merge
	err := withExistingPool(dataDir, func(p *pool.Pool) error {
		if req.Action == "undo" {
			id, err := ulid.ParseStrict(req.Decision)
			if err != nil {
				return err
			}
			d, err = p.Undo(id, req.By)
			return err
		}
		ids, err := parsePersons(req.Persons)
		if err != nil {
			return err
		}
		d, err = p.Decide(req.Action, ids, req.By)
		return err
	})
	return d, err
}

func listDuplicates(dataDir string, limit int, out string) error {
	dups, err := fetchDuplicates(dataDir, limit)
	if err != nil {
		return err
	}
	tables := codes.MustLoad()
	if out != "" {
		if err := sheet.Write(out, duplicatesTable(tables, dups)); err != nil {
			return err
		}
		fmt.Println(i18n.T("server.duplicates.out_written", len(dups), out))
	}
	if len(dups) == 0 {
		fmt.Println(i18n.T("server.duplicates.none"))
		return nil
	}
	w := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', 0)
	for i, d := range dups {
		fmt.Fprintf(w, "%d.\t%s\n", i+1, i18n.T("server.duplicates.rule."+d.Rule))
		for _, r := range []pool.DuplicateRecord{d.A, d.B} {
			fmt.Fprintf(w, "\t%s\t%s\t%s\t%s\t%s\t%s\n", r.Person, r.Name, sourceName(tables, r.Scope),
				maskedOrDash(mask.ID(r.IDNumber)), maskedOrDash(mask.Phone(r.Phone)), maskedOrDash(r.BirthDate))
		}
	}
	if err := w.Flush(); err != nil {
		return err
	}
	fmt.Println(i18n.T("server.duplicates.listed", len(dups)))
	return nil
}

func maskedOrDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

// sourceName names a record's scope for the central office: a college by
// its name, a fair by its code, the province scope as such.
func sourceName(tables *codes.Tables, scope string) string {
	if code, ok := access.FairCode(scope); ok {
		return i18n.T("server.duplicates.fair", code)
	}
	if scope == record.ProvinceScope {
		return i18n.T("server.duplicates.province")
	}
	if c, ok := tables.College(scope); ok {
		return c.Name
	}
	return scope
}

// duplicatesTable returns the list as a sheet, one row per pair, with the
// ID numbers and phones masked.
func duplicatesTable(tables *codes.Tables, dups []pool.Duplicate) sheet.Table {
	t := sheet.Table{Sheet: i18n.T("server.duplicates.sheet.name"), Columns: []sheet.Column{
		{Header: i18n.T("server.duplicates.sheet.number"), Number: true},
		{Header: i18n.T("server.duplicates.sheet.rule")},
	}}
	for _, side := range []string{"A", "B"} {
		t.Columns = append(t.Columns,
			sheet.Column{Header: i18n.T("server.duplicates.sheet.person", side), Text: true},
			sheet.Column{Header: i18n.T("server.duplicates.sheet.name_column", side)},
			sheet.Column{Header: i18n.T("server.duplicates.sheet.source", side)},
			sheet.Column{Header: i18n.T("server.duplicates.sheet.id_number", side), Text: true},
			sheet.Column{Header: i18n.T("server.duplicates.sheet.phone", side), Text: true},
			sheet.Column{Header: i18n.T("server.duplicates.sheet.birth", side)})
	}
	for i, d := range dups {
		row := []string{strconv.Itoa(i + 1), i18n.T("server.duplicates.rule." + d.Rule)}
		for _, r := range []pool.DuplicateRecord{d.A, d.B} {
			row = append(row, r.Person.String(), r.Name, sourceName(tables, r.Scope),
				mask.ID(r.IDNumber), mask.Phone(r.Phone), r.BirthDate)
		}
		t.Rows = append(t.Rows, row)
	}
	return t
}

func decide(dataDir, decision string, ids []ulid.ULID) error {
	req := hub.AdminDecideRequest{Action: decision, By: duplicatesBy}
	for _, id := range ids {
		req.Persons = append(req.Persons, id.String())
	}
	d, err := sendDecision(dataDir, req)
	var (
		noPerson  *pool.NoPersonError
		twoPeople *pool.TwoPeopleError
		keptApart *pool.KeptApartError
	)
	switch {
	case errors.As(err, &noPerson):
		return errors.New(i18n.T("server.duplicates.no_person", noPerson.Person))
	case errors.As(err, &twoPeople):
		return errors.New(i18n.T("server.duplicates.two_people", twoPeople.IDNumbers[0], twoPeople.IDNumbers[1]))
	case errors.As(err, &keptApart):
		return errors.New(i18n.T("server.duplicates.kept_apart", keptApart.Decision))
	case errors.Is(err, pool.ErrSameEntry) && decision == record.DecisionMerge:
		return errors.New(i18n.T("server.duplicates.already_merged"))
	case errors.Is(err, pool.ErrSameEntry):
		return errors.New(i18n.T("server.duplicates.apart_joined"))
	case errors.Is(err, pool.ErrDecisionPersons):
		return cli.Usagef("server.duplicates.need_two")
	case err != nil:
		return err
	}
	fmt.Println(i18n.T("server.duplicates.done_"+decision, len(d.Persons), d.ID))
	return nil
}

func undoDecision(dataDir string, id ulid.ULID) error {
	d, err := sendDecision(dataDir, hub.AdminDecideRequest{Action: "undo", Decision: id.String(), By: duplicatesBy})
	if errors.Is(err, pool.ErrNoDecision) {
		return errors.New(i18n.T("server.duplicates.no_decision", id))
	}
	if err != nil {
		return err
	}
	fmt.Println(i18n.T("server.duplicates.undone_"+d.Decision, d.ID, strings.Join(d.Persons, " ")))
	return nil
}
