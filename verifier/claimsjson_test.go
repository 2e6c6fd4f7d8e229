package verifier

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/fprlink/fprlink/issuer/edoc"
)

const sampleClaims = `{"iss":"https://fprlink.example.gov.cn","iat":1740816000,"nbf":1740816000,"exp":1772352000,"jti":"FPRL-2025-000001","type":"fpr-passport-link","passport":{"number":"C01X00T47","issuing_state":"FRA","nationality":"FRA","surname":"MARTIN","given_names":"CLAIRE ANNE","birth_date":"1985-04-12","sex":"F","expiry_date":"2031-06-30"},"fpr_card":{"number":"911250198504120011","version":"2023","issue_date":"2024-01-15","expiry_date":"2034-01-14"},"status":{"status_list":{"idx":3071,"uri":"https://fprlink.example.gov.cn/api/v1/status-lists/1"}}}`

func TestFastClaimsTakesIssuedShape(t *testing.T) {
	t.Parallel()
	var c edoc.Claims
	p := fastParser{b: []byte(sampleClaims)}
	if !p.claims(&c) {
		t.Fatal("fast path refused an issued payload")
	}
	var want edoc.Claims
	_ = json.Unmarshal([]byte(sampleClaims), &want)
	if !reflect.DeepEqual(c, want) {
		t.Fatalf("fast %+v\nstd  %+v", c, want)
	}
}

// FuzzDecodeClaims holds decodeClaims to encoding/json: same acceptance,
// same result.
func FuzzDecodeClaims(f *testing.F) {
	f.Add(sampleClaims)
	f.Add(`{"iss":"a","iss":"b"}`)
	f.Add(`{"ISS":"a","iat":1e3}`)
	f.Add(`{"iat":-0,"passport":{"sex":"\u0046"}}`)
	f.Fuzz(func(t *testing.T, s string) {
		got, err := decodeClaims([]byte(s))
		var want edoc.Claims
		werr := json.Unmarshal([]byte(s), &want)
		if (err == nil) != (werr == nil) {
			t.Fatalf("acceptance differs: fast %v, std %v", err, werr)
		}
		if err == nil && !reflect.DeepEqual(*got, want) {
			t.Fatalf("results differ:\nfast %+v\nstd  %+v", *got, want)
		}
	})
}
