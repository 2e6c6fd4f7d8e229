package verifier_test

import (
	"bytes"
	"compress/flate"
	"compress/zlib"
	"context"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/fprlink/fprlink/issuer"
	"github.com/fprlink/fprlink/issuer/edoc"
	"github.com/fprlink/fprlink/keys"
	"github.com/fprlink/fprlink/verifier"
	"github.com/go-jose/go-jose/v4"
)

const listSize = 4096

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Set(t time.Time) { c.mu.Lock(); c.t = t; c.mu.Unlock() }

// party is one issuing service: keys, issuer, status list, served over TLS.
type party struct {
	t      testing.TB
	srv    *httptest.Server
	iss    string
	clock  *clock
	keys   *keys.Manager
	issuer *issuer.Issuer
	list   *edoc.StatusList

	mu         sync.Mutex
	statusCode int      // non-zero: the status endpoint answers with it
	jwksCache  string   // Cache-Control of the JWKS, if set
	issuers    []string // the JWKS's "issuers" member, if set

	jwksHits, statusHits atomic.Int32
}

func newParty(t testing.TB, c *clock) *party {
	t.Helper()
	p := &party{t: t, clock: c, list: edoc.NewStatusList(listSize)}
	p.srv = httptest.NewTLSServer(http.HandlerFunc(p.serve))
	t.Cleanup(p.srv.Close)
	p.iss = p.srv.URL
	km, err := keys.NewManager(keys.Config{Store: &keys.MemoryStore{}, KEK: make([]byte, 32), Now: c.Now})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := km.Generate(context.Background()); err != nil {
		t.Fatal(err)
	}
	perm, _ := issuer.NewIndexPermutation([]byte("0123456789abcdef"), listSize)
	is, err := issuer.New(issuer.Config{
		Issuer: p.iss, MaxValidity: 365 * 24 * time.Hour,
		StatusListTTL: time.Hour, StatusListLifetime: 24 * time.Hour,
		Keys: km, Allocator: issuer.NewMemoryAllocator(perm), Now: c.Now,
	})
	if err != nil {
		t.Fatal(err)
	}
	p.keys, p.issuer = km, is
	return p
}

func (p *party) serve(w http.ResponseWriter, r *http.Request) {
	p.mu.Lock()
	code := p.statusCode
	p.mu.Unlock()
	switch r.URL.Path {
	case verifier.JWKSPath:
		p.jwksHits.Add(1)
		p.mu.Lock()
		if p.jwksCache != "" {
			w.Header().Set("Cache-Control", p.jwksCache)
		}
		p.mu.Unlock()
		_, _ = w.Write(p.jwks())
	case edoc.StatusListPath + "1":
		p.statusHits.Add(1)
		if code != 0 {
			w.WriteHeader(code)
			return
		}
		_, _ = w.Write([]byte(p.statusToken()))
	default:
		http.NotFound(w, r)
	}
}

func (p *party) jwks() []byte {
	b, err := p.keys.JWKS(context.Background())
	if err != nil {
		p.t.Fatal(err)
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.issuers == nil {
		return b
	}
	var set map[string]any
	_ = json.Unmarshal(b, &set)
	set["issuers"] = p.issuers
	return mustJSON(set)
}

// bundle is p's trust bundle with its current status list.
func (p *party) bundle() []byte {
	b, err := p.issuer.TrustBundle(context.Background(), p.jwks(), map[string]string{p.statusURI(): p.statusToken()})
	if err != nil {
		p.t.Fatal(err)
	}
	return []byte(b)
}

// formerIssuer is an issuer signing with p's keys under an earlier URL,
// one never served, as after the service moved.
func (p *party) formerIssuer(url string) *issuer.Issuer {
	perm, _ := issuer.NewIndexPermutation([]byte("fedcba9876543210"), listSize)
	is, err := issuer.New(issuer.Config{
		Issuer: url, MaxValidity: 365 * 24 * time.Hour,
		StatusListTTL: time.Hour, StatusListLifetime: 24 * time.Hour,
		Keys: p.keys, Allocator: issuer.NewMemoryAllocator(perm), Now: p.clock.Now,
	})
	if err != nil {
		p.t.Fatal(err)
	}
	return is
}

func (p *party) statusToken() string {
	tok, err := p.issuer.StatusListToken(context.Background(), "1", p.list)
	if err != nil {
		p.t.Fatal(err)
	}
	return tok
}

func (p *party) statusURI() string { return p.iss + edoc.StatusListPath + "1" }

func (p *party) issue() issuer.Document {
	doc, err := p.issuer.Issue(context.Background(), sampleInput())
	if err != nil {
		p.t.Fatal(err)
	}
	return doc
}

func (p *party) signer() *keys.Signer {
	s, err := p.keys.ActiveSigner(context.Background())
	if err != nil {
		p.t.Fatal(err)
	}
	return s
}

func (p *party) staticKeys() *verifier.StaticKeys {
	ks, err := verifier.NewStaticKeys(p.iss, p.jwks())
	if err != nil {
		p.t.Fatal(err)
	}
	return ks
}

// staticVerifier trusts p's JWKS and status list as files would give them.
func (p *party) staticVerifier() *verifier.Verifier {
	ks := p.staticKeys()
	st, _ := verifier.NewStaticStatus(verifier.StaticStatusOptions{Keys: ks, Now: p.clock.Now, Tokens: map[string]string{p.statusURI(): p.statusToken()}})
	v, err := verifier.New(verifier.Options{Sector: edoc.PurposeBank, Keys: ks, Status: st, Now: p.clock.Now, Leeway: time.Minute})
	if err != nil {
		p.t.Fatal(err)
	}
	return v
}

// httpVerifier fetches p's JWKS and status list over TLS.
func (p *party) httpVerifier() *verifier.Verifier {
	ks, err := verifier.NewHTTPKeys(verifier.HTTPKeysOptions{URL: p.iss + verifier.JWKSPath, Client: p.srv.Client(), Now: p.clock.Now})
	if err != nil {
		p.t.Fatal(err)
	}
	st, _ := verifier.NewHTTPStatus(verifier.HTTPStatusOptions{Keys: ks, Client: p.srv.Client(), Now: p.clock.Now})
	v, _ := verifier.New(verifier.Options{Sector: edoc.PurposeBank, Keys: ks, Status: st, Now: p.clock.Now, Leeway: time.Minute})
	return v
}

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

func sampleInput() issuer.Input {
	return issuer.Input{
		DocumentNumber: "FPRL-2025-000001", Purpose: edoc.PurposeBank,
		Passport: issuer.PassportData{
			Number: "C01X00T47", IssuingState: "FRA", Nationality: "FRA",
			Surname: "MARTIN", GivenNames: "CLAIRE ANNE", BirthDate: day(1985, 4, 12),
			Sex: "F", ExpiryDate: day(2031, 6, 30),
		},
		Card: issuer.CardData{
			Number: "911250198504120011", Version: edoc.CardVersion2023,
			IssueDate: day(2024, 1, 15), ExpiryDate: day(2034, 1, 14),
		},
	}
}

func rawDeflate(b []byte) []byte {
	var buf bytes.Buffer
	w, _ := flate.NewWriter(&buf, flate.BestCompression)
	_, _ = w.Write(b)
	_ = w.Close()
	return buf.Bytes()
}

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}

// sign signs payload with s and the given typ and extra headers.
func sign(t testing.TB, s jose.OpaqueSigner, typ string, extra map[string]any, payload []byte) string {
	t.Helper()
	opts := &jose.SignerOptions{}
	if typ != "" {
		opts = opts.WithType(jose.ContentType(typ))
	}
	for k, v := range extra {
		opts = opts.WithHeader(jose.HeaderKey(k), v)
	}
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.ES256, Key: s}, opts)
	if err != nil {
		t.Fatal(err)
	}
	obj, err := signer.Sign(payload)
	if err != nil {
		t.Fatal(err)
	}
	out, _ := obj.CompactSerialize()
	return out
}

var zipDEF = map[string]any{"zip": "DEF"}

func b64(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }

func zlibBytes(b []byte) []byte {
	var buf bytes.Buffer
	w := zlib.NewWriter(&buf)
	_, _ = w.Write(b)
	_ = w.Close()
	return buf.Bytes()
}
