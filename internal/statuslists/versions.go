package statuslists

import (
	"context"
	"fmt"

	"gorm.io/gorm"
)

// Versions returns every list's id with its change counter, in one read:
// what a trust bundle holding every list checks to know whether it is
// still current.
func (s *Store) Versions(ctx context.Context) (map[string]int64, error) {
	return versions(s.db.Gorm.WithContext(ctx))
}

func versions(g *gorm.DB) (map[string]int64, error) {
	var rows []ListRow
	if err := g.Select("id", "version").Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("statuslists: versions: %w", err)
	}
	out := make(map[string]int64, len(rows))
	for _, r := range rows {
		out[r.ID] = r.Version
	}
	return out, nil
}
