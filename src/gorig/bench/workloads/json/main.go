// Command json encodes and decodes records with encoding/json: reflection, strings and allocation.
package main

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"strconv"
	"time"

	"gorigbench/internal/report"
)

type record struct {
	ID     int               `json:"id"`
	Name   string            `json:"name"`
	Tags   []string          `json:"tags"`
	Active bool              `json:"active"`
	Attrs  map[string]string `json:"attrs"`
	Scores []int             `json:"scores"`
}

func records(n int) []record {
	out := make([]record, n)
	for i := range out {
		out[i] = record{
			ID:     i,
			Name:   "record-" + strconv.Itoa(i*7919),
			Tags:   []string{"go", "bench", strconv.Itoa(i % 13)},
			Active: i%3 == 0,
			Attrs:  map[string]string{"owner": "team-" + strconv.Itoa(i%7), "tier": strconv.Itoa(i % 4)},
			Scores: []int{i, i * i % 1000, i * 31 % 97},
		}
	}
	return out
}

func main() {
	scale := report.Scale() // units of 4 round trips of 500 records
	start := time.Now()
	data := records(500)
	var encoded []byte
	for round := 0; round < 4*scale; round++ {
		var err error
		if encoded, err = json.Marshal(data); err != nil {
			panic(err)
		}
		data = nil
		if err = json.Unmarshal(encoded, &data); err != nil {
			panic(err)
		}
		data[round%len(data)].Scores[0]++
	}
	sum := sha256.Sum256(encoded)
	report.Print("json", start, hex.EncodeToString(sum[:8]))
}
