package edoc

import (
	"bytes"
	"compress/zlib"
	"encoding/base64"
	"io"
)

// StatusBitSize is the only bit size fprlink uses: two bits per entry hold
// valid, invalid and suspended.
const StatusBitSize = 2

// StatusList is a two-bit-per-entry status list. Entry i lives in byte i/4
// at bit offset 2*(i%4), least significant bits first, as the IETF Token
// Status List draft requires.
type StatusList struct {
	bits []byte
}

// NewStatusList returns a list of size entries, all valid. size is rounded
// up to a multiple of four so the list fills whole bytes.
func NewStatusList(size int) *StatusList {
	return &StatusList{bits: make([]byte, (size+3)/4)}
}

// Len returns the number of entries.
func (l *StatusList) Len() int { return len(l.bits) * 4 }

// Get returns the status of entry idx.
func (l *StatusList) Get(idx int) (uint8, error) {
	if idx < 0 || idx >= l.Len() {
		return 0, ErrStatusIndex
	}
	return (l.bits[idx/4] >> (2 * uint(idx%4))) & 0b11, nil
}

// Set stores status v at entry idx.
func (l *StatusList) Set(idx int, v uint8) error {
	if idx < 0 || idx >= l.Len() {
		return ErrStatusIndex
	}
	if v > 0b11 {
		return ErrStatusValue
	}
	shift := 2 * uint(idx%4)
	l.bits[idx/4] = l.bits[idx/4]&^(0b11<<shift) | v<<shift
	return nil
}

// Encode returns the lst member: base64url (no padding) of the zlib
// (RFC 1950) compressed list.
func (l *StatusList) Encode() string {
	var buf bytes.Buffer
	zw, _ := zlib.NewWriterLevel(&buf, zlib.BestCompression)
	// Writes to a bytes.Buffer cannot fail.
	_, _ = zw.Write(l.bits)
	_ = zw.Close()
	return base64.RawURLEncoding.EncodeToString(buf.Bytes())
}

// DecodeStatusList parses a status_list member. maxBytes bounds the inflated
// size so a hostile list cannot exhaust memory.
func DecodeStatusList(sb StatusBits, maxBytes int) (*StatusList, error) {
	if sb.Bits != StatusBitSize {
		return nil, ErrStatusBits
	}
	raw, err := base64.RawURLEncoding.DecodeString(sb.Lst)
	if err != nil {
		return nil, ErrStatusEncoding
	}
	zr, err := zlib.NewReader(bytes.NewReader(raw))
	if err != nil {
		return nil, ErrStatusEncoding
	}
	defer zr.Close()
	bits, err := io.ReadAll(io.LimitReader(zr, int64(maxBytes)+1))
	if err != nil {
		return nil, ErrStatusEncoding
	}
	if len(bits) > maxBytes {
		return nil, ErrStatusTooLarge
	}
	return &StatusList{bits: bits}, nil
}
