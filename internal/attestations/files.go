package attestations

import (
	"context"
	"errors"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/fprlink/fprlink/internal/apperr"
	"github.com/fprlink/fprlink/internal/i18n"
)

// File kinds.
const (
	KindPDF = "pdf"
	KindPNG = "png"
	KindSVG = "svg"
)

// File is a downloadable rendering of an attestation.
type File struct {
	Kind           string
	DocumentNumber string
	Content        []byte
}

// ContentType is the media type of the file.
func (f File) ContentType() string {
	switch f.Kind {
	case KindPDF:
		return "application/pdf"
	case KindPNG:
		return "image/png"
	}
	return "image/svg+xml"
}

var errUnknownKind = apperr.NotFound("file_not_found", i18n.T("There is no such file.", "不存在该文件。"))

// File returns the kind rendering of one of personID's attestations. The
// PDF was stored at issue; a QR image is rendered on first request and
// stored, so later downloads do no rendering work at all.
func (s *Service) File(ctx context.Context, personID, id, kind string) (File, error) {
	if kind != KindPDF && kind != KindPNG && kind != KindSVG {
		return File{}, errUnknownKind
	}
	db := s.db.Gorm.WithContext(ctx)
	row, err := s.own(db, personID, id)
	if err != nil {
		return File{}, err
	}
	var files []FileRow
	if err := db.Where("attestation_id = ? AND kind = ?", id, kind).Limit(1).Find(&files).Error; err != nil {
		return File{}, apperr.Internal("attestations: file: %w", err)
	}
	if len(files) == 1 {
		content, err := s.content(files[0])
		if err != nil {
			return File{}, apperr.Internal("attestations: open %s of %s: %w", kind, id, err)
		}
		return File{Kind: kind, DocumentNumber: row.DocumentNumber, Content: content}, nil
	}
	if kind == KindPDF {
		return File{}, apperr.Internal("attestations: PDF of %s missing", id)
	}
	content, err := s.renderQR(row.QRText, kind)
	if err != nil {
		return File{}, apperr.Internal("attestations: render %s: %w", kind, err)
	}
	f, err := s.sealedRow(FileRow{AttestationID: id, Kind: kind, Content: content, CreatedAt: s.clock.Now().UTC()})
	if err != nil {
		return File{}, apperr.Internal("attestations: seal %s: %w", kind, err)
	}
	// Two first downloads at once render the same bytes; keep whichever
	// lands first.
	err = db.Clauses(clause.OnConflict{DoNothing: true}).Create(&f).Error
	if err != nil && !errors.Is(err, gorm.ErrDuplicatedKey) {
		return File{}, apperr.Internal("attestations: store %s: %w", kind, err)
	}
	return File{Kind: kind, DocumentNumber: row.DocumentNumber, Content: content}, nil
}

func (s *Service) renderQR(text, kind string) ([]byte, error) {
	if kind == KindPNG {
		return s.render.PNG(text)
	}
	return s.render.SVG(text)
}
