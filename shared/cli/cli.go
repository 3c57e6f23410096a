// Package cli holds what both programs' command lines share: the --lang
// flag, usage text from translations, and flag sets that print Chinese help.
package cli

import (
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"mobilefactory/shared/i18n"
)

// TakeLangCopy returns args without the --lang flag, leaving the locale as it is.
func TakeLangCopy(args []string) []string {
	out, _ := splitLang(args)
	return out
}

// TakeLang removes --lang VALUE or --lang=VALUE from args, sets the locale
// and returns the remaining arguments. Chinese is the default.
func TakeLang(args []string) []string {
	out, locale := splitLang(args)
	i18n.SetLocale(locale)
	if locale != i18n.Chinese && locale != i18n.English {
		fmt.Fprintln(os.Stderr, i18n.T("cli.unknown_lang", locale))
	}
	return out
}

// splitLang returns args without the --lang flag, and the locale it names.
func splitLang(args []string) ([]string, string) {
	locale := i18n.Chinese
	out := make([]string, 0, len(args))
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--lang" || a == "-lang":
			if i+1 < len(args) {
				locale = args[i+1]
				i++
			}
		case strings.HasPrefix(a, "--lang=") || strings.HasPrefix(a, "-lang="):
			locale = a[strings.Index(a, "=")+1:]
		default:
			out = append(out, a)
		}
	}
	return out, locale
}

// Command is one subcommand of a program.
type Command struct {
	Name    string
	Summary string // translation key of the one-line summary
	Usage   string // translation key of the argument synopsis
	Run     func(args []string) error
}

// FlagSet returns a flag set whose help, printed for -h or --help or a bad
// flag, is in the current locale. Flag help strings are translation keys.
func FlagSet(program string, c Command) *flag.FlagSet {
	fs := flag.NewFlagSet(program+" "+c.Name, flag.ContinueOnError)
	fs.Usage = func() {
		w := fs.Output()
		fmt.Fprintf(w, "%s\n\n%s: %s %s %s\n\n", i18n.T(c.Summary), i18n.T("cli.usage"), program, c.Name, i18n.T(c.Usage))
		fs.VisitAll(func(f *flag.Flag) {
			name, usage := flag.UnquoteUsage(f)
			fmt.Fprintf(w, "  --%s %s\n      %s", f.Name, name, i18n.T(usage))
			if f.DefValue != "" && f.DefValue != "false" {
				fmt.Fprintf(w, " (%s %s)", i18n.T("cli.default"), f.DefValue)
			}
			fmt.Fprintln(w)
		})
		fmt.Fprintf(w, "  --lang zh-Hans|en\n      %s\n", i18n.T("cli.flag.lang"))
	}
	return fs
}

// Main runs the subcommand named by args[0] and returns the exit code: 0 on
// success, 1 when the command failed, 2 for a usage error.
func Main(program string, summary string, commands []Command, args []string, stderr io.Writer) int {
	args = TakeLang(args)
	usage := func() {
		fmt.Fprintf(stderr, "%s\n\n%s: %s <%s> [%s]\n\n", i18n.T(summary), i18n.T("cli.usage"), program,
			i18n.T("cli.command"), i18n.T("cli.options"))
		for _, c := range commands {
			fmt.Fprintf(stderr, "  %-10s %s\n", c.Name, i18n.T(c.Summary))
		}
		fmt.Fprintf(stderr, "\n%s\n", i18n.T("cli.more_help", program))
	}
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage()
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	for _, c := range commands {
		if c.Name != args[0] {
			continue
		}
		err := c.Run(args[1:])
		switch {
		case err == nil:
			return 0
		case err == flag.ErrHelp:
			return 0
		case IsUsage(err):
			fmt.Fprintln(stderr, err)
			return 2
		default:
			fmt.Fprintf(stderr, "%s: %v\n", i18n.T("cli.error"), err)
			return 1
		}
	}
	fmt.Fprintln(stderr, i18n.T("cli.unknown_command", args[0], program))
	return 2
}

type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

// Usagef returns an error that Main reports as a usage error (exit code 2).
func Usagef(key string, args ...any) error { return usageError{i18n.T(key, args...)} }

// IsUsage reports whether err came from Usagef or from flag parsing.
func IsUsage(err error) bool {
	_, ok := err.(usageError)
	return ok
}

// Parse parses args with fs and turns a parse error into a usage error.
func Parse(fs *flag.FlagSet, args []string) error {
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return Usagef("cli.extra_args", strings.Join(fs.Args(), " "))
	}
	return nil
}

// ParseFile parses args with fs for a command that takes one file, given
// before or after the flags. missingKey is the translation key of the usage
// error when no file is given.
func ParseFile(fs *flag.FlagSet, args []string, missingKey string) (string, error) {
	var file string
	if len(args) > 0 && !(len(args[0]) > 1 && args[0][0] == '-') {
		file, args = args[0], args[1:]
	}
	if err := parseFlags(fs, args); err != nil {
		return "", err
	}
	switch {
	case file == "" && fs.NArg() == 1:
		file = fs.Arg(0)
	case fs.NArg() > 0:
		return "", Usagef("cli.extra_args", strings.Join(fs.Args(), " "))
	}
	if file == "" {
		return "", Usagef(missingKey)
	}
	return file, nil
}
