package pages

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"

	"github.com/gofiber/fiber/v2"
)

// apiRef is the API reference page's data, read from the OpenAPI document the site serves, so the
// two cannot disagree.
type apiRef struct {
	Title, Version, Description string
	Operations                  []apiOperation
}

type apiOperation struct {
	Method, Path, Summary, Description string
	Token                              bool // needs the Authorization: Bearer token
	Params                             []apiParam
	Responses                          []apiResponse
}

type apiParam struct {
	Name, In, Description string
	Required              bool
}

type apiResponse struct{ Code, Description string }

var (
	apiRefOnce sync.Once
	apiRefData apiRef
	apiRefErr  error
)

// API renders the API reference (every operation of openapi.json with its parameters and
// answers) for people; the JSON document stays at /api/v1/openapi.json for tools.
func (h *Handler) API(c *fiber.Ctx) error {
	apiRefOnce.Do(func() { apiRefData, apiRefErr = readAPIRef(h.openAPI) })
	if apiRefErr != nil {
		return apiRefErr
	}
	return h.render(c, "api", "API reference", apiRefData)
}

func readAPIRef(doc []byte) (apiRef, error) {
	var d struct {
		Info       struct{ Title, Version, Description string } `json:"info"`
		Paths      map[string]map[string]json.RawMessage        `json:"paths"`
		Components struct {
			Responses map[string]struct{ Description string } `json:"responses"`
		} `json:"components"`
	}
	if err := json.Unmarshal(doc, &d); err != nil {
		return apiRef{}, fmt.Errorf("web: openapi.json: %w", err)
	}
	ref := apiRef{Title: d.Info.Title, Version: d.Info.Version, Description: d.Info.Description}
	for _, p := range slices.Sorted(maps.Keys(d.Paths)) {
		for _, m := range slices.Sorted(maps.Keys(d.Paths[p])) {
			var op struct {
				Summary, Description string
				Security             []map[string][]string `json:"security"`
				Parameters           []struct {
					Name, In, Description string
					Required              bool
				} `json:"parameters"`
				Responses map[string]struct {
					Description string
					Ref         string `json:"$ref"`
				} `json:"responses"`
			}
			if err := json.Unmarshal(d.Paths[p][m], &op); err != nil {
				return apiRef{}, fmt.Errorf("web: openapi.json: %s %s: %w", m, p, err)
			}
			o := apiOperation{Method: strings.ToUpper(m), Path: p, Summary: op.Summary, Description: op.Description,
				Token: len(op.Security) > 0}
			for _, pa := range op.Parameters {
				o.Params = append(o.Params, apiParam{Name: pa.Name, In: pa.In, Description: pa.Description, Required: pa.Required})
			}
			for _, code := range slices.Sorted(maps.Keys(op.Responses)) {
				r := op.Responses[code]
				desc := r.Description
				if desc == "" && strings.HasPrefix(r.Ref, "#/components/responses/") {
					desc = d.Components.Responses[strings.TrimPrefix(r.Ref, "#/components/responses/")].Description
				}
				o.Responses = append(o.Responses, apiResponse{Code: code, Description: desc})
			}
			ref.Operations = append(ref.Operations, o)
		}
	}
	return ref, nil
}
