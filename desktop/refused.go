package main

import (
	"fmt"
	"io"
	"os"
	"strings"

	"mobilefactory/desktop/store"
	"mobilefactory/desktop/ui"
	"mobilefactory/desktop/ui/display"
	"mobilefactory/shared/cli"
	"mobilefactory/shared/i18n"
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
	return i18n.T("ui.refused.row", ui.RefusedRecordLabel(st, c), display.FieldName(c.Field), ui.RefusedReason(c.Reason))
}
