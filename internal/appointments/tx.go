package appointments

import (
	"context"
	"errors"

	"github.com/jackc/pgx/v5/pgconn"
	"gorm.io/gorm"
)

// maxTxAttempts bounds the retries of a transaction that PostgreSQL aborted
// to break a deadlock or a serialization conflict.
const maxTxAttempts = 4

// transact runs fn in a transaction and retries it when PostgreSQL chose it
// as the victim of a deadlock (40P01) or a serialization failure (40001).
// Such cycles are possible in principle — a closure cancels a day's
// appointments while someone reschedules within that day, each locking an
// appointment and a slot counter in the other order — and are harmless to
// repeat because the transaction rolled back completely.
func (s *Service) transact(ctx context.Context, fn func(tx *gorm.DB) error) error {
	var err error
	for range maxTxAttempts {
		err = s.db.Gorm.WithContext(ctx).Transaction(fn)
		if !retryable(err) || ctx.Err() != nil {
			return err
		}
	}
	return err
}

func retryable(err error) bool {
	var pg *pgconn.PgError
	return errors.As(err, &pg) && (pg.Code == "40P01" || pg.Code == "40001")
}
