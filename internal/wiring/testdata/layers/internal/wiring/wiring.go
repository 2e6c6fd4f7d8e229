// Package wiring may import every layer.
package wiring

import (
	"example.org/m/api"
	"example.org/m/internal/leaky"
)

// Y is exported.
var Y = api.Z + leaky.Z
