package issuer

import (
	"encoding/json"
	"os"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/fprlink/fprlink/issuer/edoc"
)

// TestSchemaMatchesClaims keeps the published JSON Schema and the Go claim
// set in step: every object's required members are exactly its JSON fields
// that are always written, and every field is described. Which of the
// optional members a document of each version and purpose carries is the
// schema's allOf, checked by TestSchemaPurposeRules.
func TestSchemaMatchesClaims(t *testing.T) {
	raw, err := os.ReadFile("../docs/schema/attestation-claims.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	var schema map[string]any
	if err := json.Unmarshal(raw, &schema); err != nil {
		t.Fatal(err)
	}
	compare(t, "claims", schema, reflect.TypeOf(edoc.Claims{}))
}

// TestBundleSchemaMatchesBundleClaims does the same for the trust bundle.
func TestBundleSchemaMatchesBundleClaims(t *testing.T) {
	raw, err := os.ReadFile("../docs/schema/trust-bundle-claims.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	var schema map[string]any
	if err := json.Unmarshal(raw, &schema); err != nil {
		t.Fatal(err)
	}
	compare(t, "bundle", schema, reflect.TypeOf(edoc.BundleClaims{}))
}

func compare(t *testing.T, path string, schema map[string]any, typ reflect.Type) {
	t.Helper()
	var fields []string
	props, _ := schema["properties"].(map[string]any)
	for i := range typ.NumField() {
		f := typ.Field(i)
		tag := strings.Split(f.Tag.Get("json"), ",")
		name := tag[0]
		if _, ok := props[name]; !ok {
			t.Errorf("%s.%s is not described in the schema", path, name)
		}
		if len(tag) == 1 || tag[1] != "omitempty" {
			fields = append(fields, name)
		}
		if f.Type.Kind() == reflect.Struct {
			sub, ok := props[name].(map[string]any)
			if !ok {
				t.Errorf("%s.%s missing from schema", path, name)
				continue
			}
			compare(t, path+"."+name, sub, f.Type)
		}
	}
	var required []string
	for _, r := range schema["required"].([]any) {
		required = append(required, r.(string))
	}
	sort.Strings(fields)
	sort.Strings(required)
	if !reflect.DeepEqual(fields, required) {
		t.Errorf("%s: Go fields %v, schema requires %v", path, fields, required)
	}
}
