// Package siteids gathers MTurk requester ids from a running site for the load scripts (soak,
// pageload), through the search API, which answers from memory and so adds no store reads.
package siteids

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// Queries are searches that together reach most requesters of a demo store.
var Queries = strings.Fields("a b c d e f g h i j k l m n o p q r s t u v w x y z 0 1 2 3 4 5 6 7 8 9 lab co inc survey research")

// Requesters returns the distinct MTurk requester ids the searches find (up to 100 each), in the
// order found, and an error when fewer than 100 come back.
func Requesters(base string, queries []string) ([]string, error) {
	c := &http.Client{Timeout: 10 * time.Second}
	seen := map[string]bool{}
	var ids []string
	for _, q := range queries {
		res, err := c.Get(base + "/api/v1/search?limit=100&q=" + q)
		if err != nil {
			return nil, err
		}
		var v struct {
			Results []struct {
				RequesterID string `json:"requester_id"`
			} `json:"results"`
		}
		err = json.NewDecoder(res.Body).Decode(&v)
		res.Body.Close()
		if err != nil {
			return nil, fmt.Errorf("search %q: %w", q, err)
		}
		for _, r := range v.Results {
			if !seen[r.RequesterID] && !strings.Contains(r.RequesterID, ":") {
				seen[r.RequesterID] = true
				ids = append(ids, r.RequesterID)
			}
		}
	}
	if len(ids) < 100 {
		return nil, fmt.Errorf("only %d requester ids found through search", len(ids))
	}
	return ids, nil
}
