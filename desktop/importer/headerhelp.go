package importer

import (
	"sort"
	"unicode/utf8"
)

// RequiredFields returns the fields a graduate list must have a column for.
func RequiredFields() []string {
	return append([]string(nil), requiredFields...)
}

// HeaderVariants returns the header texts the built-in table maps to
// field, shortest first, for messages that tell the user how a column may
// be headed.
func HeaderVariants(field string) []string {
	var out []string
	for h, f := range headerFields {
		if f == field {
			out = append(out, h)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		ni, nj := utf8.RuneCountInString(out[i]), utf8.RuneCountInString(out[j])
		if ni != nj {
			return ni < nj
		}
		return out[i] < out[j]
	})
	return out
}

// HasColumn reports whether the plan's file has a column that the header
// text names, compared as a hand mapping compares them: without spaces,
// full-width forms or anything from the first bracket on. The lower text
// of a two-row header counts too.
func (p *Plan) HasColumn(header string) bool {
	norm := normaliseHeader(header)
	for _, c := range p.Columns {
		if normaliseHeader(c.Header) == norm || normaliseHeader(c.Lower) == norm {
			return true
		}
	}
	return false
}

// IgnoredByHand reports whether column c is ignored because the user
// mapped it to no field, with --map or a remembered mapping.
func (p *Plan) IgnoredByHand(c Column) bool {
	f, ok := p.hand[normaliseHeader(c.Header)]
	return ok && f == ""
}
