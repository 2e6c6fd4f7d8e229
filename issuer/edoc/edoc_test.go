package edoc

import (
	"errors"
	"testing"
)

func TestStatusListIsLSBFirst(t *testing.T) {
	l := NewStatusList(8)
	_ = l.Set(0, StatusInvalid)
	_ = l.Set(1, StatusSuspended)
	_ = l.Set(7, StatusInvalid)
	// Entry 0 in bits 0-1, entry 1 in bits 2-3: 0b1001; entry 7 in bits 6-7 of byte 1.
	if l.bits[0] != 0b00001001 || l.bits[1] != 0b01000000 {
		t.Fatalf("bytes %08b", l.bits)
	}
	back, err := DecodeStatusList(StatusBits{Bits: 2, Lst: l.Encode()}, 2)
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := back.Get(1); v != StatusSuspended {
		t.Fatalf("entry 1 = %d", v)
	}
	if _, err := DecodeStatusList(StatusBits{Bits: 2, Lst: l.Encode()}, 1); !errors.Is(err, ErrStatusTooLarge) {
		t.Fatalf("bound: %v", err)
	}
	if _, err := DecodeStatusList(StatusBits{Bits: 1, Lst: l.Encode()}, 2); !errors.Is(err, ErrStatusBits) {
		t.Fatalf("bits 1: %v", err)
	}
	if _, err := back.Get(8); !errors.Is(err, ErrStatusIndex) {
		t.Fatalf("index 8: %v", err)
	}
}

func TestQRTextRoundTrip(t *testing.T) {
	const jws = "eyJhbGciOiJFUzI1NiJ9.e30.sig-_z"
	text, err := EncodeQRText(jws)
	if err != nil || text[:len(QRPrefix)+4] != "fprl:/5676" {
		t.Fatalf("%q %v", text, err)
	}
	back, err := DecodeQRText(text)
	if err != nil || back != jws {
		t.Fatalf("%q %v", back, err)
	}
	if _, err := EncodeQRText("a b"); !errors.Is(err, ErrQRCharacter) {
		t.Fatalf("space: %v", err)
	}
}
