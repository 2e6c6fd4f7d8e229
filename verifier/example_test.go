package verifier_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"time"

	"github.com/fprlink/fprlink/issuer"
	"github.com/fprlink/fprlink/issuer/edoc"
	"github.com/fprlink/fprlink/keys"
	"github.com/fprlink/fprlink/verifier"
)

// exampleService plays the issuing service at iss: it issues e-documents
// and publishes its JWKS, status list and trust bundle.
type exampleService struct {
	keys   *keys.Manager
	issuer *issuer.Issuer
	list   *edoc.StatusList
}

func newExampleService(iss string, now func() time.Time) *exampleService {
	ctx := context.Background()
	km, _ := keys.NewManager(keys.Config{Store: &keys.MemoryStore{}, KEK: make([]byte, 32), Now: now})
	_, _ = km.Generate(ctx)
	perm, _ := issuer.NewIndexPermutation([]byte("example permutation key"), 1024)
	is, _ := issuer.New(issuer.Config{
		Issuer: iss, MaxValidity: 365 * 24 * time.Hour,
		StatusListTTL: time.Hour, StatusListLifetime: 24 * time.Hour,
		Keys: km, Allocator: issuer.NewMemoryAllocator(perm), Now: now,
	})
	return &exampleService{keys: km, issuer: is, list: edoc.NewStatusList(1024)}
}

func (s *exampleService) issue() issuer.Document {
	doc, err := s.issuer.Issue(context.Background(), sampleInput())
	if err != nil {
		panic(err)
	}
	return doc
}

func (s *exampleService) jwks() []byte {
	b, _ := s.keys.JWKS(context.Background())
	return b
}

func (s *exampleService) statusToken() string {
	tok, _ := s.issuer.StatusListToken(context.Background(), "1", s.list)
	return tok
}

func (s *exampleService) bundle() []byte {
	b, _ := s.issuer.TrustBundle(context.Background(), s.jwks(), map[string]string{s.issuer.StatusListURI("1"): s.statusToken()})
	return []byte(b)
}

// ServeHTTP answers GET /.well-known/jwks.json and the status list.
func (s *exampleService) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch r.URL.Path {
	case verifier.JWKSPath:
		_, _ = w.Write(s.jwks())
	case edoc.StatusListPath + "1":
		_, _ = w.Write([]byte(s.statusToken()))
	default:
		http.NotFound(w, r)
	}
}

// exampleIssuer returns one e-document's QR text from the service at
// https://fprlink.example.gov.cn, its JWKS and its status list token.
func exampleIssuer(now func() time.Time) (qrText string, jwks []byte, statusURI, statusToken string) {
	s := newExampleService("https://fprlink.example.gov.cn", now)
	return s.issue().QRText, s.jwks(), s.issuer.StatusListURI("1"), s.statusToken()
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
	v, _ := verifier.New(verifier.Options{Sector: edoc.PurposeBank, Keys: ks, Status: status, Now: now, Leeway: time.Minute})

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
	// audience pass
	// status pass
	// fields pass
	// MARTIN 911250198504120011
}

// The online flow: keys from the issuer's published JWKS and status lists
// from their URIs, both over HTTPS and cached as the issuer allows. Here
// an httptest server stands in for https://fprlink.example.gov.cn; a bank
// uses an http.Client with the system roots.
func ExampleHTTPKeys() {
	now := func() time.Time { return time.Date(2025, 3, 1, 8, 0, 0, 0, time.UTC) }
	var svc *exampleService
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { svc.ServeHTTP(w, r) }))
	defer srv.Close()
	svc = newExampleService(srv.URL, now)
	qrText := svc.issue().QRText

	client := srv.Client() // a bank: &http.Client{Timeout: 10 * time.Second}
	ks, err := verifier.NewHTTPKeys(verifier.HTTPKeysOptions{URL: srv.URL + verifier.JWKSPath, Client: client, Now: now})
	if err != nil {
		panic(err)
	}
	status, _ := verifier.NewHTTPStatus(verifier.HTTPStatusOptions{Keys: ks, Client: client, Now: now})
	v, _ := verifier.New(verifier.Options{Sector: edoc.PurposeBank, Keys: ks, Status: status, Now: now, Leeway: time.Minute})

	res, err := v.Verify(context.Background(), qrText)
	fmt.Println(res.Status, err)
	// Output:
	// valid <nil>
}

// The air-gapped flow: one trust bundle file, fetched from the issuer's
// /api/v1/trust-bundle (or made with "fprlink bundle") and carried to a
// machine with no network, holds the keys and every status list. The
// verifier built from it has no client at all.
func ExampleParseBundle() {
	now := func() time.Time { return time.Date(2025, 3, 1, 8, 0, 0, 0, time.UTC) }
	svc := newExampleService("https://fprlink.example.gov.cn", now)
	doc := svc.issue()
	bundleFile := svc.bundle() // the saved file's bytes; LoadBundle reads a path

	later := func() time.Time { return now().Add(3 * time.Hour) }
	b, err := verifier.ParseBundle(context.Background(), bundleFile,
		verifier.BundleOptions{Issuer: "https://fprlink.example.gov.cn", Now: later})
	if err != nil {
		panic(err)
	}
	fmt.Println("bundle made", b.Age(), "ago, valid until", b.Expiry.UTC().Format(time.RFC3339))
	v, _ := verifier.New(verifier.Options{Sector: edoc.PurposeBank, Keys: b.Keys(), Status: b, Now: later, Leeway: time.Minute})
	res, err := v.Verify(context.Background(), doc.QRText)
	fmt.Println(res.Status, err)

	// Past the bundle's exp nothing it says about status counts.
	expired := func() time.Time { return now().Add(25 * time.Hour) }
	b, _ = verifier.ParseBundle(context.Background(), bundleFile,
		verifier.BundleOptions{Issuer: "https://fprlink.example.gov.cn", Now: expired})
	v, _ = verifier.New(verifier.Options{Sector: edoc.PurposeBank, Keys: b.Keys(), Status: b, Now: expired})
	res, err = v.Verify(context.Background(), doc.QRText)
	fmt.Println(res.Status, err)
	// Output:
	// bundle made 3h0m0s ago, valid until 2025-03-02T08:00:00Z
	// valid <nil>
	// invalid verifier: trust bundle expired
}

// A fully offline relying party asks which status lists its documents
// need, downloads each from its URI, and verifies with the saved JWKS and
// lists.
func ExampleStatusListURIs() {
	now := func() time.Time { return time.Date(2025, 3, 1, 8, 0, 0, 0, time.UTC) }
	svc := newExampleService("https://fprlink.example.gov.cn", now)
	docs := []string{svc.issue().QRText, svc.issue().JWS}

	uris, err := verifier.StatusListURIs(docs...)
	if err != nil {
		panic(err)
	}
	fmt.Println(uris)
	saved := map[string]string{}
	for _, uri := range uris {
		saved[uri] = svc.statusToken() // a bank: the body of GET uri, kept as a file
	}

	ks, _ := verifier.NewStaticKeys("https://fprlink.example.gov.cn", svc.jwks())
	status, _ := verifier.NewStaticStatus(verifier.StaticStatusOptions{Keys: ks, Now: now, Tokens: saved})
	v, _ := verifier.New(verifier.Options{Sector: edoc.PurposeBank, Keys: ks, Status: status, Now: now})
	for _, d := range docs {
		res, _ := v.Verify(context.Background(), d)
		fmt.Println(res.Status)
	}
	// Output:
	// [https://fprlink.example.gov.cn/api/v1/status-lists/1]
	// valid
	// valid
}

// Without a status source nothing fails, but the status cannot be checked:
// the answer is "unknown", which is not valid.
func ExampleVerifier_Verify_statusUnknown() {
	now := func() time.Time { return time.Date(2025, 3, 1, 8, 0, 0, 0, time.UTC) }
	qrText, jwks, _, _ := exampleIssuer(now)
	ks, _ := verifier.NewStaticKeys("https://fprlink.example.gov.cn", jwks)
	v, _ := verifier.New(verifier.Options{Sector: edoc.PurposeBank, Keys: ks, Now: now})

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
	v, _ := verifier.New(verifier.Options{Sector: edoc.PurposeBank, Keys: ks, Now: now})

	res, err := v.Verify(context.Background(), "eyJhbGciOiJub25lIn0.e30.")
	fmt.Println(res.Status, err)
	// Output:
	// invalid verifier: algorithm is not ES256
}

// FormatReport prints what the command-line verifier shows.
func ExampleFormatReport() {
	now := func() time.Time { return time.Date(2025, 3, 1, 8, 0, 0, 0, time.UTC) }
	ks, _ := verifier.NewStaticKeys("https://fprlink.example.gov.cn", []byte(`{"keys":[]}`))
	v, _ := verifier.New(verifier.Options{Sector: edoc.PurposeBank, Keys: ks, Now: now})
	res, _ := v.Verify(context.Background(), "fprl:/5601a2")
	_ = verifier.FormatReport(os.Stdout, res)
	// Output:
	// fprlink e-document: NOT VALID (status: invalid)
	//   format     fail  QR text: edoc: QR text contains a non-digit
	//   algorithm  skip  not run: an earlier check did not pass
	//   key        skip  not run: an earlier check did not pass
	//   signature  skip  not run: an earlier check did not pass
	//   time       skip  not run: an earlier check did not pass
	//   audience   skip  not run: an earlier check did not pass
	//   status     skip  not run: an earlier check did not pass
	//   fields     skip  not run: an earlier check did not pass
}
