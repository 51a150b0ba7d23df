// Package report holds what every gorig bench workload shares: the size knob and the result line.
package report

import (
	"encoding/json"
	"flag"
	"os"
	"time"
)

// Scale parses the command line and returns -scale: how many units of work to do.
func Scale() int {
	scale := flag.Int("scale", 1, "amount of work, in units described by the workload")
	flag.Parse()
	if *scale < 1 {
		os.Stderr.WriteString("-scale must be at least 1\n")
		os.Exit(2)
	}
	return *scale
}

// Print writes the one JSON line gorig reads: the workload, its own elapsed time (so process
// start-up and the emulator's start-up are not measured) and the answer that must not depend
// on the architecture.
func Print(name string, start time.Time, answer string) {
	line := map[string]any{"workload": name, "ns": time.Since(start).Nanoseconds(), "answer": answer}
	if err := json.NewEncoder(os.Stdout).Encode(line); err != nil {
		os.Exit(1)
	}
}
