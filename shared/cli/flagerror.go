package cli

import (
	"bytes"
	"flag"
	"io"
	"os"
	"regexp"
	"strconv"
	"time"

	"mobilefactory/shared/i18n"
)

// The messages of the standard flag package (Go 1.26 flag.go), which has
// no typed errors. A message that matches none of them is shown as is.
var (
	invalidValueRE = regexp.MustCompile(`^invalid (?:boolean )?value ("(?:[^"\\]|\\.)*") for (?:flag )?-(\S+): `)
	undefinedRE    = regexp.MustCompile(`^flag provided but not defined: -(.+)$`)
	needsArgRE     = regexp.MustCompile(`^flag needs an argument: -(.+)$`)
	badSyntaxRE    = regexp.MustCompile(`^bad flag syntax: (.*)$`)
)

// parseFlags parses args with fs. The flag package's own English output for
// a bad flag is dropped, and the error comes back as a usage error in the
// current locale that names the flag, the value and what is expected. Help
// requested with -h or --help is printed to standard error.
func parseFlags(fs *flag.FlagSet, args []string) error {
	var out bytes.Buffer
	fs.SetOutput(&out)
	err := fs.Parse(args)
	fs.SetOutput(os.Stderr)
	if err == flag.ErrHelp {
		io.Copy(os.Stderr, &out)
		return err
	}
	if err != nil {
		return usageError{flagErrorText(fs, err)}
	}
	return nil
}

// flagErrorText returns the message of a flag parse error in the current
// locale.
func flagErrorText(fs *flag.FlagSet, err error) string {
	text := err.Error()
	if m := invalidValueRE.FindStringSubmatch(text); m != nil {
		value, uerr := strconv.Unquote(m[1])
		if uerr != nil {
			value = m[1]
		}
		return i18n.T("cli.flag_error.invalid_value", m[2], value, expectedValue(fs, m[2]), fs.Name())
	}
	if m := undefinedRE.FindStringSubmatch(text); m != nil {
		return i18n.T("cli.flag_error.undefined", m[1], fs.Name())
	}
	if m := needsArgRE.FindStringSubmatch(text); m != nil {
		return i18n.T("cli.flag_error.needs_value", m[1], expectedValue(fs, m[1]))
	}
	if m := badSyntaxRE.FindStringSubmatch(text); m != nil {
		return i18n.T("cli.flag_error.bad_syntax", m[1], fs.Name())
	}
	return text
}

// expectedValue describes the values the flag name of fs accepts, from the
// type of its value.
func expectedValue(fs *flag.FlagSet, name string) string {
	f := fs.Lookup(name)
	if f == nil {
		return i18n.T("cli.expect.text")
	}
	getter, ok := f.Value.(flag.Getter)
	if !ok {
		return i18n.T("cli.expect.text")
	}
	switch getter.Get().(type) {
	case int, int64:
		return i18n.T("cli.expect.int")
	case uint, uint64:
		return i18n.T("cli.expect.uint")
	case float64:
		return i18n.T("cli.expect.float")
	case time.Duration:
		return i18n.T("cli.expect.duration")
	case bool:
		return i18n.T("cli.expect.bool")
	}
	return i18n.T("cli.expect.text")
}
