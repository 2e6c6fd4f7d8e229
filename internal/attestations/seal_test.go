package attestations_test

import (
	"bytes"
	"context"
	"testing"

	"github.com/fprlink/fprlink/internal/attestations"
	"github.com/fprlink/fprlink/internal/attestations/attestationstest"
	"github.com/fprlink/fprlink/internal/relyingparties"
	"github.com/fprlink/fprlink/internal/storage"
	"github.com/fprlink/fprlink/internal/storage/dbtest"
)

func storedFiles(t *testing.T, db *storage.DB, id string) map[string]attestations.FileRow {
	t.Helper()
	var rows []attestations.FileRow
	if err := db.Gorm.Where("attestation_id = ?", id).Find(&rows).Error; err != nil {
		t.Fatal(err)
	}
	out := map[string]attestations.FileRow{}
	for _, r := range rows {
		out[r.Kind] = r
	}
	return out
}

// TestStoredFilesAreSealed: the kept PDF prints the verification code, so
// what the database holds is sealed, not the PDF; the holder still
// downloads the PDF itself.
func TestStoredFilesAreSealed(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		a := aliceIssued(t, db)
		e, doc, ctx := a.Env, a.doc, context.Background()
		pdf, err := e.Service.File(ctx, "alice", doc.ID, attestations.KindPDF)
		if err != nil || !bytes.HasPrefix(pdf.Content, []byte("%PDF")) {
			t.Fatalf("download: %.8q %v", pdf.Content, err)
		}
		if _, err := e.Service.File(ctx, "alice", doc.ID, attestations.KindPNG); err != nil {
			t.Fatal(err)
		}
		stored := storedFiles(t, db, doc.ID)
		for _, kind := range []string{attestations.KindPDF, attestations.KindPNG} {
			f, ok := stored[kind]
			if !ok || !f.Sealed || bytes.Contains(f.Content, []byte("%PDF")) || bytes.Contains(f.Content, []byte("PNG")) {
				t.Fatalf("%s stored in the clear (sealed %v)", kind, f.Sealed)
			}
		}
		if bytes.Contains(stored[attestations.KindPDF].Content, pdf.Content[:64]) {
			t.Fatal("the stored PDF contains the PDF's bytes")
		}
	})
}

// TestSealStoredFilesSealsRowsOfEarlierVersions: a rendering stored in the
// clear is served as it is, sealed at the next start, and served the same
// afterwards; sealing again finds nothing.
func TestSealStoredFilesSealsRowsOfEarlierVersions(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		a := aliceIssued(t, db)
		e, doc, ctx := a.Env, a.doc, context.Background()
		clear := []byte("%PDF-1.3 as an earlier version stored it")
		if err := db.Gorm.Model(&attestations.FileRow{}).Where("attestation_id = ? AND kind = ?", doc.ID, attestations.KindPDF).
			Updates(map[string]any{"content": clear, "sealed": false}).Error; err != nil {
			t.Fatal(err)
		}
		if f, err := e.Service.File(ctx, "alice", doc.ID, attestations.KindPDF); err != nil || !bytes.Equal(f.Content, clear) {
			t.Fatalf("before sealing: %q %v", f.Content, err)
		}
		if n, err := e.Service.SealStoredFiles(ctx); err != nil || n != 1 {
			t.Fatalf("sealed %d: %v", n, err)
		}
		if f := storedFiles(t, db, doc.ID)[attestations.KindPDF]; !f.Sealed || bytes.Contains(f.Content, clear) {
			t.Fatal("still in the clear")
		}
		if f, err := e.Service.File(ctx, "alice", doc.ID, attestations.KindPDF); err != nil || !bytes.Equal(f.Content, clear) {
			t.Fatalf("after sealing: %q %v", f.Content, err)
		}
		if n, err := e.Service.SealStoredFiles(ctx); err != nil || n != 0 {
			t.Fatalf("second run sealed %d: %v", n, err)
		}
	})
}

// TestSealedFileOpensOnlyForItsOwnDocument: a sealed file copied onto
// another document's row does not open (the ID is bound in), so it is
// refused rather than served as that document.
func TestSealedFileOpensOnlyForItsOwnDocument(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := env(t, db)
		ctx := context.Background()
		e.Holders.Put(attestationstest.Sample("alice"))
		first, _ := e.Service.Issue(ctx, attestations.IssueRequest{PersonID: "alice", Purpose: relyingparties.SectorBank})
		second, err := e.Service.Issue(ctx, attestations.IssueRequest{PersonID: "alice", Purpose: relyingparties.SectorBank})
		if err != nil {
			t.Fatal(err)
		}
		moved := storedFiles(t, db, first.ID)[attestations.KindPDF].Content
		if err := db.Gorm.Model(&attestations.FileRow{}).Where("attestation_id = ? AND kind = ?", second.ID, attestations.KindPDF).
			Update("content", moved).Error; err != nil {
			t.Fatal(err)
		}
		if _, err := e.Service.File(ctx, "alice", second.ID, attestations.KindPDF); err == nil {
			t.Fatal("another document's sealed PDF was served")
		}
	})
}
