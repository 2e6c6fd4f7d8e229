package registry

import (
	"bytes"
	"context"
	"testing"

	"github.com/fprlink/fprlink/internal/storage"
	"github.com/fprlink/fprlink/internal/storage/dbtest"
)

const benchLines = 10000

func benchFile(b *testing.B) []byte {
	lines := make([]ImportLine, benchLines)
	for i := range lines {
		lines[i] = testLine(i)
	}
	return ndjson(b, lines...).Bytes()
}

// benchImport measures a first import of 10,000 lines into an empty
// registry (each iteration gets a fresh database, set up off the clock) and
// a re-import of the same file, which must change nothing.
func benchImport(b *testing.B, open func(testing.TB, ...dbtest.Option) *storage.DB) {
	file := benchFile(b)
	b.Run("new", func(b *testing.B) {
		b.SetBytes(int64(len(file)))
		for b.Loop() {
			b.StopTimer()
			s := newService(open(b))
			b.StartTimer()
			if _, err := s.Import(context.Background(), officer, bytes.NewReader(file)); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("reimport", func(b *testing.B) {
		s := newService(open(b))
		if _, err := s.Import(context.Background(), officer, bytes.NewReader(file)); err != nil {
			b.Fatal(err)
		}
		b.SetBytes(int64(len(file)))
		for b.Loop() {
			res, err := s.Import(context.Background(), officer, bytes.NewReader(file))
			if err != nil || res.Unchanged != benchLines {
				b.Fatalf("%+v %v", res, err)
			}
		}
	})
}

func BenchmarkImport10kSQLite(b *testing.B)   { benchImport(b, dbtest.SQLite) }
func BenchmarkImport10kPostgres(b *testing.B) { benchImport(b, dbtest.Postgres) }
