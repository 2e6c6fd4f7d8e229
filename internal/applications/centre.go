package applications

import (
	"context"

	"github.com/fprlink/fprlink/internal/apperr"
	"github.com/fprlink/fprlink/internal/i18n"
)

// unlistedCentre names a centre the directory no longer lists. Only a
// collected application can point at one: a centre holding open ones
// cannot be removed (RefuseIfOpenTx).
var unlistedCentre = i18n.T("A service centre no longer listed in the directory", "已不在名录中的服务中心")

// nameCentres fills in each application's centre as the directory lists
// it now, asking once per centre.
func (s *Service) nameCentres(ctx context.Context, as ...*Application) error {
	seen := map[string]Centre{}
	for _, a := range as {
		c, ok := seen[a.CentreID]
		if !ok {
			var found bool
			var err error
			if c, found, err = s.directory.Centre(ctx, a.CentreID); err != nil {
				return apperr.Internal("applications: centre %s: %w", a.CentreID, err)
			}
			if !found {
				c = Centre{Name: unlistedCentre}
			}
			seen[a.CentreID] = c
		}
		a.Centre = c
	}
	return nil
}
