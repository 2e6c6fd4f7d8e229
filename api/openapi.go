package api

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"net/http"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/gin-gonic/gin"
)

// openapiYAML is the API description, written by hand next to the routes
// and kept honest by the coverage test.
//
//go:embed openapi.yaml
var openapiYAML []byte

// LoadOpenAPI parses the embedded document.
func LoadOpenAPI() (*openapi3.T, error) {
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(openapiYAML)
	if err != nil {
		return nil, fmt.Errorf("api: openapi: %w", err)
	}
	return doc, nil
}

// openAPIJSONOnce renders the embedded document once per process: it never
// changes, and every server (and every api test's) serves the same bytes.
var openAPIJSONOnce = sync.OnceValues(openAPIJSON)

func openAPIJSON() ([]byte, error) {
	doc, err := LoadOpenAPI()
	if err != nil {
		return nil, err
	}
	b, err := json.Marshal(doc)
	if err != nil {
		return nil, fmt.Errorf("api: openapi: %w", err)
	}
	return b, nil
}

func (s *server) handleOpenAPI(c *gin.Context) {
	c.Header("Access-Control-Allow-Origin", "*")
	c.Header("Cache-Control", "public, max-age=300")
	c.Data(http.StatusOK, "application/json", s.openapi)
}
