// Command syncserver runs the Mobile Factory sync server and its admin
// tools. The server keeps the provincial talent pool in an embedded bbolt
// file and takes change sets from enrolled desktop devices over websockets.
// The tools print statistics, enrolment codes and matching results.
package main

import (
	"os"

	"mobilefactory/shared/cli"
)

const program = "syncserver"

func main() {
	commands := []cli.Command{
		{Name: "serve", Summary: "server.serve.summary", Usage: "server.serve.usage", Run: runServe},
		{Name: "enrol", Summary: "server.enrol.summary", Usage: "server.enrol.usage", Run: runEnrol},
		{Name: "stats", Summary: "server.stats.summary", Usage: "server.stats.usage", Run: runStats},
		{Name: "match", Summary: "server.match.summary", Usage: "server.match.usage", Run: runMatch},
		{Name: "devices", Summary: "server.devices.summary", Usage: "server.devices.usage", Run: runDevices},
		{Name: "revoke", Summary: "server.revoke.summary", Usage: "server.revoke.usage", Run: runRevoke},
		{Name: "fingerprint", Summary: "server.fingerprint.summary", Usage: "server.fingerprint.usage", Run: runFingerprint},
		{Name: "audit", Summary: "server.audit.summary", Usage: "server.audit.usage", Run: runAudit},
		{Name: "demo", Summary: "server.demo.summary", Usage: "server.demo.usage", Run: runDemo},
		{Name: "import-changes", Summary: "server.import_changes.summary", Usage: "server.import_changes.usage", Run: runImportChanges},
		{Name: "backup", Summary: "server.backup.summary", Usage: "server.backup.usage", Run: runBackup},
		{Name: "backup-keys", Summary: "server.backup_keys.summary", Usage: "server.backup_keys.usage", Run: runBackupKeys},
		{Name: "erase", Summary: "server.erase.summary", Usage: "server.erase.usage", Run: runErase},
		{Name: "duplicates", Summary: duplicatesCommand.Summary, Usage: duplicatesCommand.Usage, Run: runDuplicates},
		{Name: "restore", Summary: "server.restore.summary", Usage: "server.restore.usage", Run: runRestore},
	}
	os.Exit(cli.Main(program, "server.summary", commands, os.Args[1:], os.Stderr))
}
