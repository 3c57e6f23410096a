package main

import (
	"fmt"
	"io"
	"os"
	"strings"

	"mobilefactory/desktop/store"
	"mobilefactory/desktop/ui/display"
	"mobilefactory/shared/cli"
	"mobilefactory/shared/i18n"
	"mobilefactory/shared/protocol"
	"mobilefactory/shared/record"
)

// refusedExamples is how many refused changes the sync notice names.
const refusedExamples = 2

// runRefused runs desktop refused, which lists the changes the server
// refused, as the window's 被拒绝 list shows them.
func runRefused(args []string) error {
	fs := cli.FlagSet(program, cli.Command{Name: "refused", Summary: "desktop.refused.summary", Usage: "desktop.refused.usage"})
	dataDir := fs.String("data", defaultDataDir(), "desktop.flag.data")
	account := fs.String("account", "", "desktop.flag.account")
	if err := cli.Parse(fs, args); err != nil {
		return err
	}
	st, err := openSignedIn(*dataDir, *account)
	if err != nil {
		return err
	}
	defer st.Close()
	return printRefused(os.Stdout, st)
}

// printRefused writes every refused change of st, newest first: when, the
// record, the field and the reason with what to do.
func printRefused(w io.Writer, st *store.Store) error {
	changes, err := st.Refused()
	if err != nil {
		return fmt.Errorf("reading the refused changes: %w", err)
	}
	if len(changes) == 0 {
		fmt.Fprintln(w, i18n.T("ui.refused.empty"))
		return nil
	}
	fmt.Fprintln(w, i18n.T("ui.refused.count", len(changes)))
	for _, c := range changes {
		fmt.Fprintln(w, i18n.T("desktop.refused.line", display.DateTime(c.At), refusedLine(st, c)))
	}
	fmt.Fprintln(w, i18n.T("desktop.refused.hint"))
	return nil
}

// reportNewRefused writes a notice when st holds more refused changes than
// before, naming up to refusedExamples of the new ones. It returns the
// count now held.
func reportNewRefused(w io.Writer, st *store.Store, before int) int {
	now := st.RefusedCount()
	if now <= before {
		return now
	}
	changes, err := st.Refused()
	if err != nil {
		return now
	}
	// Refused lists the newest first, so the new ones lead.
	var examples []string
	for _, c := range changes[:min(refusedExamples, now-before, len(changes))] {
		examples = append(examples, refusedLine(st, c))
	}
	fmt.Fprintln(w, i18n.T("desktop.sync.refused", now-before, now, strings.Join(examples, i18n.T("desktop.refused.separator"))))
	return now
}

// refusedLine describes one refused change: record, field and reason.
func refusedLine(st *store.Store, c store.RefusedChange) string {
	return i18n.T("ui.refused.row", refusedRecordLabel(st, c), display.FieldName(c.Field), refusedReason(c.Reason))
}

// refusedReason returns the reason of a refusal in the user's words, with
// what to do about it. It matches the window's 被拒绝 list.
func refusedReason(code protocol.Code) string {
	switch code {
	case protocol.CodeScope, protocol.CodeRole, protocol.CodeInvalid:
		return i18n.T("ui.refused.reason." + string(code))
	}
	return i18n.T("ui.refused.reason.other", string(code))
}

// refusedRecordLabel names the record of a refused change by its person, as
// the window's 被拒绝 list does.
func refusedRecordLabel(st *store.Store, c store.RefusedChange) string {
	personID := c.Record
	switch c.Kind {
	case record.KindPerson:
	case record.KindTraining, record.KindInternship:
		state, err := st.State(c.Kind, c.Record)
		if err != nil {
			return i18n.T("ui.refused.record."+c.Kind.String(), i18n.T("ui.refused.record.unknown_person"))
		}
		personID = state.Values()[record.FieldPerson]
	case record.KindConflict, record.KindAccess:
		return i18n.T("ui.refused.record." + c.Kind.String())
	default:
		return i18n.T("ui.refused.record.other", c.Record)
	}
	name := i18n.T("ui.refused.record.unknown_person")
	if p, err := st.Person(personID); err == nil && p.Name != "" {
		name = p.Name
	}
	if c.Kind == record.KindPerson {
		return name
	}
	return i18n.T("ui.refused.record."+c.Kind.String(), name)
}
