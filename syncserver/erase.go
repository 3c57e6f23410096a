package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"os"

	"github.com/oklog/ulid/v2"

	"mobilefactory/shared/cli"
	"mobilefactory/shared/i18n"
	"mobilefactory/shared/protocol"
	"mobilefactory/syncserver/pool"
)

// errAmbiguousPerson is returned when an ID number names several persons,
// so the erasure needs the person's ULID.
var errAmbiguousPerson = errors.New("the ID number names several persons")

// EraseRequest is the body of POST /admin/erase. Person is a person's ULID
// or resident ID number.
type EraseRequest struct {
	Person string `json:"person"`
}

// EraseReply is the reply to POST /admin/erase. Code is "not_found" or
// "ambiguous" when no erasure took place.
type EraseReply struct {
	Person  string `json:"person,omitempty"`
	College string `json:"college,omitempty"`
	Already bool   `json:"already,omitempty"`
	Code    string `json:"code,omitempty"`
}

// eraseCodes maps the codes of EraseReply to their sentinels.
var eraseCodes = map[string]error{"not_found": pool.ErrNoPerson, "ambiguous": errAmbiguousPerson}

func runErase(args []string) error {
	fs := cli.FlagSet(program, cli.Command{Name: "erase", Summary: "server.erase.summary", Usage: "server.erase.usage"})
	dataDir := fs.String("data", defaultDataDir, "server.flag.data")
	person, err := cli.ParseFile(fs, args, "server.erase.no_person")
	if err != nil {
		return err
	}

	var reply EraseReply
	err = adminCall(*dataDir, "POST", "/admin/erase", EraseRequest{Person: person}, &reply)
	if err == nil && reply.Code != "" {
		err = eraseCodes[reply.Code]
	}
	if errors.Is(err, errNotRunning) {
		err = withExistingPool(*dataDir, func(p *pool.Pool) error {
			var err error
			reply, err = erasePerson(p, person)
			return err
		})
	}
	switch {
	case errors.Is(err, pool.ErrNoPerson):
		return errors.New(i18n.T("server.erase.not_found"))
	case errors.Is(err, errAmbiguousPerson):
		return errors.New(i18n.T("server.erase.ambiguous"))
	case err != nil:
		return err
	}
	if reply.Already {
		fmt.Fprintln(os.Stderr, i18n.T("server.erase.already", reply.Person))
		return nil
	}
	fmt.Fprintln(os.Stderr, i18n.T("server.erase.done", reply.Person, reply.College))
	return nil
}

// erasePerson resolves a ULID or resident ID number to one person and
// erases them.
func erasePerson(p *pool.Pool, person string) (EraseReply, error) {
	id, err := ulid.ParseStrict(person)
	if err != nil {
		found, err := p.PersonsByIDNumber(person)
		if err != nil {
			return EraseReply{}, err
		}
		switch len(found) {
		case 0:
			return EraseReply{}, pool.ErrNoPerson
		case 1:
			id = found[0]
		default:
			return EraseReply{}, errAmbiguousPerson
		}
	}
	res, err := p.Erase(id, "syncserver erase")
	if err != nil {
		return EraseReply{}, err
	}
	return EraseReply{Person: res.Person.String(), College: res.Scope, Already: res.Already}, nil
}

// eraseHandler serves POST /admin/erase. The request names the person by
// ID number perhaps, so neither the body nor a failed look-up is logged.
func eraseHandler(p *pool.Pool, log *slog.Logger) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		var req EraseRequest
		if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 4<<10)).Decode(&req); err != nil || req.Person == "" {
			writeHTTPError(w, http.StatusBadRequest, "invalid", "person missing")
			return
		}
		reply, err := erasePerson(p, req.Person)
		for code, sentinel := range eraseCodes {
			if errors.Is(err, sentinel) {
				reply, err = EraseReply{Code: code}, nil
			}
		}
		switch {
		case err != nil:
			log.Error("erasure failed", "err", err)
			writeHTTPError(w, http.StatusInternalServerError, "internal", "erasure failed; see the server log")
		default:
			log.Info("erasure requested by the admin tool", "person", reply.Person, "already", reply.Already)
			w.Header().Set("Content-Type", "application/json")
			_ = json.NewEncoder(w).Encode(reply)
		}
	}
}

func writeHTTPError(w http.ResponseWriter, status int, code, message string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(protocol.HTTPError{Code: code, Message: message})
}
