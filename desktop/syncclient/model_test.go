package syncclient

import (
	"context"
	"fmt"
	"testing"
	"time"

	"pgregory.net/rapid"

	"mobilefactory/desktop/store"
	"mobilefactory/shared/changeset"
	"mobilefactory/shared/record"
	"mobilefactory/syncserver/pool"
)

// modelWrite is one field write as the reference model keeps it.
type modelWrite struct {
	value  string
	reg    changeset.Register
	device string
}

// syncModel is the state of the model-based test: the real server and
// devices, and the reference model of what every replica must hold after
// everyone syncs. For each person and field, the model keeps the write with
// the greatest (stamp, device id) of all writes ever made.
type syncModel struct {
	t       *testing.T
	srv     *testServer
	up      bool
	devices []*store.Store
	paths   []string
	people  []string
	model   map[string]map[string]changeset.Register // person → field → winning register
}

var modelFields = []string{record.FieldName, record.FieldPhone, record.FieldEmployer, record.FieldStatus, record.FieldDeleted}

func modelValue(rt *rapid.T, field string) string {
	switch field {
	case record.FieldName:
		return rapid.SampledFrom([]string{"李娜", "赵敏", "王建华", "阿依古丽·买买提"}).Draw(rt, "name")
	case record.FieldPhone:
		return rapid.SampledFrom([]string{"13807912345", "13907971111", "18779300007", ""}).Draw(rt, "phone")
	case record.FieldEmployer:
		return rapid.SampledFrom([]string{"南昌甲公司", "九江乙公司", "深圳丙公司", ""}).Draw(rt, "employer")
	case record.FieldStatus:
		return rapid.SampledFrom(record.Statuses).Draw(rt, "status")
	default:
		return rapid.SampledFrom([]string{"0", "1"}).Draw(rt, "deleted")
	}
}

func (m *syncModel) record(person string, st *store.Store) {
	state, err := st.State(record.KindPerson, person)
	if err != nil {
		m.t.Fatalf("reading %s after a write: %v", person, err)
	}
	for field, reg := range state.Fields {
		reg.Raw = 0
		cur, ok := m.model[person][field]
		if !ok || cur.Wins(reg.Stamp, reg.Device) {
			m.model[person][field] = reg
		}
	}
}

func (m *syncModel) sync(rt *rapid.T, i int) {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	err := New(m.devices[i], Options{}).SyncOnce(ctx)
	if m.up && err != nil {
		rt.Fatalf("sync of device %d with the server up: %v", i, err)
	}
	if !m.up && err == nil {
		rt.Fatalf("sync of device %d succeeded with the server down", i)
	}
}

func TestSyncModel(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		m := &syncModel{t: t, srv: newServer(t), up: true, model: map[string]map[string]changeset.Register{}}
		defer m.closeDevices()
		n := rapid.IntRange(2, 3).Draw(rt, "devices")
		for i := 0; i < n; i++ {
			code, err := m.srv.createCode(college, "clerk", time.Hour)
			if err != nil {
				rt.Fatal(err)
			}
			st := m.srv.enrolledStore(fmt.Sprintf("d%d", i), code)
			m.devices = append(m.devices, st)
			m.paths = append(m.paths, st.Path())
		}
		for i := 0; i < 2; i++ {
			p, err := m.devices[0].SavePerson(record.Person{Name: "初始"})
			if err != nil {
				rt.Fatal(err)
			}
			m.people = append(m.people, p.ID)
			m.model[p.ID] = map[string]changeset.Register{}
			m.record(p.ID, m.devices[0])
		}
		for i := range m.devices {
			m.sync(rt, i)
		}

		rt.Repeat(map[string]func(*rapid.T){
			"edit": func(rt *rapid.T) {
				i := rapid.IntRange(0, n-1).Draw(rt, "device")
				person := rapid.SampledFrom(m.people).Draw(rt, "person")
				field := rapid.SampledFrom(modelFields).Draw(rt, "field")
				value := modelValue(rt, field)
				if _, err := m.devices[i].SaveBatch(record.KindPerson, []string{person}, []map[string]string{{field: value}}); err != nil {
					rt.Fatalf("edit on device %d: %v", i, err)
				}
				m.record(person, m.devices[i])
			},
			"sync": func(rt *rapid.T) {
				m.sync(rt, rapid.IntRange(0, n-1).Draw(rt, "device"))
			},
			"server down or up": func(rt *rapid.T) {
				if m.up {
					m.srv.stop()
				} else {
					m.srv.start()
				}
				m.up = !m.up
			},
			// The server applies a push but the device never receives the
			// ack, then the same push arrives again.
			"lost ack, repeated push": func(rt *rapid.T) {
				i := rapid.IntRange(0, n-1).Draw(rt, "device")
				if !m.up || m.devices[i].Pending() == 0 {
					rt.Skip("nothing to push")
				}
				out, err := m.devices[i].Outbox(0, 1000)
				if err != nil {
					rt.Fatal(err)
				}
				d, _ := m.srv.pool.Device(m.devices[i].Device())
				out = trimAcked(out, d.Acked)
				if len(out) == 0 {
					rt.Skip("all acked")
				}
				for k := 0; k < 2; k++ {
					if _, err := m.srv.pool.ApplyPush(m.devices[i].Device(), out[0].Seq, out[len(out)-1].Seq, out); err != nil {
						rt.Fatalf("push %d of device %d: %v", k+1, i, err)
					}
				}
			},
			// The server compacts the log and purges tombstones every
			// device has pulled.
			"compact": func(rt *rapid.T) {
				if !m.up {
					rt.Skip("server down")
				}
				if _, err := m.srv.pool.Compact(college); err != nil {
					rt.Fatalf("compact: %v", err)
				}
			},
			// The device stops between its write and the ack, and starts again.
			"device restart": func(rt *rapid.T) {
				i := rapid.IntRange(0, n-1).Draw(rt, "device")
				m.devices[i].Close()
				st, err := store.Open(m.paths[i], store.Options{})
				if err != nil {
					rt.Fatalf("reopening device %d: %v", i, err)
				}
				m.devices[i] = st
			},
		})

		if !m.up {
			m.srv.start()
			m.up = true
		}
		for round := 0; round < 2; round++ {
			for i := range m.devices {
				m.sync(rt, i)
			}
		}
		m.check(rt)
	})
}

func trimAcked(out []changeset.Change, acked uint64) []changeset.Change {
	for len(out) > 0 && out[0].Seq <= acked {
		out = out[1:]
	}
	return out
}

func (m *syncModel) closeDevices() {
	for i, st := range m.devices {
		if err := st.Check(); err != nil {
			m.t.Errorf("device %d store integrity: %v", i, err)
		}
		st.Close()
	}
	m.srv.stop()
}

// check compares every replica with the pool and the pool with the model.
func (m *syncModel) check(rt *rapid.T) { m.checkAgainst(rt, m.srv.pool) }

// checkAgainst compares every replica with p and p with the model.
func (m *syncModel) checkAgainst(rt *rapid.T, p *pool.Pool) {
	poolStates := map[string]*changeset.State{}
	err := p.Each(record.KindPerson, func(st *changeset.State) error {
		poolStates[st.ID.String()] = st
		return nil
	})
	if err != nil {
		rt.Fatal(err)
	}
	// Each skips deleted records, so the people of the model are read
	// from each device directly.
	for _, person := range m.people {
		want := m.model[person]
		for i, st := range m.devices {
			got, err := st.State(record.KindPerson, person)
			if err != nil {
				rt.Fatalf("device %d lacks %s: %v", i, person, err)
			}
			for field, reg := range want {
				have := got.Fields[field]
				if have.Value != reg.Value || have.Stamp != reg.Stamp || have.Device != reg.Device {
					rt.Fatalf("device %d person %s field %s = %+v, model %+v", i, person, field, have, reg)
				}
			}
			if len(got.Fields) != len(want) {
				rt.Fatalf("device %d person %s has %d fields, model %d", i, person, len(got.Fields), len(want))
			}
		}
		if ps, ok := poolStates[person]; ok {
			for field, reg := range want {
				if have := ps.Fields[field]; have.Value != reg.Value || have.Stamp != reg.Stamp {
					dev, _ := m.devices[0].State(record.KindPerson, person)
					rt.Fatalf("pool person %s field %s = %+v, model %+v\npool %+v\ndevice0 %+v", person, field, have, reg, ps.Fields, dev.Fields)
				}
			}
		} else if want[record.FieldDeleted].Value != "1" {
			rt.Fatalf("pool lacks live person %s", person)
		}
	}
	// Every replica holds the same conflict items as the pool.
	poolItems := map[string]bool{}
	_ = p.Each(record.KindConflict, func(st *changeset.State) error {
		poolItems[st.ID.String()] = true
		return nil
	})
	for i, st := range m.devices {
		items, err := st.Conflicts(false)
		if err != nil {
			rt.Fatal(err)
		}
		if len(items) != len(poolItems) {
			rt.Fatalf("device %d holds %d conflict items, pool %d", i, len(items), len(poolItems))
		}
		for _, it := range items {
			if !poolItems[it.ID] {
				rt.Fatalf("device %d holds conflict %s the pool lacks", i, it.ID)
			}
		}
	}
}
