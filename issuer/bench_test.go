package issuer

import (
	"context"
	"testing"
)

func BenchmarkIssue(b *testing.B) {
	fx := newFixture(b)
	ctx := context.Background()
	in := sampleInput()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := fx.issuer.Issue(ctx, in); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkQRPNG(b *testing.B) {
	fx := newFixture(b)
	doc, _ := fx.issuer.Issue(context.Background(), longInput())
	b.ReportAllocs()
	for b.Loop() {
		qr, err := EncodeQR(doc.QRText)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := qr.PNG(4); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkPDF(b *testing.B) {
	fx := newFixture(b)
	doc, _ := fx.issuer.Issue(context.Background(), longInput())
	b.ReportAllocs()
	for b.Loop() {
		if _, err := RenderPDF(doc); err != nil {
			b.Fatal(err)
		}
	}
}
