package api

import (
	"sort"
	"strings"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/gin-gonic/gin"

	"github.com/fprlink/fprlink/internal/apperr"
	"github.com/fprlink/fprlink/internal/i18n"
)

// Every route declares the query parameters it reads in api/openapi.yaml,
// and nowhere else: the document is the allowlist. A parameter a route does
// not declare is refused with 400 naming it, so a caller who misspells
// ?on= as ?date= learns so instead of silently getting today's answer.
// lang is read by the language middleware on every route.

// queryAllowlist maps "METHOD /gin/:path" to the query parameters the
// OpenAPI document declares for it, at path or operation level.
var queryAllowlist = sync.OnceValues(func() (map[string]map[string]bool, error) {
	doc, err := LoadOpenAPI()
	if err != nil {
		return nil, err
	}
	return allowedQueries(doc), nil
})

func allowedQueries(doc *openapi3.T) map[string]map[string]bool {
	out := map[string]map[string]bool{}
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			names := map[string]bool{"lang": true}
			for _, ps := range []openapi3.Parameters{item.Parameters, op.Parameters} {
				for _, p := range ps {
					if p.Value != nil && p.Value.In == openapi3.ParameterInQuery {
						names[p.Value.Name] = true
					}
				}
			}
			out[method+" "+ginPath(path)] = names
		}
	}
	return out
}

// ginPath turns /a/{id}/b into gin's /a/:id/b.
func ginPath(p string) string {
	parts := strings.Split(p, "/")
	for i, s := range parts {
		if strings.HasPrefix(s, "{") && strings.HasSuffix(s, "}") {
			parts[i] = ":" + s[1:len(s)-1]
		}
	}
	return strings.Join(parts, "/")
}

// refuseUnknownQuery answers 400 for a query parameter the matched route
// does not declare. Requests that match no route go on to the 404.
func (s *server) refuseUnknownQuery(allow map[string]map[string]bool) gin.HandlerFunc {
	return func(c *gin.Context) {
		names, ok := allow[c.Request.Method+" "+c.FullPath()]
		if !ok || c.Request.URL.RawQuery == "" {
			c.Next()
			return
		}
		var unknown []string
		for name := range c.Request.URL.Query() {
			if !names[name] {
				unknown = append(unknown, name)
			}
		}
		if len(unknown) == 0 {
			c.Next()
			return
		}
		sort.Strings(unknown)
		s.fail(c, errUnknownQuery(unknown[0]))
		c.Abort()
	}
}

func errUnknownQuery(name string) *apperr.Error {
	return apperr.Malformed("unknown_query_parameter", name,
		i18n.T("The query parameter "+name+" is not accepted here; see /openapi.json for the parameters of this address.",
			"此地址不接受查询参数 "+name+"，可接受的参数见 /openapi.json。"))
}
