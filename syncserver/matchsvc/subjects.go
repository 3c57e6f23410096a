package matchsvc

import (
	"slices"
	"strings"

	"github.com/oklog/ulid/v2"

	"mobilefactory/shared/mask"
)

// isIDNumber reports whether s has the form of an 18-character resident
// ID number: 17 digits and a digit or X. The check digit is not verified,
// because the lookup by keyed hash finds only numbers the pool holds.
func isIDNumber(s string) bool {
	if len(s) != 18 {
		return false
	}
	for i := 0; i < 17; i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s[17] == 'X' || (s[17] >= '0' && s[17] <= '9')
}

// personSubject returns the person ULID a request's person names: the
// ULID itself, or the person record found by a resident ID number. Records
// of one pool entry count once, so a merged person is found. Records of
// different entries under one number return an error that lists their
// ULIDs. When none of the records is indexed it returns the first, so the
// caller explains why (no consent, deleted).
func (s *Service) personSubject(ix *index, subject string) (string, error) {
	subject = strings.TrimSpace(subject)
	if _, err := ulid.ParseStrict(subject); err == nil || !isIDNumber(strings.ToUpper(subject)) {
		return subject, nil
	}
	number := strings.ToUpper(subject)
	found, err := s.pool.PersonsByIDNumber(number)
	if err != nil {
		return "", err
	}
	if len(found) == 0 {
		return "", notFound("server.match.id_number_not_found", mask.ID(number))
	}
	var ids []string
	positions := map[int]bool{}
	for _, id := range found {
		if i := ix.position(id.String()); i >= 0 && !positions[i] {
			positions[i] = true
			ids = append(ids, id.String())
		}
	}
	switch len(ids) {
	case 0:
		return found[0].String(), nil
	case 1:
		return ids[0], nil
	}
	slices.Sort(ids)
	return "", invalid("server.match.id_number_ambiguous", mask.ID(number), strings.Join(ids, "、"))
}

// employerSubject returns the ULID of the employer a request names: the
// ULID itself, or the directory employer whose unified social credit code
// or exact name it is. A name several employers carry returns an error
// listing their credit codes.
func (ix *index) employerSubject(subject string) (string, error) {
	subject = strings.TrimSpace(subject)
	if _, err := ulid.ParseStrict(subject); err == nil {
		return canonical(subject), nil
	}
	var byName []string
	for id, e := range ix.employers {
		if e.CreditCode != "" && strings.EqualFold(e.CreditCode, subject) {
			return id, nil
		}
		if e.Name == subject {
			byName = append(byName, id)
		}
	}
	switch len(byName) {
	case 0:
		return "", notFound("server.match.employer_name_not_found", subject)
	case 1:
		return byName[0], nil
	}
	slices.Sort(byName)
	codes := make([]string, len(byName))
	for n, id := range byName {
		codes[n] = ix.employers[id].CreditCode
		if codes[n] == "" {
			codes[n] = id
		}
	}
	return "", invalid("server.match.employer_ambiguous", subject, len(byName), strings.Join(codes, "、"))
}
