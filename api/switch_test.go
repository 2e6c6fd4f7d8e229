package api

import (
	"context"
	"errors"
)

type switchPinger struct{ down bool }

func (p *switchPinger) Ping(context.Context) error {
	if p.down {
		return errors.New("dial tcp 127.0.0.1:5432: connect: connection refused")
	}
	return nil
}
