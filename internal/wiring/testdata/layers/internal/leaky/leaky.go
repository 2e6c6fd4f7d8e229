// Package leaky imports the wiring that should import it.
package leaky

import (
	"fmt"

	"example.org/m/internal/sound"
	"example.org/m/internal/wiring"
)

var _ = fmt.Sprint(sound.X, wiring.Y)
