// Command desktop is the Mobile Factory desktop client: the window college
// staff record students, training and internships in, fully usable offline,
// and the commands that enrol, sync and import without a window.
package main

import (
	"os"
	"path/filepath"
	"strings"

	"mobilefactory/shared/cli"
)

const program = "desktop"

func main() {
	commands := []cli.Command{
		{Name: "window", Summary: "desktop.window.summary", Usage: "desktop.window.usage", Run: runWindow},
		{Name: "enrol", Summary: "desktop.enrol.summary", Usage: "desktop.enrol.usage", Run: runEnrol},
		{Name: "sync", Summary: "desktop.sync.summary", Usage: "desktop.sync.usage", Run: runSync},
		{Name: "import", Summary: "desktop.import.summary", Usage: "desktop.import.usage", Run: runImport},
		{Name: "import-results", Summary: "desktop.import_results.summary", Usage: "desktop.import_results.usage", Run: runImportResults},
		{Name: "account", Summary: "desktop.account.summary", Usage: "desktop.account.usage", Run: runAccount},
		{Name: "refused", Summary: "desktop.refused.summary", Usage: "desktop.refused.usage", Run: runRefused},
		{Name: "export-changes", Summary: "desktop.export_changes.summary", Usage: "desktop.export_changes.usage", Run: runExportChanges},
		{Name: "report", Summary: "desktop.report.summary", Usage: "desktop.report.usage", Run: runReport},
		{Name: "export", Summary: "desktop.export.summary", Usage: "desktop.export.usage", Run: runExport},
	}
	args := os.Args[1:]
	// With no command, or only flags, the program opens its window.
	if rest := cli.TakeLangCopy(args); len(rest) == 0 || (strings.HasPrefix(rest[0], "-") && !isHelp(rest[0])) {
		args = append([]string{"window"}, args...)
	}
	os.Exit(cli.Main(program, "desktop.summary", commands, args, os.Stderr))
}

func isHelp(a string) bool { return a == "-h" || a == "--help" || a == "-help" }

// defaultDataDir is the per-user folder the client keeps its store in.
func defaultDataDir() string {
	dir, err := os.UserConfigDir()
	if err != nil {
		return "MobileFactory"
	}
	return filepath.Join(dir, "MobileFactory")
}

func storePath(dataDir string) string { return filepath.Join(dataDir, "client.db") }
