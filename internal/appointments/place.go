package appointments

import (
	"context"
	"errors"

	"github.com/fprlink/fprlink/internal/i18n"
)

// unlistedCenter names a centre the directory no longer lists. Only past
// appointments can point at one: a centre with bookings to come cannot be
// removed (RefuseIfBookedTx).
var unlistedCenter = i18n.T("A service centre no longer listed in the directory", "已不在名录中的服务中心")

// name fills in each appointment's centre name and address as the
// directory lists them now, asking once per centre.
func (s *Service) name(ctx context.Context, as []*Appointment) error {
	seen := map[string]CenterSchedule{}
	for _, a := range as {
		sc, ok := seen[a.CenterID]
		if !ok {
			var err error
			if sc, err = s.schedule(ctx, a.CenterID); errors.Is(err, errCenterNotFound) {
				sc = CenterSchedule{ID: a.CenterID, Name: unlistedCenter}
			} else if err != nil {
				return err
			}
			seen[a.CenterID] = sc
		}
		a.CenterName, a.CenterAddress = sc.Name, sc.Address
	}
	return nil
}

// named is a with its centre named, or the error of naming it.
func (s *Service) named(ctx context.Context, a Appointment, err error) (Appointment, error) {
	if err != nil {
		return a, err
	}
	if err := s.name(ctx, []*Appointment{&a}); err != nil {
		return Appointment{}, err
	}
	return a, nil
}

// nameAll names the centre of every appointment in list.
func (s *Service) nameAll(ctx context.Context, list []Appointment) error {
	ptrs := make([]*Appointment, len(list))
	for i := range list {
		ptrs[i] = &list[i]
	}
	return s.name(ctx, ptrs)
}
