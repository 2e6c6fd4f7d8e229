package attestations_test

import (
	"context"
	"crypto/elliptic"
	"encoding/base64"
	"math/big"
	"strings"
	"testing"

	"github.com/fprlink/fprlink/internal/attestations"
	"github.com/fprlink/fprlink/internal/attestations/attestationstest"
	"github.com/fprlink/fprlink/internal/paging"
	"github.com/fprlink/fprlink/internal/relyingparties"
	"github.com/fprlink/fprlink/internal/storage"
	"github.com/fprlink/fprlink/internal/storage/dbtest"
)

// TestBankVerifyingTelecomDocumentFailsAudienceOnline: the verify API
// knows the caller's sector; a bank presenting a telecom document, however
// it is presented, gets a failed audience check and no document.
func TestBankVerifyingTelecomDocumentFailsAudienceOnline(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := env(t, db)
		ctx := context.Background()
		e.Holders.Put(attestationstest.Sample("alice"))
		doc, err := e.Service.Issue(ctx, attestations.IssueRequest{PersonID: "alice", Purpose: relyingparties.SectorTelecom})
		if err != nil {
			t.Fatal(err)
		}
		b := bank(t, e, relyingparties.SectorBank)
		for _, req := range []attestations.VerifyRequest{
			{QR: doc.QRText}, {Token: doc.Token},
			{DocumentNumber: doc.DocumentNumber, VerificationCode: doc.VerificationCode},
		} {
			v, err := e.Service.Verify(ctx, b, req, "")
			if err != nil || v.Valid || v.Status != "invalid" || v.Document != nil || results(v)["audience"] != "fail" {
				t.Fatalf("%+v: %+v %v", req, v, err)
			}
		}
		log, err := e.Service.Verifications(ctx, "alice", doc.ID, paging.Request{Limit: 10})
		if err != nil || len(log.Items) != 3 || log.Items[0].FailedCheck != "audience" {
			t.Fatalf("log: %+v %v", log.Items, err)
		}
	})
}

// TestHighSCopyFailsSignatureOnline: replacing S with n−S in a genuine
// token gives a string ECDSA alone accepts; the verify API refuses it.
func TestHighSCopyFailsSignatureOnline(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := env(t, db)
		ctx := context.Background()
		e.Holders.Put(attestationstest.Sample("alice"))
		doc, err := e.Service.Issue(ctx, attestations.IssueRequest{PersonID: "alice", Purpose: relyingparties.SectorBank})
		if err != nil {
			t.Fatal(err)
		}
		b := bank(t, e, relyingparties.SectorBank)
		p := strings.Split(doc.Token, ".")
		sig, _ := base64.RawURLEncoding.DecodeString(p[2])
		s := new(big.Int).SetBytes(sig[32:])
		s.Sub(elliptic.P256().Params().N, s).FillBytes(sig[32:])
		copied := p[0] + "." + p[1] + "." + base64.RawURLEncoding.EncodeToString(sig)
		v, err := e.Service.Verify(ctx, b, attestations.VerifyRequest{Token: copied}, "")
		if err != nil || v.Valid || results(v)["signature"] != "fail" {
			t.Fatalf("high-S copy: %+v %v", v, err)
		}
		if v, _ := e.Service.Verify(ctx, b, attestations.VerifyRequest{Token: doc.Token}, ""); !v.Valid {
			t.Fatalf("genuine token: %+v", v)
		}
	})
}
