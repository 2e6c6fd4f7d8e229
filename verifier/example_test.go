package verifier_test

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/fprlink/fprlink/issuer"
	"github.com/fprlink/fprlink/issuer/edoc"
	"github.com/fprlink/fprlink/keys"
	"github.com/fprlink/fprlink/verifier"
)

// exampleIssuer plays the issuing service: it returns one e-document's QR
// text, the published JWKS and the status list token.
func exampleIssuer(now func() time.Time) (qrText string, jwks []byte, statusURI, statusToken string) {
	ctx := context.Background()
	km, _ := keys.NewManager(keys.Config{Store: &keys.MemoryStore{}, KEK: make([]byte, 32), Now: now})
	_, _ = km.Generate(ctx)
	perm, _ := issuer.NewIndexPermutation([]byte("example permutation key"), 1024)
	is, _ := issuer.New(issuer.Config{
		Issuer: "https://fprlink.example.gov.cn", MaxValidity: 365 * 24 * time.Hour,
		StatusListTTL: time.Hour, StatusListLifetime: 24 * time.Hour,
		Keys: km, Allocator: issuer.NewMemoryAllocator(perm), Now: now,
	})
	doc, err := is.Issue(ctx, sampleInput())
	if err != nil {
		panic(err)
	}
	jwks, _ = km.JWKS(ctx)
	statusToken, _ = is.StatusListToken(ctx, "1", edoc.NewStatusList(1024))
	return doc.QRText, jwks, is.StatusListURI("1"), statusToken
}

// A relying party verifies a scanned QR code offline, with the issuer's
// published JWKS and status list saved as files.
func Example() {
	now := func() time.Time { return time.Date(2025, 3, 1, 8, 0, 0, 0, time.UTC) }
	qrText, jwks, statusURI, statusToken := exampleIssuer(now)

	ks, err := verifier.NewStaticKeys("https://fprlink.example.gov.cn", jwks)
	if err != nil {
		panic(err)
	}
	status, _ := verifier.NewStaticStatus(verifier.StaticStatusOptions{Keys: ks, Now: now, Tokens: map[string]string{statusURI: statusToken}})
	v, _ := verifier.New(verifier.Options{Keys: ks, Status: status, Now: now, Leeway: time.Minute})

	res, err := v.Verify(context.Background(), qrText)
	fmt.Println("valid:", res.Valid, "status:", res.Status, "err:", err)
	for _, c := range res.Checks {
		fmt.Println(c.Code, c.Result)
	}
	if claims, ok := res.VerifiedClaims(); ok {
		fmt.Println(claims.Passport.Surname, claims.Card.Number)
	}
	// Output:
	// valid: true status: valid err: <nil>
	// format pass
	// algorithm pass
	// key pass
	// signature pass
	// time pass
	// status pass
	// fields pass
	// MARTIN 911250198504120011
}

// Without a status source nothing fails, but the status cannot be checked:
// the answer is "unknown", which is not valid.
func ExampleVerifier_Verify_statusUnknown() {
	now := func() time.Time { return time.Date(2025, 3, 1, 8, 0, 0, 0, time.UTC) }
	qrText, jwks, _, _ := exampleIssuer(now)
	ks, _ := verifier.NewStaticKeys("https://fprlink.example.gov.cn", jwks)
	v, _ := verifier.New(verifier.Options{Keys: ks, Now: now})

	res, err := v.Verify(context.Background(), qrText)
	fmt.Println(res.Valid, res.Status, res.Check(verifier.CheckStatus).Result, err)
	// Output:
	// false unknown skip verifier: no status source configured
}

// A forged token with "alg":"none" is refused before any key is used.
func ExampleVerifier_Verify_rejected() {
	now := func() time.Time { return time.Date(2025, 3, 1, 8, 0, 0, 0, time.UTC) }
	_, jwks, _, _ := exampleIssuer(now)
	ks, _ := verifier.NewStaticKeys("https://fprlink.example.gov.cn", jwks)
	v, _ := verifier.New(verifier.Options{Keys: ks, Now: now})

	res, err := v.Verify(context.Background(), "eyJhbGciOiJub25lIn0.e30.")
	fmt.Println(res.Status, err)
	// Output:
	// invalid verifier: algorithm is not ES256
}

// FormatReport prints what the command-line verifier shows.
func ExampleFormatReport() {
	now := func() time.Time { return time.Date(2025, 3, 1, 8, 0, 0, 0, time.UTC) }
	ks, _ := verifier.NewStaticKeys("https://fprlink.example.gov.cn", []byte(`{"keys":[]}`))
	v, _ := verifier.New(verifier.Options{Keys: ks, Now: now})
	res, _ := v.Verify(context.Background(), "fprl:/5601a2")
	_ = verifier.FormatReport(os.Stdout, res)
	// Output:
	// fprlink e-document: NOT VALID (status: invalid)
	//   format     fail  QR text: edoc: QR text contains a non-digit
	//   algorithm  skip  not run: an earlier check did not pass
	//   key        skip  not run: an earlier check did not pass
	//   signature  skip  not run: an earlier check did not pass
	//   time       skip  not run: an earlier check did not pass
	//   status     skip  not run: an earlier check did not pass
	//   fields     skip  not run: an earlier check did not pass
}
