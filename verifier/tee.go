package verifier

import (
	"bytes"
	"io"
)

// teeHeader lets the image header be read for its size and then the whole
// stream decoded, without reading an unbounded file into memory first.
func teeHeader(r io.Reader) (io.Reader, func() io.Reader) {
	var seen bytes.Buffer
	tee := io.TeeReader(r, &seen)
	return tee, func() io.Reader { return io.MultiReader(&seen, r) }
}
