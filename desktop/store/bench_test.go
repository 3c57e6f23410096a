package store

import (
	"path/filepath"
	"testing"

	"mobilefactory/shared/demo"
	"mobilefactory/shared/record"
)

func benchStore(b *testing.B, people int) *Store {
	b.Helper()
	path := filepath.Join(b.TempDir(), "client.db")
	s, err := Open(path, Options{})
	if err != nil {
		b.Fatal(err)
	}
	if err := s.SetIdentity(Identity{Device: s.Device(), College: testCollege}); err != nil {
		b.Fatal(err)
	}
	data := demo.Generate(demo.Options{People: people, Seed: 3})
	fields := make([]map[string]string, len(data.Persons))
	for i, p := range data.Persons {
		fields[i] = p.Fields()
	}
	if _, err := s.SaveBatch(record.KindPerson, make([]string, len(fields)), fields); err != nil {
		b.Fatal(err)
	}
	return s
}

// BenchmarkOpen50k measures opening a store of 50,000 persons, which builds
// the search index the first frame needs.
func BenchmarkOpen50k(b *testing.B) {
	s := benchStore(b, 50_000)
	path := s.Path()
	s.Close()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		s, err := Open(path, Options{})
		if err != nil {
			b.Fatal(err)
		}
		if n := s.Count(); n != 50_000 {
			b.Fatalf("Count() = %d", n)
		}
		b.StopTimer()
		s.Close()
		b.StartTimer()
	}
}

// BenchmarkSearchKeystroke50k measures one search-box keystroke over 50,000
// persons: pinyin initials, a name fragment and an ID tail.
func BenchmarkSearchKeystroke50k(b *testing.B) {
	s := benchStore(b, 50_000)
	defer s.Close()
	for _, q := range []string{"w", "wj", "王", "建华", "0219", "2024", "zzz"} {
		b.Run(q, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				s.Search(q, 200)
			}
		})
	}
}
