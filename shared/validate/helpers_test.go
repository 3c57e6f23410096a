package validate

import (
	"encoding/csv"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// casesDir holds the real-world input files the tests read.
var casesDir = filepath.Join("..", "..", "testdata", "cases")

// readCases returns the rows of testdata/cases/<name> after the header.
func readCases(t *testing.T, name string) [][]string {
	t.Helper()
	_, rows := readCasesFile(t, name)
	return rows
}

// readCasesFile returns the header and the other rows of testdata/cases/<name>.
func readCasesFile(t *testing.T, name string) (header []string, rows [][]string) {
	t.Helper()
	f, err := os.Open(filepath.Join(casesDir, name))
	if err != nil {
		t.Fatalf("opening test cases: %v", err)
	}
	defer f.Close()

	r := csv.NewReader(f)
	r.FieldsPerRecord = -1
	all, err := r.ReadAll()
	if err != nil {
		t.Fatalf("parsing %s: %v", name, err)
	}
	if len(all) < 2 {
		t.Fatalf("%s has no cases", name)
	}
	return all[0], all[1:]
}

// errorKey returns the key of a validation error, "" for nil, and fails the
// test for any other kind of error.
func errorKey(t *testing.T, err error) string {
	t.Helper()
	if err == nil {
		return ""
	}
	var ve *Error
	if !errors.As(err, &ve) {
		t.Fatalf("error %v (%T) is not a *validate.Error", err, err)
	}
	return ve.Key
}
