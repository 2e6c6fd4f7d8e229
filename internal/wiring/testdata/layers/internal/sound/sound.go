// Package sound imports only what lies below it.
package sound

import "example.org/m/internal/storage"

// X is exported.
var X = storage.X
